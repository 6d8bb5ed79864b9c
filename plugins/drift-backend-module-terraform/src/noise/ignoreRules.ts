import {
  parsePointer,
  scoreOf,
  worstSeverity,
  type DiffOptions,
  type Severity,
  type TerraformResourceDiff,
} from '@driftwatch/plugin-drift-common';

/**
 * Attributes of one resource type whose changes are not drift. Detection only: unlike
 * Terraform's `ignore_changes`, which stops Terraform from planning changes to an argument,
 * this hides refresh changes from findings, including those of computed attributes that
 * `ignore_changes` cannot name.
 */
export interface TerraformIgnoreRule {
  /** A resource type, such as `aws_db_instance`. */
  type: string;
  /**
   * Attribute names, or dotted paths to nested attributes (`settings.ip_configuration`);
   * list indices are left out, and a path covers everything below it.
   */
  attributes: string[];
}

/**
 * Computed attributes that the provider rewrites on its own, so a refresh finds them changed
 * while nobody changed anything. `tags_all` is deliberately absent: it changes only when tags
 * or the provider's `default_tags` do, which is drift.
 */
export const BUILT_IN_IGNORE_RULES: readonly TerraformIgnoreRule[] = [
  // RDS moves the point-in-time-restore horizon every few minutes, and every refresh reads it.
  // (aws_rds_cluster has no such attribute: the cluster value never reaches its state.)
  { type: 'aws_db_instance', attributes: ['latest_restorable_time'] },
  // PagerDuty stamps each new incident on its service.
  { type: 'pagerduty_service', attributes: ['last_incident_timestamp'] },
  // Astronomer stamps every use of an API token.
  { type: 'astro_api_token', attributes: ['last_used_at'] },
];

/** Rules by resource type, each attribute as its path segments. */
export type IgnoreIndex = ReadonlyMap<string, string[][]>;

export function indexIgnoreRules(
  rules: readonly TerraformIgnoreRule[],
): IgnoreIndex {
  const index = new Map<string, string[][]>();
  for (const { type, attributes } of rules) {
    const paths = index.get(type) ?? [];
    paths.push(...attributes.map(attribute => attribute.split('.')));
    index.set(type, paths);
  }
  return index;
}

function covers(rule: string[], path: string[]): boolean {
  const names = path.filter(segment => !/^\d+$/.test(segment));
  return rule.length <= names.length && rule.every((s, i) => s === names[i]);
}

/**
 * A drifted resource without the changes the rules ignore, counted in `ignoredChanges`. A
 * resource left without changes is in sync; severity and score are those of what remains.
 */
export function applyIgnoreRules(
  diff: TerraformResourceDiff,
  index: IgnoreIndex,
  weights?: DiffOptions['weights'],
): TerraformResourceDiff {
  const rules = index.get(diff.type);
  if (!rules || diff.status !== 'drifted') return diff;
  const changes = diff.changes.filter(
    change => !rules.some(rule => covers(rule, parsePointer(change.path))),
  );
  const ignored = diff.changes.length - changes.length;
  if (!ignored) return diff;
  const severity = changes.reduce<Severity | null>(
    (worst, change) => worstSeverity(worst, change.severity),
    null,
  );
  return {
    ...diff,
    changes,
    ignoredChanges: diff.ignoredChanges + ignored,
    status: changes.length ? 'drifted' : 'in-sync',
    severity,
    score: scoreOf(changes, weights),
  };
}
