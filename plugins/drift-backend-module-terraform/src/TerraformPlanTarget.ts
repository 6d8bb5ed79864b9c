import {
  diffTerraformPlan,
  type DiffOptions,
  type JsonObject,
  type JsonValue,
  type TerraformResourceDiff,
} from '@driftwatch/plugin-drift-common';
import type {
  LiveStateTarget,
  LocationError,
  ProviderCallOptions,
  ScannedResource,
  TargetRequest,
  TargetResult,
} from '@driftwatch/plugin-drift-node';
import {
  applyIgnoreRules,
  indexIgnoreRules,
  type IgnoreIndex,
  type TerraformIgnoreRule,
} from './noise/ignoreRules';
import { TERRAFORM_TARGET_KIND } from './parsePlan';

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : '';
}

/** A managed resource of the state a plan was made against, with the module it lives in. */
interface StateResource {
  address: string;
  type: string;
  provider: string;
  moduleAddress?: string;
}

/** Managed resources of a module tree from `prior_state.values` or `planned_values`. */
function managedResources(
  module: JsonValue | undefined,
  out: StateResource[] = [],
): StateResource[] {
  if (!isObject(module)) return out;
  const moduleAddress = text(module.address) || undefined;
  for (const resource of Array.isArray(module.resources)
    ? module.resources
    : []) {
    if (
      !isObject(resource) ||
      resource.mode !== 'managed' ||
      typeof resource.address !== 'string'
    ) {
      continue;
    }
    out.push({
      address: resource.address,
      type: text(resource.type),
      provider: text(resource.provider_name),
      moduleAddress,
    });
  }
  for (const child of Array.isArray(module.child_modules)
    ? module.child_modules
    : []) {
    managedResources(child, out);
  }
  return out;
}

function inSync(resource: StateResource): TerraformResourceDiff {
  const diff: TerraformResourceDiff = {
    apiVersion: resource.provider,
    kind: resource.type,
    group: resource.provider,
    name: resource.address,
    key: resource.address,
    address: resource.address,
    type: resource.type,
    provider: resource.provider,
    mode: 'managed',
    actions: [],
    status: 'in-sync',
    severity: null,
    score: 0,
    changes: [],
    ignoredChanges: 0,
  };
  if (resource.moduleAddress) diff.namespace = resource.moduleAddress;
  return diff;
}

/**
 * Every managed resource of a plan: the drifted ones from `resource_drift` (compared, classified
 * and redacted by the engine) and the others as in sync. Reporting the undrifted resources too
 * makes them part of the surface area and lets a fixed drift resolve as in sync rather than
 * as a resource that disappeared.
 */
export function scanPlan(
  plan: unknown,
  diffOptions?: DiffOptions,
  ignore: IgnoreIndex = new Map(),
): TerraformResourceDiff[] {
  const weights = diffOptions?.weights;
  const report = diffTerraformPlan(plan, {
    severities: diffOptions?.severities,
    weights,
  });
  const document = plan as JsonObject;
  // A refresh-only plan's prior_state is the refreshed state; planned_values mirrors it.
  const state = isObject(document.prior_state)
    ? document.prior_state.values
    : document.planned_values;
  const reported = new Set(report.resources.map(resource => resource.key));
  const resources = report.resources.map(diff =>
    applyIgnoreRules(diff, ignore, weights),
  );
  for (const resource of managedResources(
    isObject(state) ? state.root_module : undefined,
  )) {
    if (reported.has(resource.address)) continue;
    reported.add(resource.address);
    resources.push(inSync(resource));
  }
  return resources;
}

/**
 * Compares Terraform plans: the drift Terraform found when it refreshed its state against the
 * real infrastructure (`resource_drift`), one finding per drifted resource. The plan is both
 * the desired state (what the state recorded) and the live reading (what the refresh saw), so
 * this target never calls a cloud API; it cannot look back in time and ignores `asOf`.
 * Changes that the ignore rules name (refresh noise) are left out of the findings.
 */
export class TerraformPlanTarget implements LiveStateTarget {
  readonly id = 'terraform';
  readonly targetKind = TERRAFORM_TARGET_KIND;
  private readonly ignore: IgnoreIndex;

  constructor(options: { ignore?: readonly TerraformIgnoreRule[] } = {}) {
    this.ignore = indexIgnoreRules(options.ignore ?? []);
  }

  async compare(
    requests: TargetRequest[],
    options: ProviderCallOptions,
  ): Promise<TargetResult[]> {
    return requests.map(request => {
      const resources: ScannedResource[] = [];
      const errors: LocationError[] = [];
      for (const desired of request.desired) {
        if (desired.targetKind !== TERRAFORM_TARGET_KIND) continue;
        for (const plan of desired.documents) {
          try {
            for (const diff of scanPlan(
              plan,
              options.diffOptions,
              this.ignore,
            )) {
              resources.push({ location: desired.location, diff });
            }
          } catch (error) {
            // The engine's messages describe the document's shape and never quote its values.
            const message =
              error instanceof Error ? error.message : String(error);
            options.logger.warn(
              `${request.entityRef}: cannot read the plan at ${desired.location}: ${message}`,
            );
            errors.push({ location: desired.location, message });
          }
        }
      }
      return { entityRef: request.entityRef, resources, errors };
    });
  }
}
