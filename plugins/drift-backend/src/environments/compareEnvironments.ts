import {
  diffObject,
  stableStringify,
  type Change,
  type EnvironmentComparison,
  type EnvironmentFieldDifference,
  type EnvironmentPair,
  type JsonValue,
  type KubeObject,
  type ObjectAcrossEnvironments,
} from '@driftwatch/plugin-drift-common';
import type { StoredObjects } from '../store/DriftStore';

/** The same change in the same field: equal paths and values on both sides. */
const changeKey = (change: Change) =>
  [change.field, stableStringify(change.desired as JsonValue), stableStringify(change.live as JsonValue)].join('\u0000');

/**
 * Compares each object of an entity across its environments, live against live, with the
 * engine's normalization, and leaves out what Git declares: a replica count that is 2 in
 * staging and 6 in production in both Git and the clusters is intended, so only the fields that
 * differ live without differing the same way in the desired objects are listed.
 *
 * Each environment is represented by its first cluster (by name) where the object runs; objects
 * found live in fewer than two environments are left out.
 */
export function compareEnvironments(entityRef: string, rows: StoredObjects[]): EnvironmentComparison {
  const environments = [...new Set(rows.map(row => row.environment))].sort();
  const byObject = new Map<string, StoredObjects[]>();
  for (const row of rows) {
    if (!row.live) continue;
    byObject.set(row.resourceKey, [...(byObject.get(row.resourceKey) ?? []), row]);
  }

  const objects: ObjectAcrossEnvironments[] = [];
  for (const [resourceKey, found] of byObject) {
    const representatives = new Map<string, StoredObjects>();
    for (const row of found) if (!representatives.has(row.environment)) representatives.set(row.environment, row);
    const present = environments.filter(environment => representatives.has(environment));
    if (present.length < 2) continue;

    const pairs: EnvironmentPair[] = [];
    for (let i = 0; i < present.length; i++) {
      for (let j = i + 1; j < present.length; j++) {
        pairs.push(comparePair(representatives.get(present[i])!, representatives.get(present[j])!));
      }
    }
    const { kind, namespace, name } = found[0];
    objects.push({ resourceKey, kind, namespace, name, pairs });
  }
  return { entityRef, environments, objects };
}

function comparePair(a: StoredObjects, b: StoredObjects): EnvironmentPair {
  const live = diffObject(a.live as KubeObject, b.live as KubeObject).changes;
  const inGit =
    a.desired && b.desired
      ? new Set(diffObject(a.desired as KubeObject, b.desired as KubeObject).changes.map(changeKey))
      : new Set<string>();
  const differences: EnvironmentFieldDifference[] = [];
  let declared = 0;
  for (const change of live) {
    if (inGit.has(changeKey(change))) {
      declared++;
      continue;
    }
    differences.push({
      path: change.path,
      field: change.field,
      category: change.category,
      // Secrets are never stored, so no value here is a redacted one.
      values: [change.desired, change.live],
    });
  }
  return {
    environments: [a.environment, b.environment],
    locations: [a.location, b.location],
    differences,
    declared,
  };
}
