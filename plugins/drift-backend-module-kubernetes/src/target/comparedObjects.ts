import {
  normalizeObject,
  type KubeObject,
} from '@driftwatch/plugin-drift-common';
import type { ScannedResource } from '@driftwatch/plugin-drift-node';

/**
 * The normalized desired and live objects of a compared resource as JSON text, kept so the same
 * object can be compared across environments. Secrets are left out entirely: their values are
 * never kept, not even normalized.
 */
export function comparedObjectsOf(
  kind: string,
  desired: KubeObject | undefined,
  live: KubeObject | undefined,
): ScannedResource['objects'] {
  if (kind === 'Secret' || (!desired && !live)) return undefined;
  const objects: NonNullable<ScannedResource['objects']> = {};
  if (desired) objects.desired = JSON.stringify(normalizeObject(desired));
  if (live) objects.live = JSON.stringify(normalizeObject(live));
  return objects;
}
