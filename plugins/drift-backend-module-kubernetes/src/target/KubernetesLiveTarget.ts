import type { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import {
  diffResources,
  identityOf,
  isClusterScoped,
  matchKey,
  type DiffOptions,
  type KubeObject,
  type ParsedManifest,
} from '@driftwatch/plugin-drift-common';
import type {
  LiveStateTarget,
  LocationError,
  ProviderCallOptions,
  ScannedResource,
  TargetRequest,
  TargetResult,
} from '@driftwatch/plugin-drift-node';
import { KubernetesApiError } from '../clusters/ApiCluster';
import type { ClusterView, LiveCluster, ServedKind } from '../clusters/types';
import {
  appLabelsOf,
  readEntityScope,
  selects,
  type EntityScope,
  type EntitySelection,
} from './entityScope';
import {
  KUBERNETES_TARGET_KIND,
  desiredManifestsOf,
  placeManifest,
  unknownDiff,
} from './desiredObjects';
import { ListPlan, type ListRole } from './ListPlan';

/** A kind checked for live objects that Git lacks. */
export interface KindRef {
  apiVersion: string;
  kind: string;
}

/**
 * Kinds checked for `extra` objects by default: what teams deploy by hand next to their Git
 * manifests, and the RBAC and network objects security reviews ask about. Pods, ReplicaSets and
 * Jobs are left out: controllers create them with ownerReferences, so they are never extra.
 */
export const DEFAULT_EXTRA_KINDS: KindRef[] = [
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { apiVersion: 'batch/v1', kind: 'CronJob' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'v1', kind: 'ServiceAccount' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
];

/** Options of {@link KubernetesLiveTarget}. */
export interface KubernetesLiveTargetOptions {
  /** Every cluster each entity is compared in. */
  clusters: LiveCluster[];
  /** Kinds listed for `extra` objects besides the kinds of the entity's Git objects. */
  extraKinds?: KindRef[];
}

/**
 * Call options as the scan passes them: the engine's options (ignore rules, severities, the key
 * of Secret fingerprints) travel with them when configured.
 */
type CompareOptions = ProviderCallOptions & { diffOptions?: DiffOptions };

/** One entity, ready to compare in any cluster. */
interface Prepared {
  request: TargetRequest;
  desired: ParsedManifest[];
  scope?: EntityScope;
  /** Why the entity cannot be compared anywhere (bad annotation, bad desired state). */
  error?: string;
}

/** One entity's result in one cluster. */
interface Outcome {
  resources: ScannedResource[];
  errors: LocationError[];
}

/** A LIST's objects, each with its identity key, or why the LIST failed. */
type Listed =
  | { objects: Array<{ object: KubeObject; match: string }> }
  | { error: unknown };

function withMatchKeys(objects: KubeObject[]) {
  return objects.map(object => {
    const metadata = object.metadata ?? {};
    const namespace =
      typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
    const id = identityOf(
      object.apiVersion,
      object.kind,
      String(metadata.name ?? ''),
      namespace,
    );
    return { object, match: matchKey(id) };
  });
}

const kindKey = (apiVersion: string, kind: string) => `${apiVersion}|${kind}`;

function message(error: unknown): string {
  return error instanceof Error ? error.message : stringifyError(error);
}

/** Whether a failed LIST is a permission the service account was never given. */
function isForbidden(error: unknown): boolean {
  return error instanceof KubernetesApiError && error.statusCode === 403;
}

/**
 * Compares entities' Git manifests with their live objects in every configured cluster.
 *
 * A round costs one LIST per cluster, namespace and kind, shared by all entities of the call
 * and never one GET per resource. A read that fails makes the cluster a {@link LocationError}
 * of every entity that needed it, with its desired resources `unknown`: a failed read must
 * never look like a deletion.
 */
export class KubernetesLiveTarget implements LiveStateTarget {
  readonly id = 'kubernetes';
  readonly targetKind = KUBERNETES_TARGET_KIND;

  private readonly clusters: LiveCluster[];
  private readonly extraKinds: KindRef[];
  /** Warnings already given, so a standing condition is logged once, not every round. */
  private readonly warned = new Set<string>();

  constructor(options: KubernetesLiveTargetOptions) {
    this.clusters = options.clusters;
    this.extraKinds = options.extraKinds ?? DEFAULT_EXTRA_KINDS;
  }

  async compare(
    requests: TargetRequest[],
    options: CompareOptions,
  ): Promise<TargetResult[]> {
    const results: TargetResult[] = requests.map(request => ({
      entityRef: request.entityRef,
      resources: [],
      errors: [],
    }));
    if (requests.length === 0) return results;
    if (this.clusters.length === 0) {
      for (const result of results) {
        result.errors.push({
          location: '*',
          message: 'No Kubernetes cluster is configured for drift detection',
        });
      }
      return results;
    }

    const prepared = requests.map(prepare);
    const perCluster = await Promise.all(
      this.clusters.map(cluster => this.compareIn(cluster, prepared, options)),
    );
    for (const outcomes of perCluster) {
      outcomes.forEach((outcome, index) => {
        results[index].resources.push(...outcome.resources);
        results[index].errors.push(...outcome.errors);
      });
    }
    return results;
  }

  private async compareIn(
    cluster: LiveCluster,
    entities: Prepared[],
    options: CompareOptions,
  ): Promise<Outcome[]> {
    const outcomes: Outcome[] = entities.map(() => ({
      resources: [],
      errors: [],
    }));
    const fail = (index: number, reason: string, placed?: ParsedManifest[]) => {
      const entity = entities[index];
      const defaultNamespace = entity.scope?.namespace ?? 'default';
      const desired =
        placed ??
        entity.desired.map(m =>
          placeManifest(m, !isClusterScoped(m.id.kind), defaultNamespace),
        );
      outcomes[index] = {
        resources: desired.map(m => ({
          location: cluster.name,
          diff: unknownDiff(m),
        })),
        errors: [{ location: cluster.name, message: reason }],
      };
    };

    let active: number[] = [];
    entities.forEach((entity, index) => {
      if (entity.error) fail(index, entity.error);
      else active.push(index);
    });
    if (active.length === 0) return outcomes;

    let view: ClusterView;
    try {
      view = await cluster.open({
        logger: options.logger,
        signal: options.signal,
        asOf: options.asOf,
      });
    } catch (error) {
      options.logger.warn(
        `Drift detection cannot read cluster '${cluster.name}': ${message(
          error,
        )}`,
      );
      for (const index of active)
        fail(index, `Cannot read cluster '${cluster.name}': ${message(error)}`);
      return outcomes;
    }

    // How the cluster serves each kind involved, asked once per round.
    const served = new Map<string, ServedKind | undefined | Error>();
    const kinds = new Map<string, { apiVersion: string; kind: string }>();
    for (const index of active) {
      for (const m of entities[index].desired) {
        kinds.set(kindKey(m.object.apiVersion, m.id.kind), {
          apiVersion: m.object.apiVersion,
          kind: m.id.kind,
        });
      }
    }
    for (const extra of this.extraKinds)
      kinds.set(kindKey(extra.apiVersion, extra.kind), extra);
    await Promise.all(
      [...kinds].map(async ([key, { apiVersion, kind }]) => {
        try {
          served.set(key, await view.resolveKind(apiVersion, kind));
        } catch (error) {
          served.set(
            key,
            error instanceof Error ? error : new Error(message(error)),
          );
        }
      }),
    );

    // Plan: every entity's desired kinds first, then the extra kinds, which join existing
    // LISTs of the same kind where there are any.
    const plan = new ListPlan();
    const placed = new Map<number, ParsedManifest[]>();
    const selections: EntitySelection[] = entities.map(
      e => e.scope?.selection ?? { type: 'none' },
    );
    for (const index of [...active]) {
      const entity = entities[index];
      const defaultNamespace = entity.scope!.namespace ?? 'default';
      const problems: string[] = [];
      const objects = entity.desired.map(m => {
        const kind = served.get(kindKey(m.object.apiVersion, m.id.kind));
        if (kind instanceof Error) problems.push(kind.message);
        const namespaced =
          kind && !(kind instanceof Error)
            ? kind.namespaced
            : !isClusterScoped(m.id.kind);
        return placeManifest(m, namespaced, defaultNamespace);
      });
      placed.set(index, objects);
      if (problems.length) {
        fail(
          index,
          `Cannot read cluster '${cluster.name}': ${problems[0]}`,
          objects,
        );
        active = active.filter(i => i !== index);
        continue;
      }
      for (const m of objects) {
        const kind = served.get(kindKey(m.object.apiVersion, m.id.kind));
        if (!kind || kind instanceof Error) {
          this.warnOnce(
            options.logger,
            `${cluster.name}|${m.object.apiVersion}|${m.id.kind}`,
            `Cluster '${cluster.name}' does not serve ${m.object.apiVersion} ${m.id.kind}; ` +
              `its objects are compared as absent`,
          );
          continue;
        }
        // An object Git does not label as the entity's is only found by an unfiltered LIST.
        const unlabelled = !selects(
          selections[index],
          m.object.metadata.labels,
        );
        plan.need(index, kind, m.id.namespace, 'desired', unlabelled);
      }
    }
    for (const index of [...active]) {
      const entity = entities[index];
      const objects = placed.get(index)!;
      const namespaces = entity.scope!.namespace
        ? [entity.scope!.namespace]
        : [
            ...new Set(
              objects
                .map(m => m.id.namespace)
                .filter((ns): ns is string => !!ns),
            ),
          ];
      for (const extra of this.extraKinds) {
        const kind = served.get(kindKey(extra.apiVersion, extra.kind));
        if (kind instanceof Error) {
          fail(
            index,
            `Cannot read cluster '${cluster.name}': ${kind.message}`,
            objects,
          );
          active = active.filter(i => i !== index);
          break;
        }
        if (!kind) continue; // not served here, so none can exist
        if (!kind.namespaced) plan.needExtra(index, kind, undefined);
        else
          for (const namespace of namespaces)
            plan.needExtra(index, kind, namespace);
      }
    }

    // One LIST per planned list, shared by every entity of the round.
    const listed = new Map<string, Listed>();
    await Promise.all(
      plan.requests(selections).map(async ({ list, request }) => {
        try {
          listed.set(list.key, {
            objects: withMatchKeys(await view.list(request)),
          });
        } catch (error) {
          listed.set(list.key, { error });
        }
      }),
    );

    const failedLists = new Set<string>();
    for (const index of active) {
      const needs = [...plan.needsOf(index)].sort(byRole);
      const selection = selections[index];
      const desired = placed.get(index)!;
      const desiredKeys = new Set(desired.map(m => matchKey(m.id)));
      const blocking: string[] = [];
      const live: KubeObject[] = [];
      const seen = new Set<string>();
      for (const [key, role] of needs) {
        const result = listed.get(key)!;
        if ('error' in result) {
          if (role === 'extra' && isForbidden(result.error)) {
            const kind = plan.get(key)!.kind;
            this.warnOnce(
              options.logger,
              `${cluster.name}|forbidden|${kind.apiVersion}|${kind.kind}`,
              `Cluster '${cluster.name}' forbids listing ${kind.apiVersion} ${kind.kind}; ` +
                `extra objects of that kind are not detected there (${message(
                  result.error,
                )})`,
            );
            continue;
          }
          blocking.push(message(result.error));
          failedLists.add(key);
          continue;
        }
        for (const { object, match } of result.objects) {
          // The same object may come from two versions of its kind; the first (desired) wins.
          if (seen.has(match)) continue;
          if (
            !desiredKeys.has(match) &&
            !selects(selection, object.metadata?.labels)
          )
            continue;
          seen.add(match);
          live.push(object);
        }
      }
      if (blocking.length) {
        const more =
          blocking.length > 1
            ? ` (and ${blocking.length - 1} more failed reads)`
            : '';
        fail(
          index,
          `Cannot read cluster '${cluster.name}': ${blocking[0]}${more}`,
          desired,
        );
        continue;
      }
      try {
        const report = diffResources(desired, live, {
          ...options.diffOptions,
          appSelector:
            appLabelsOf(selection) ?? options.diffOptions?.appSelector,
        });
        outcomes[index] = {
          resources: report.resources.map(diff => ({
            location: cluster.name,
            diff,
          })),
          errors: [],
        };
      } catch (error) {
        fail(
          index,
          `Cannot compare in cluster '${cluster.name}': ${message(error)}`,
          desired,
        );
      }
    }
    if (failedLists.size) {
      const first = listed.get([...failedLists][0]) as { error: unknown };
      options.logger.warn(
        `Drift detection could not read ${failedLists.size} list(s) in cluster '${cluster.name}'; ` +
          `the entities that need them are unknown there this round: ${message(
            first.error,
          )}`,
      );
    }
    return outcomes;
  }

  private warnOnce(logger: LoggerService, key: string, text: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    logger.warn(text);
  }
}

function byRole(a: [string, ListRole], b: [string, ListRole]): number {
  if (a[1] === b[1]) return 0;
  return a[1] === 'desired' ? -1 : 1;
}

function prepare(request: TargetRequest): Prepared {
  try {
    const desired = desiredManifestsOf(request.desired);
    try {
      return { request, desired, scope: readEntityScope(request.entity) };
    } catch (error) {
      return {
        request,
        desired,
        error: `${request.entityRef}: ${message(error)}`,
      };
    }
  } catch (error) {
    return {
      request,
      desired: [],
      error: `${request.entityRef}: ${message(error)}`,
    };
  }
}
