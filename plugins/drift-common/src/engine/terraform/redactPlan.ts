import type { JsonObject, JsonValue, RedactedValue } from '../types';
import { isObject } from '../normalize/schema';
import { stableStringify } from '../normalize/normalizeObject';
import { hmacSha256, toHex } from '../redact/sha256';
import { utf8Encode } from '../redact/encoding';
import { redactMarked, unionMarks } from './sensitive';
import { TerraformPlanError } from './diffTerraformPlan';

/** Options of {@link redactTerraformPlan}. */
export interface RedactTerraformPlanOptions {
  /** Key of the fingerprints that stand for sensitive values. */
  secretHashKey: string | Uint8Array | undefined;
}

const isEmpty = (value: JsonValue) =>
  value === null ||
  value === '' ||
  (Array.isArray(value) ? value.length === 0 : isObject(value) && Object.keys(value).length === 0);

const text = (value: JsonValue | undefined) =>
  typeof value === 'string' ? value : undefined;

/** Addresses and types of a module tree's resources, without their values. */
function resourceTree(module: JsonValue | undefined): JsonObject {
  const source = isObject(module) ? module : {};
  const out: JsonObject = {};
  if (text(source.address)) out.address = source.address;
  out.resources = (Array.isArray(source.resources) ? source.resources : [])
    .filter(isObject)
    .map(resource => {
      const kept: JsonObject = {};
      for (const key of ['address', 'mode', 'type', 'name', 'provider_name']) {
        if (text(resource[key]) !== undefined) kept[key] = resource[key];
      }
      return kept;
    });
  out.child_modules = (
    Array.isArray(source.child_modules) ? source.child_modules : []
  ).map(resourceTree);
  return out;
}

/**
 * What {@link diffTerraformPlan} reads of a plan, and nothing that Terraform marks sensitive:
 * the `resource_drift` entries, with every value that either side marks sensitive replaced by
 * a keyed fingerprint (equal values stay equal, so a changed secret is still drift), and the
 * addresses of the managed resources. Input variables, outputs, configuration and state
 * values are dropped. Safe to keep in memory or cache for as long as needed.
 */
export function redactTerraformPlan(
  plan: JsonObject,
  options: RedactTerraformPlanOptions,
): JsonObject {
  const { secretHashKey } = options;
  if (secretHashKey === undefined || secretHashKey.length === 0) {
    throw new TerraformPlanError(
      'Cannot redact a plan without a secretHashKey for its sensitive values',
    );
  }
  const drift = plan.resource_drift ?? [];
  if (!Array.isArray(drift))
    throw new TerraformPlanError('resource_drift must be a list');

  const resourceDrift = drift.map((entry, index) => {
    if (!isObject(entry) || typeof entry.address !== 'string' || !isObject(entry.change)) {
      throw new TerraformPlanError(
        `resource_drift[${index}] lacks an address or a change`,
      );
    }
    const address = entry.address;
    const { change } = entry;
    const marks = unionMarks(change.before_sensitive, change.after_sensitive);
    // Bound to the address and the attribute, like Kubernetes Secret fingerprints. Empty
    // values stay as they are: they hide nothing, and Terraform reads them as absent.
    const fingerprint = (value: JsonValue, path: string[]): JsonValue | RedactedValue =>
      isEmpty(value)
        ? value
        : {
            redacted: true,
            sha256: toHex(
              hmacSha256(
                secretHashKey,
                utf8Encode(`${JSON.stringify([address, path])}\u0000${stableStringify(value)}`),
              ),
            ).slice(0, 12),
          };
    const kept: JsonObject = { address };
    for (const key of ['module_address', 'mode', 'type', 'name', 'provider_name']) {
      if (text(entry[key]) !== undefined) kept[key] = entry[key];
    }
    const redactedChange: JsonObject = {};
    if (Array.isArray(change.actions)) redactedChange.actions = change.actions;
    for (const side of ['before', 'after'] as const) {
      if (side in change) {
        redactedChange[side] = (redactMarked(change[side], marks, fingerprint) ??
          null) as JsonValue;
      }
    }
    for (const side of ['before_sensitive', 'after_sensitive'] as const) {
      if (change[side] !== undefined) redactedChange[side] = change[side];
    }
    kept.change = redactedChange;
    return kept;
  });

  const out: JsonObject = { resource_drift: resourceDrift };
  if (text(plan.format_version)) out.format_version = plan.format_version;
  if (text(plan.terraform_version)) out.terraform_version = plan.terraform_version;
  if (isObject(plan.prior_state)) {
    const values = isObject(plan.prior_state.values) ? plan.prior_state.values : {};
    out.prior_state = { values: { root_module: resourceTree(values.root_module) } };
  }
  if (isObject(plan.planned_values)) {
    out.planned_values = { root_module: resourceTree(plan.planned_values.root_module) };
  }
  return out;
}
