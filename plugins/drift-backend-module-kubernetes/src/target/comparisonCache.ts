import { createHash } from 'node:crypto';
import {
  identityOf,
  matchKey,
  type KubeObject,
} from '@driftwatch/plugin-drift-common';
import { LruCache, type ScannedResource } from '@driftwatch/plugin-drift-node';
import type { DesiredManifest } from './desiredObjects';

/** Bounds of the cache of last comparisons. */
export interface ComparisonCacheLimits {
  /** Most entity comparisons kept (one per entity and cluster); 10000 by default. */
  maxEntries?: number;
  /** Most bytes of compared resources kept, counted as JSON; 128 MiB by default. */
  maxBytes?: number;
}

/** A compared resource's size as JSON, near enough: its objects' text and its diff. */
function sizeOfResource({ diff, objects, source }: ScannedResource): number {
  return (
    JSON.stringify(diff).length +
    (objects?.desired?.length ?? 0) +
    (objects?.live?.length ?? 0) +
    (source ? JSON.stringify(source).length : 0)
  );
}

/** An entity's last comparison in one cluster, and the fingerprint of what it compared. */
interface CachedComparison {
  fingerprint: string;
  resources: ScannedResource[];
}

/**
 * The last comparison of each entity in each cluster, reused while neither side changed.
 *
 * An entity is the unit, not one resource: the engine matches a Git object without a
 * namespace by its unique name among the live objects, lets an autoscaler in Git hide its
 * target's replicas, and finds extras against all of the entity's Git objects, so one
 * resource's diff depends on its neighbours. On a rescan where nothing changed, every
 * comparison is reused all the same.
 */
export class ComparisonCache {
  private readonly cache: LruCache<CachedComparison>;

  constructor(limits: ComparisonCacheLimits = {}) {
    this.cache = new LruCache({
      maxEntries: limits.maxEntries ?? 10_000,
      maxBytes: limits.maxBytes ?? 128 * 1024 * 1024,
      sizeOf: ({ resources }) => resources.reduce((bytes, r) => bytes + sizeOfResource(r), 0),
    });
  }

  /** The resources compared last time, when `fingerprint` is what they were compared from. */
  lookup(key: string, fingerprint: string): ScannedResource[] | undefined {
    const cached = this.cache.get(key);
    return cached?.fingerprint === fingerprint ? cached.resources : undefined;
  }

  remember(key: string, fingerprint: string, resources: ScannedResource[]) {
    this.cache.set(key, { fingerprint, resources });
  }

  get size(): number {
    return this.cache.size;
  }
}

/** Whether a listed object carries only its metadata (a Secret listed for extras). */
function isMetadataOnly(object: KubeObject): boolean {
  return Object.keys(object).every(
    key => key === 'apiVersion' || key === 'kind' || key === 'metadata',
  );
}

/**
 * What an entity's comparison in a cluster depends on, as one hash: its Git objects as placed
 * in the cluster (hashed whole), each live object by its identity and version (the API
 * server's uid and resourceVersion, a snapshot's export fingerprint; the object hashed whole
 * where the cluster gives neither), and the round's settings (`context`: engine options, the
 * entity's selection, custom resource schemas). Secret values enter only through the hash.
 */
export function comparisonFingerprint(
  desired: DesiredManifest[],
  live: KubeObject[],
  versionOf: (object: KubeObject) => string | undefined,
  context: string,
): string {
  const hash = createHash('sha256').update(context).update('\0');
  hash.update(JSON.stringify(desired));
  const versions = live.map(object => {
    const metadata = object.metadata ?? {};
    const namespace =
      typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
    const id = matchKey(
      identityOf(
        object.apiVersion,
        object.kind,
        String(metadata.name ?? ''),
        namespace,
      ),
    );
    const version =
      versionOf(object) ??
      createHash('sha256').update(JSON.stringify(object)).digest('base64url');
    return `${id}=${version}${isMetadataOnly(object) ? '/metadata' : ''}`;
  });
  for (const version of versions.sort()) hash.update(`\0${version}`);
  return hash.digest('base64url');
}
