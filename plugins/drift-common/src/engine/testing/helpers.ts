import { parseManifests } from '../parse/parseManifests';
import { diffResources } from '../compare/diff';
import type { DiffOptions, DriftReport, ResourceDiff } from '../types';

/** Compares two YAML texts (Git, live). */
export function diffYaml(
  desired: string,
  live: string,
  options: DiffOptions = {},
): DriftReport {
  return diffResources(parseManifests(desired), parseManifests(live), options);
}

/** The only resource of a report. */
export function single(report: DriftReport): ResourceDiff {
  expect(report.resources).toHaveLength(1);
  return report.resources[0];
}

/** A one-line summary of each change, for readable assertions. */
export function describeChanges(resource: ResourceDiff): string[] {
  return resource.changes.map(
    change => `${change.op} ${change.path} ${change.category}`,
  );
}
