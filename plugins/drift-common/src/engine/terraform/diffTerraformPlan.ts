import type {
  Change,
  ChangeOp,
  DriftCategory,
  DriftReport,
  JsonObject,
  JsonValue,
  RedactedValue,
  ResourceDiff,
  Severity,
  SeverityKey,
} from '../types';
import { isObject } from '../normalize/schema';
import {
  SENSITIVE,
  isSensitive,
  marksAt,
  redactMarked,
  unionMarks,
} from './sensitive';
import {
  scoreOf,
  severityOf,
  weightOf,
  worstSeverity,
} from '../classify/severity';
import { classifyTerraformChange } from './classify';

/** A drifted Terraform resource: a {@link ResourceDiff} with its address and provider. */
export interface TerraformResourceDiff extends ResourceDiff {
  address: string;
  type: string;
  provider: string;
  mode: string;
  /** The actions Terraform recorded for the drift (`update`, `delete`, ...). */
  actions: string[];
}

/** Drift read from `terraform show -json` output. */
export interface TerraformDriftReport extends Omit<DriftReport, 'resources'> {
  resources: TerraformResourceDiff[];
  terraformVersion?: string;
}

/** Options of {@link diffTerraformPlan}. */
export interface TerraformDiffOptions {
  severities?: Partial<Record<SeverityKey, Severity>>;
  weights?: Partial<Record<SeverityKey, number>>;
}

/** A problem with the plan document itself. */
export class TerraformPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TerraformPlanError';
  }
}

function equalJson(
  a: JsonValue | undefined,
  b: JsonValue | undefined,
): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null)
    return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => equalJson(item, b[i]));
  }
  const ao = a as JsonObject;
  const bo = b as JsonObject;
  const keys = Object.keys(ao);
  if (keys.length !== Object.keys(bo).length) return false;
  return keys.every(
    key =>
      Object.prototype.hasOwnProperty.call(bo, key) &&
      equalJson(ao[key], bo[key]),
  );
}

interface AttributeChange {
  path: string[];
  op: ChangeOp;
  before: JsonValue | undefined;
  after: JsonValue | undefined;
}

/**
 * Attribute-level differences; lists of different length are reported whole, and so are
 * sensitive values (their inner shape is nobody's business, and a redacted plan holds
 * fingerprints there).
 */
function diffAttributes(
  before: JsonValue | undefined,
  after: JsonValue | undefined,
  path: string[],
  marks: JsonValue | undefined,
  out: AttributeChange[],
): void {
  const b = before === null ? undefined : before;
  const a = after === null ? undefined : after;
  if (equalJson(b, a)) return;
  const opaque = isSensitive(marks, path);
  if (!opaque && isObject(b) && isObject(a)) {
    const keys = new Set([...Object.keys(b), ...Object.keys(a)]);
    for (const key of [...keys].sort())
      diffAttributes(b[key], a[key], [...path, key], marks, out);
    return;
  }
  if (!opaque && Array.isArray(b) && Array.isArray(a) && b.length === a.length) {
    b.forEach((item, i) =>
      diffAttributes(item, a[i], [...path, String(i)], marks, out),
    );
    return;
  }
  // Empty and absent mean the same to Terraform providers.
  if (isEmpty(b) && isEmpty(a)) return;
  let op: ChangeOp = 'changed';
  if (b === undefined) op = 'added';
  else if (a === undefined) op = 'removed';
  out.push({ path, op, before: b, after: a });
}

function isEmpty(value: JsonValue | undefined): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return isObject(value) && Object.keys(value).length === 0;
}

/** A value as reported: absent as null, sensitive parts (or all of it) redacted. */
function shown(
  value: JsonValue | undefined,
  sensitive: boolean,
  marks: JsonValue | undefined,
): JsonValue | RedactedValue {
  if (value === undefined) return null;
  if (sensitive) return SENSITIVE;
  return redactMarked(value, marks, () => SENSITIVE) ?? null;
}

function pointer(path: string[]): string {
  return path
    .map(segment => `/${segment.replace(/~/g, '~0').replace(/\//g, '~1')}`)
    .join('');
}

