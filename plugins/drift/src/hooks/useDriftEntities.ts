import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogApi } from '@backstage/catalog-client';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { DRIFT_LINK_ANNOTATIONS } from '@driftwatch/plugin-drift-common';
import useAsync from 'react-use/esm/useAsync';

/** A catalog entity Driftwatch scans, with the owner and system the backend records. */
export interface DriftEntity {
  entityRef: string;
  owner: string | null;
  system: string | null;
}

/** Resolves `spec.owner` / `spec.system` the way the backend does, so refs compare equal. */
function refOf(entity: Entity, field: 'owner' | 'system', defaultKind: string) {
  const value = (entity.spec as Record<string, unknown> | undefined)?.[field];
  if (typeof value !== 'string' || !value) return null;
  try {
    return stringifyEntityRef(
      parseEntityRef(value, {
        defaultKind,
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  } catch {
    return null;
  }
}

const uniqueSorted = (values: Array<string | null>) =>
  [...new Set(values.filter((v): v is string => Boolean(v)))].sort();

/** The entities, owners and systems the filters offer. */
export interface DriftEntities {
  entities: DriftEntity[];
  owners: string[];
  systems: string[];
}

async function fetchDriftEntities(
  catalogApi: CatalogApi,
): Promise<DriftEntities> {
  const { items } = await catalogApi.getEntities({
    // A list of filters is an OR: entities with either link annotation.
    filter: DRIFT_LINK_ANNOTATIONS.map(annotation => ({
      [`metadata.annotations.${annotation}`]: CATALOG_FILTER_EXISTS,
    })),
    fields: [
      'kind',
      'metadata.namespace',
      'metadata.name',
      'spec.owner',
      'spec.system',
    ],
  });
  const entities: DriftEntity[] = items.map(entity => ({
    entityRef: stringifyEntityRef(entity),
    owner: refOf(entity, 'owner', 'group'),
    system: refOf(entity, 'system', 'system'),
  }));
  return {
    entities,
    owners: uniqueSorted(entities.map(e => e.owner)),
    systems: uniqueSorted(entities.map(e => e.system)),
  };
}

const CACHE_MS = 60_000;
const cache = new WeakMap<
  CatalogApi,
  { promise: Promise<DriftEntities>; at: number }
>();

/**
 * The catalog entities linked to desired state (the ones Driftwatch scans), their owners and
 * systems: the choices of the owner and system filters.
 */
export function loadDriftEntities(
  catalogApi: CatalogApi,
): Promise<DriftEntities> {
  // The tabs share one answer for a while rather than asking the catalog on every visit.
  const cached = cache.get(catalogApi);
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.promise;
  const promise = fetchDriftEntities(catalogApi);
  cache.set(catalogApi, { promise, at: Date.now() });
  promise.catch(() => cache.delete(catalogApi));
  return promise;
}

/** {@link loadDriftEntities} as a hook. */
export function useDriftEntities() {
  const catalogApi = useApi(catalogApiRef);
  return useAsync(() => loadDriftEntities(catalogApi), [catalogApi]);
}
