import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { driftApiRef } from '../api';

/** The environments and Kubernetes clusters the monitored resources are in. */
export interface DriftLocations {
  environments: string[];
  clusters: string[];
}

const uniqueSorted = (values: Array<string | null | undefined>) =>
  [...new Set(values.filter((v): v is string => Boolean(v)))].sort();

/**
 * The choices of the environment and cluster filters, from the surface area's counts; asked
 * for once `enabled` (by default at once).
 */
export function useDriftLocations(options: { enabled?: boolean } = {}) {
  const driftApi = useApi(driftApiRef);
  const enabled = options.enabled ?? true;
  return useAsync(async (): Promise<DriftLocations | undefined> => {
    if (!enabled) return undefined;
    const surface = await driftApi.getSurface();
    return {
      environments: uniqueSorted(surface.environment.map(g => g.key)),
      clusters: uniqueSorted(
        surface.location
          .filter(g => g.provider === 'kubernetes')
          .map(g => g.key),
      ),
    };
  }, [driftApi, enabled]);
}
