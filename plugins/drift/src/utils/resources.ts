import type { ResourceStatus } from '@driftwatch/plugin-drift-common';

/** Worst first, as resource lists sort. */
export const RESOURCE_STATUS_ORDER: ResourceStatus[] = [
  'drifted',
  'missing',
  'extra',
  'unknown',
  'in-sync',
];

/** "4 in sync, 1 drifted" in a fixed order, leaving out the statuses nobody has. */
export function describeResourceCounts(
  byStatus: Partial<Record<ResourceStatus, number>>,
) {
  return [...RESOURCE_STATUS_ORDER]
    .reverse()
    .filter(status => byStatus[status])
    .map(
      status =>
        `${byStatus[status]} ${status === 'in-sync' ? 'in sync' : status}`,
    )
    .join(', ');
}
