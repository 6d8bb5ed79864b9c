import type { MonitoredResource } from '@driftwatch/plugin-drift-common';

/** Resources of one location (a cluster, a plan), under a label naming its environment. */
export interface LocationGroup {
  label: string;
  resources: MonitoredResource[];
}

/**
 * The entity's resources grouped by environment, then location: the same object in staging and
 * in production are two resources, and read best side by side with their own kind.
 */
export function groupByLocation(
  resources: MonitoredResource[],
): LocationGroup[] {
  const groups = new Map<string, LocationGroup>();
  for (const resource of resources) {
    const label = resource.environment
      ? `${resource.environment} · ${resource.location}`
      : resource.location;
    const group = groups.get(label) ?? { label, resources: [] };
    group.resources.push(resource);
    groups.set(label, group);
  }
  return [...groups.values()].sort((a, b) => a.label.localeCompare(b.label));
}
