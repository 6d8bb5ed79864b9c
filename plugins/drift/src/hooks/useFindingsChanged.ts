import { useSignal } from '@backstage/plugin-signals-react';
import { useEffect, useRef, useState } from 'react';

/** The backend's broadcast when findings change: `{ entityRefs }` of the entities concerned. */
export const FINDINGS_CHANNEL = 'driftwatch:findings';

type FindingsChanged = { entityRefs?: string[] };

/**
 * A number that goes up each time the backend signals that findings changed, of one entity
 * when `entityRef` is given; put it in the dependencies of a fetch to refetch then. Without the
 * signals plugin it stays 0 (useSignal subscribes only when the signal API exists).
 */
export function useFindingsChanged(entityRef?: string): number {
  const { lastSignal } = useSignal<FindingsChanged>(FINDINGS_CHANNEL);
  const [count, setCount] = useState(0);
  // A new entityRef re-runs the effect with the same message: count each message once.
  const handled = useRef<FindingsChanged | null>(null);

  useEffect(() => {
    if (!lastSignal || handled.current === lastSignal) return;
    handled.current = lastSignal;
    if (entityRef) {
      const wanted = entityRef.toLocaleLowerCase('en-US');
      const refs = Array.isArray(lastSignal.entityRefs)
        ? lastSignal.entityRefs
        : [];
      if (!refs.some(ref => String(ref).toLocaleLowerCase('en-US') === wanted))
        return;
    }
    setCount(c => c + 1);
  }, [lastSignal, entityRef]);

  return count;
}