function display(path: string[]): string {
  return path
    .map((segment, i) =>
      /^\d+$/.test(segment) ? `[${segment}]` : `${i ? '.' : ''}${segment}`,
    )
    .join('');
}

function text(value: JsonValue | undefined, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

/**
 * Turns the `resource_drift` entries of `terraform show -json` output into findings: one
 * resource per drifted address, with the changed attributes (before = what Terraform state
 * holds, shown as desired; after = the real infrastructure, shown as live). Values marked
 * sensitive in before_sensitive/after_sensitive are never returned.
 */
export function diffTerraformPlan(
  plan: unknown,
  options: TerraformDiffOptions = {},
): TerraformDriftReport {
  if (!isObject(plan as JsonValue)) {
    throw new TerraformPlanError(
      'not a Terraform JSON plan (expected an object from `terraform show -json`)',
    );
  }
  const document = plan as JsonObject;
  if (
    document.format_version === undefined &&
    document.resource_drift === undefined &&
    document.planned_values === undefined
  ) {
    throw new TerraformPlanError(
      'not a Terraform JSON plan (no format_version, resource_drift or planned_values)',
    );
  }
  const drift = document.resource_drift ?? [];
  if (!Array.isArray(drift))
    throw new TerraformPlanError('resource_drift must be a list');

  const resources: TerraformResourceDiff[] = [];
  drift.forEach((entry, index) => {
    if (
      !isObject(entry) ||
      typeof entry.address !== 'string' ||
      !isObject(entry.change)
    ) {
      throw new TerraformPlanError(
        `resource_drift[${index}] lacks an address or a change`,
      );
    }
    const change = entry.change;
    const actions = Array.isArray(change.actions)
      ? change.actions.filter((a): a is string => typeof a === 'string')
      : [];
    const type = text(
      entry.type,
      entry.address.split('.').slice(-2, -1)[0] ?? '',
    );
    const provider = text(entry.provider_name);
    const resource: TerraformResourceDiff = {
      apiVersion: provider,
      kind: type,
      group: provider,
      name: entry.address,
      key: entry.address,
      address: entry.address,
      type,
      provider,
      mode: text(entry.mode, 'managed'),
      actions,
      status: 'in-sync',
      severity: null,
      score: 0,
      changes: [],
      ignoredChanges: 0,
    };
    if (typeof entry.module_address === 'string')
      resource.namespace = entry.module_address;

    const after = change.after;
    if (actions.includes('delete') && (after === null || after === undefined)) {
      resource.status = 'missing';
      resource.severity = severityOf('missing', options.severities);
      resource.score = weightOf('missing', options.weights);
      resources.push(resource);
      return;
    }
    const marks = unionMarks(change.before_sensitive, change.after_sensitive);
    const found: AttributeChange[] = [];
    diffAttributes(change.before, after, [], marks, found);
    let severity: Severity | null = null;
    for (const attribute of found) {
      const category: DriftCategory = classifyTerraformChange(
        type,
        attribute.path,
      );
      const changeSeverity = severityOf(category, options.severities);
      const secret = isSensitive(marks, attribute.path);
      const out: Change = {
        path: pointer(attribute.path),
        field: display(attribute.path),
        op: attribute.op,
        category,
        severity: changeSeverity,
        desired: shown(
          attribute.before,
          secret,
          marksAt(marks, attribute.path),
        ),
        live: shown(attribute.after, secret, marksAt(marks, attribute.path)),
      };
      resource.changes.push(out);
      severity = worstSeverity(severity, changeSeverity);
    }
    if (resource.changes.length) {
      resource.status = 'drifted';
      resource.severity = severity;
      resource.score = scoreOf(resource.changes, options.weights);
    }
    resources.push(resource);
  });

  const summary: TerraformDriftReport['summary'] = {
    total: resources.length,
    'in-sync': 0,
    drifted: 0,
    missing: 0,
    extra: 0,
    unknown: 0,
  };
  for (const resource of resources) summary[resource.status]++;
  const report: TerraformDriftReport = {
    drifted: resources.some(resource => resource.status !== 'in-sync'),
    summary,
    resources,
    untracked: [],
  };
  if (typeof document.terraform_version === 'string')
    report.terraformVersion = document.terraform_version;
  return report;
}
