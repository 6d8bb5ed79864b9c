import { DRIFT_ENVIRONMENT_ANNOTATION } from '@driftwatch/plugin-drift-common';
import type { DesiredState, TargetRequest } from '@driftwatch/plugin-drift-node';
import type { Environments } from './Environments';

/** Where one entity is compared, and with which of its desired states. */
export interface EntityPlacement {
  /** The desired states compared in each cluster; a cluster left out is not compared at all. */
  clusters: Map<string, DesiredState[]>;
  /**
   * Compare only in clusters where some of the entity's objects run: an entity that names no
   * environment, in a setup of several clusters, is not `missing` where it was never deployed.
   */
  onlyWhereLive: boolean;
  /** Why the entity cannot be placed (it names an environment that is not configured). */
  error?: string;
}

/**
 * Places an entity in clusters by its environments. A desired state is for the environment its
 * location names (`staging=url:...`), else the entity's `driftwatch.io/environment`, else for
 * every environment of the entity. An entity with environments is compared in their clusters
 * only, each with the states for that environment; one without is compared in every cluster.
 */
export function placeEntity(
  request: TargetRequest,
  environments: Environments,
  clusterNames: string[],
): EntityPlacement {
  const annotated = request.entity.metadata.annotations?.[DRIFT_ENVIRONMENT_ANNOTATION]?.trim();
  // The annotation predates environment mappings: without a mapping it places nothing.
  const fallback = annotated && environments.has(annotated) ? annotated : undefined;
  const forEnvironment = new Map<string, DesiredState[]>();
  const shared: DesiredState[] = [];
  for (const state of request.desired) {
    const environment = state.environment ?? fallback;
    if (environment === undefined) {
      shared.push(state);
      continue;
    }
    if (!environments.has(environment)) {
      return {
        clusters: new Map(),
        onlyWhereLive: false,
        error:
          `${request.entityRef}: ${state.location} is for environment '${environment}', ` +
          `which drift.environments does not configure`,
      };
    }
    forEnvironment.set(environment, [...(forEnvironment.get(environment) ?? []), state]);
  }

  const clusters = new Map<string, DesiredState[]>();
  if (forEnvironment.size === 0) {
    for (const cluster of clusterNames) clusters.set(cluster, shared);
    return { clusters, onlyWhereLive: clusterNames.length > 1 };
  }
  const known = new Set(clusterNames);
  for (const [environment, states] of forEnvironment) {
    for (const cluster of environments.clustersOf(environment)) {
      if (known.has(cluster)) clusters.set(cluster, [...shared, ...states]);
    }
  }
  return { clusters, onlyWhereLive: false };
}
