import { stringifyError } from '@backstage/errors';
import type {
  LiveStateTarget,
  ProviderCallOptions,
  TargetRequest,
  TargetResult,
} from '@driftwatch/plugin-drift-node';
import type { LiveCluster } from '../clusters/types';
import { Environments } from '../environments/Environments';
import { placeEntity, type EntityPlacement } from '../environments/placeEntity';
import {
  ClusterComparison,
  type KindRef,
  type PreparedEntity,
} from './ClusterComparison';
import { ComparisonCache, type ComparisonCacheLimits } from './comparisonCache';
import { KUBERNETES_TARGET_KIND, desiredManifestsOf } from './desiredObjects';
import {
  DEFAULT_SCOPE_RULES,
  readEntityScope,
  type ScopeRules,
} from './entityScope';

export type { KindRef } from './ClusterComparison';

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
  /** What entities may read; the extra kinds are allowed too. */
  scope?: ScopeRules;
  /** Which clusters each environment runs in; entities are compared in their environments'. */
  environments?: Environments;
  /** Bounds of the last comparisons kept, reused while neither side changed. */
  comparisons?: ComparisonCacheLimits;
}

function prepare(request: TargetRequest, rules: ScopeRules): PreparedEntity {
  const failure = (error: unknown) =>
    `${request.entityRef}: ${
      error instanceof Error ? error.message : stringifyError(error)
    }`;
  let desired;
  try {
    desired = desiredManifestsOf(request.desired);
  } catch (error) {
    return { desired: [], error: failure(error) };
  }
  try {
    return { desired, scope: readEntityScope(request.entity, rules) };
  } catch (error) {
    return { desired, error: failure(error) };
  }
}

/**
 * The entity as one cluster compares it: only the desired objects meant for that cluster, and
 * nothing at all (no extras either) when every desired state names another cluster.
 */
function inCluster(
  entity: PreparedEntity,
  request: TargetRequest,
  cluster: string,
): PreparedEntity {
  const pinned = request.desired.filter(d => d.cluster).map(d => d.cluster);
  if (pinned.length === 0) return entity;
  if (pinned.length === request.desired.length && !pinned.includes(cluster)) {
    return { desired: [] };
  }
  return {
    ...entity,
    desired: entity.desired.filter(m => !m.cluster || m.cluster === cluster),
  };
}

/**
 * Compares entities' Git manifests with their live objects in every configured cluster.
 *
 * Each entity reads only inside its scope (allowed kinds, its namespaces, its labels): a Git
 * object outside it is never read and comes back `unknown` with the reason.
 *
 * A round costs one LIST per cluster, namespace and kind, shared by all entities of the call,
 * never one GET per resource. A read that fails makes the cluster a location error of every
 * entity that needed it, with its desired resources `unknown`: a failed read must never look
 * like a deletion.
 *
 * The LISTs are sent every round; an entity whose Git objects and live objects' versions are
 * as at its last comparison in a cluster keeps that comparison (see ComparisonCache).
 */
export class KubernetesLiveTarget implements LiveStateTarget {
  readonly id = 'kubernetes';
  readonly targetKind = KUBERNETES_TARGET_KIND;

  private readonly clusters: LiveCluster[];
  private readonly extraKinds: KindRef[];
  private readonly rules: ScopeRules;
  private readonly environments: Environments;
  /** Warnings already given, so a standing condition is logged once, not every round. */
  private readonly warned = new Set<string>();
  private readonly comparisons: ComparisonCache;

  constructor(options: KubernetesLiveTargetOptions) {
    this.clusters = options.clusters;
    this.extraKinds = options.extraKinds ?? DEFAULT_EXTRA_KINDS;
    this.environments = options.environments ?? new Environments([]);
    this.comparisons = new ComparisonCache(options.comparisons);
    const rules = options.scope ?? DEFAULT_SCOPE_RULES;
    // A kind checked for extras is listed anyway; Git may declare it too.
    this.rules = {
      ...rules,
      allowedKinds: [...rules.allowedKinds, ...this.extraKinds],
    };
  }

  async compare(
    requests: TargetRequest[],
    options: ProviderCallOptions,
  ): Promise<TargetResult[]> {
    const results: Array<Required<TargetResult>> = requests.map(request => ({
      entityRef: request.entityRef,
      resources: [],
      errors: [],
      unreadKinds: [],
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

    const clusterNames = this.clusters.map(cluster => cluster.name);
    const placements = requests.map(request =>
      placeEntity(request, this.environments, clusterNames),
    );
    placements.forEach((placement, index) => {
      if (placement.error) {
        results[index].errors.push({ location: '*', message: placement.error });
      }
    });
    const warnOnce = (key: string, text: string) => {
      if (this.warned.has(key)) return;
      this.warned.add(key);
      options.logger.warn(text);
    };
    const names = new Set(this.clusters.map(cluster => cluster.name));
    requests.forEach((request, index) => {
      for (const state of request.desired) {
        if (!state.cluster || names.has(state.cluster)) continue;
        results[index].errors.push({
          location: state.cluster,
          message: `${state.location} deploys to cluster '${state.cluster}', which drift detection does not compare`,
        });
      }
    });
    const perCluster = await Promise.all(
      this.clusters.map(cluster =>
        new ClusterComparison(
          cluster,
          requests.map((request, index) =>
            this.entityIn(placements[index], request, cluster.name),
          ),
          this.extraKinds,
          options,
          warnOnce,
          this.comparisons,
        ).run(),
      ),
    );
    perCluster.forEach((outcomes, clusterIndex) => {
      const location = this.clusters[clusterIndex].name;
      const environment = this.environments.environmentOf(location);
      outcomes.forEach((outcome, index) => {
        results[index].resources.push(
          ...(environment
            ? outcome.resources.map(resource => ({ ...resource, environment }))
            : outcome.resources),
        );
        results[index].errors.push(...outcome.errors);
        results[index].unreadKinds.push(...outcome.unreadKinds.map(kind => ({ location, kind })));
      });
    });
    return results;
  }

  /** The entity as one cluster compares it: nothing at all outside its environments. */
  private entityIn(
    placement: EntityPlacement,
    request: TargetRequest,
    cluster: string,
  ): PreparedEntity {
    const desired = placement.clusters.get(cluster);
    if (!desired) return { desired: [] };
    const placed = { ...request, desired };
    return {
      ...inCluster(prepare(placed, this.rules), placed, cluster),
      onlyWhereLive: placement.onlyWhereLive,
      entityRef: request.entityRef,
    };
  }
}
