import { stringifyError } from '@backstage/errors';
import {
  diffResources,
  identityOf,
  isClusterScoped,
  matchKey,
  resourceKey,
  type JsonObject,
  type KubeObject,
  type ResourceDiff,
} from '@driftwatch/plugin-drift-common';
import type {
  LocationError,
  ProviderCallOptions,
  ScannedResource,
} from '@driftwatch/plugin-drift-node';
import { KubernetesApiError } from '../clusters/ApiCluster';
import type {
  ClusterView,
  ListRequest,
  LiveCluster,
  ServedKind,
} from '../clusters/types';
import {
  appLabelsOf,
  selects,
  type EntityScope,
  type EntitySelection,
} from './entityScope';
import {
  objectSourceOf,
  placeManifest,
  unknownDiff,
  type DesiredManifest,
} from './desiredObjects';
import { ListPlan, listKey, type ListRole } from './ListPlan';
import { comparedObjectsOf } from './comparedObjects';
import { comparisonFingerprint, type ComparisonCache } from './comparisonCache';

/** A kind checked for live objects that Git lacks. */
export interface KindRef {
  apiVersion: string;
  kind: string;
}

/** One entity of a round, ready to compare in any cluster. */
export interface PreparedEntity {
  desired: DesiredManifest[];
  scope?: EntityScope;
  /** Why the entity cannot be compared anywhere (bad annotation, bad desired state). */
  error?: string;
  /** Compare only if some of the entity's objects run in the cluster (see placeEntity). */
  onlyWhereLive?: boolean;
  /** Names the entity's last comparison in the cache; without it nothing is reused. */
  entityRef?: string;
}

/** One entity's result in one cluster. */
export interface ClusterOutcome {
  resources: ScannedResource[];
  errors: LocationError[];
  /** Kinds this cluster forbade listing for extras, for this entity. */
  unreadKinds: string[];
}

/** A LIST's objects, each with its identity key, or why the LIST failed. */
type Listed =
  | { objects: Array<{ object: KubeObject; match: string }> }
  | { error: unknown };

const kindKey = (apiVersion: string, kind: string) => `${apiVersion}|${kind}`;

function message(error: unknown): string {
  return error instanceof Error ? error.message : stringifyError(error);
}

/** Whether a failed LIST is a permission the service account was never given. */
function isForbidden(error: unknown): boolean {
  return error instanceof KubernetesApiError && error.statusCode === 403;
}

function withMatchKeys(objects: KubeObject[]) {
  return objects.map(object => {
    const metadata = object.metadata ?? {};
    const namespace =
      typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
    const name = String(metadata.name ?? '');
    const id = identityOf(object.apiVersion, object.kind, name, namespace);
    return { object, match: matchKey(id) };
  });
}

/** Desired lists first, so an object listed in two versions keeps the one Git uses. */
function byRole(a: [string, ListRole], b: [string, ListRole]): number {
  if (a[1] === b[1]) return 0;
  return a[1] === 'desired' ? -1 : 1;
}

/**
 * A compared resource with where Git declares it. Extra objects have no Git declaration; the
 * engine may match a desired object whose namespace Git left out, so its source is found by
 * identity when the key differs.
 */
function withSource(
  location: string,
  diff: ResourceDiff,
  desired: DesiredManifest[],
  live: Map<string, KubeObject>,
): ScannedResource {
  const liveObject = live.get(
    matchKey(identityOf(diff.apiVersion, diff.kind, diff.name, diff.namespace)),
  );
  const manifest =
    diff.status === 'extra'
      ? undefined
      : desired.find(m => resourceKey(m.id) === diff.key) ??
        (diff.desiredSource &&
          desired.find(m => m.source === diff.desiredSource));
  const resource: ScannedResource = manifest
    ? { location, diff, source: objectSourceOf(manifest) }
    : { location, diff };
  const objects = comparedObjectsOf(diff.kind, manifest?.object, liveObject);
  return objects ? { ...resource, objects } : resource;
}

/**
 * One scan round of many entities in one cluster: resolve the kinds involved, plan the LISTs
 * (one per namespace and kind, shared by every entity), send them, and compare each entity's
 * desired objects with its share of the results.
 */
export class ClusterComparison {
  private readonly outcomes: ClusterOutcome[];
  /** Entities still to compare; those that failed already have their outcome. */
  private readonly pending = new Set<number>();
  private readonly selections: EntitySelection[];
  /** Each entity's desired objects as the cluster would hold them (namespaces filled in). */
  private readonly placed = new Map<number, DesiredManifest[]>();
  /** Each entity's Git objects outside its scope: never read, `unknown` with the reason. */
  private readonly outOfScope = new Map<number, ScannedResource[]>();
  private readonly served = new Map<string, ServedKind | undefined | Error>();
  private readonly plan = new ListPlan();
  /** Structural schemas of the round's custom resource kinds, by `apiVersion|kind`. */
  private customSchemas = new Map<string, JsonObject>();
  /** How the cluster versions its objects, and the round's settings, for the cache. */
  private versionOf: (object: KubeObject) => string | undefined = () =>
    undefined;
  private context = '';

  constructor(
    private readonly cluster: LiveCluster,
    private readonly entities: PreparedEntity[],
    private readonly extraKinds: KindRef[],
    private readonly options: ProviderCallOptions,
    /** Logs a standing condition once per target, not every round. */
    private readonly warnOnce: (key: string, text: string) => void,
    /** Last comparisons, reused while neither side changed. */
    private readonly comparisons?: ComparisonCache,
  ) {
    this.outcomes = entities.map(() => ({
      resources: [],
      errors: [],
      unreadKinds: [],
    }));
    this.selections = entities.map(e => e.scope?.selection ?? { type: 'none' });
  }

  async run(): Promise<ClusterOutcome[]> {
    this.entities.forEach((entity, index) => {
      if (entity.error) this.fail(index, entity.error);
      else this.pending.add(index);
    });
    if (this.pending.size === 0) return this.outcomes;

    let view: ClusterView;
    try {
      view = await this.cluster.open({
        logger: this.options.logger,
        signal: this.options.signal,
        asOf: this.options.asOf,
      });
    } catch (error) {
      const reason = `Cannot read cluster '${this.cluster.name}': ${message(
        error,
      )}`;
      this.options.logger.warn(`Drift detection: ${reason}`);
      for (const index of this.pending) this.fail(index, reason);
      return this.outcomes;
    }

    await this.resolveKinds(view);
    await this.readCustomResourceSchemas(view);
    this.versionOf = object => view.versionOf?.(object);
    this.context = JSON.stringify([
      this.options.diffOptions ?? {},
      [...this.customSchemas],
    ]);
    this.planDesired();
    this.planExtra();
    await this.readAndCompare(view);
    for (const [index, resources] of this.outOfScope) {
      this.outcomes[index].resources.push(...resources);
    }
    return this.outcomes;
  }

  /** Marks an entity's desired resources `unknown` in this cluster, with the reason. */
  private fail(index: number, reason: string): void {
    const entity = this.entities[index];
    const desired =
      this.placed.get(index) ??
      entity.desired.map(m =>
        placeManifest(
          m,
          !isClusterScoped(m.id.kind),
          entity.scope?.namespace ?? 'default',
        ),
      );
    this.outcomes[index] = {
      resources: desired.map(m => ({
        location: this.cluster.name,
        diff: unknownDiff(m),
        source: objectSourceOf(m),
      })),
      errors: [{ location: this.cluster.name, message: reason }],
      unreadKinds: [],
    };
    this.pending.delete(index);
  }

  /** Asks once per round how the cluster serves each kind of the round. */
  private async resolveKinds(view: ClusterView): Promise<void> {
    const kinds = new Map<string, KindRef>();
    for (const index of this.pending) {
      const { scope } = this.entities[index];
      for (const m of this.entities[index].desired) {
        const { apiVersion } = m.object;
        if (!scope?.mayDeclare(apiVersion, m.id.kind)) continue;
        kinds.set(kindKey(apiVersion, m.id.kind), {
          apiVersion,
          kind: m.id.kind,
        });
      }
    }
    for (const extra of this.extraKinds) {
      kinds.set(kindKey(extra.apiVersion, extra.kind), extra);
    }
    await Promise.all(
      [...kinds].map(async ([key, { apiVersion, kind }]) => {
        try {
          this.served.set(key, await view.resolveKind(apiVersion, kind));
        } catch (error) {
          this.served.set(
            key,
            error instanceof Error ? error : new Error(message(error)),
          );
        }
      }),
    );
  }

  /**
   * Reads the schemas of the round's custom resource kinds, so the API server's structural
   * defaults never read as drift. Without them (no permission on CRDs, an old server) custom
   * resources are still compared, only without their defaults.
   */
  private async readCustomResourceSchemas(view: ClusterView): Promise<void> {
    if (!view.customResourceSchemas) return;
    const kinds = new Map<string, ServedKind>();
    for (const index of this.pending) {
      for (const m of this.entities[index].desired) {
        const kind = this.served.get(kindKey(m.object.apiVersion, m.id.kind));
        if (kind && !(kind instanceof Error))
          kinds.set(kindKey(kind.apiVersion, kind.kind), kind);
      }
    }
    if (kinds.size === 0) return;
    try {
      this.customSchemas = await view.customResourceSchemas([
        ...kinds.values(),
      ]);
    } catch (error) {
      this.warnOnce(
        `${this.cluster.name}|crd-schemas`,
        `Cannot read CustomResourceDefinitions of cluster '${this.cluster.name}'; custom ` +
          `resources are compared without their schema defaults: ${message(
            error,
          )}`,
      );
    }
  }

  /** Plans the LISTs of the entities' desired kinds, in their objects' namespaces. */
  private planDesired(): void {
    for (const index of [...this.pending]) {
      const entity = this.entities[index];
      const defaultNamespace = entity.scope?.namespace ?? 'default';
      let problem: Error | undefined;
      const objects: DesiredManifest[] = [];
      const outside: ScannedResource[] = [];
      for (const m of entity.desired) {
        const kind = this.served.get(kindKey(m.object.apiVersion, m.id.kind));
        const namespaced =
          kind && !(kind instanceof Error)
            ? kind.namespaced
            : !isClusterScoped(m.id.kind);
        const placed = placeManifest(m, namespaced, defaultNamespace);
        const refusal = entity.scope?.refusal(placed, namespaced);
        if (refusal) {
          outside.push({
            location: this.cluster.name,
            diff: unknownDiff(placed),
            source: objectSourceOf(placed),
            error: refusal,
          });
          continue;
        }
        if (kind instanceof Error) problem ??= kind;
        objects.push(placed);
      }
      this.placed.set(index, objects);
      if (outside.length) this.outOfScope.set(index, outside);
      if (problem) {
        this.fail(
          index,
          `Cannot read cluster '${this.cluster.name}': ${problem.message}`,
        );
        continue;
      }
      for (const m of objects) {
        const kind = this.served.get(kindKey(m.object.apiVersion, m.id.kind));
        if (!kind || kind instanceof Error) {
          // A kind the cluster does not serve (a CRD that is not installed) has no objects
          // there: that is an answer, not an outage, so the objects compare as missing.
          this.warnOnce(
            `${this.cluster.name}|${m.object.apiVersion}|${m.id.kind}`,
            `Cluster '${this.cluster.name}' does not serve ${m.object.apiVersion} ${m.id.kind}; ` +
              `its objects are compared as absent`,
          );
          continue;
        }
        this.plan.need(index, kind, m.id.namespace, 'desired', m.id.name);
      }
    }
  }

  /**
   * Plans the LISTs of the extra kinds in each entity's namespaces: the namespace annotation,
   * else the namespaces of its desired objects; only those and the kinds its scope allows.
   */
  private planExtra(): void {
    for (const index of [...this.pending]) {
      const { scope } = this.entities[index];
      if (!scope || scope.selection.type === 'none') continue;
      const namespaces = (
        scope.namespace
          ? [scope.namespace]
          : [
              ...new Set(
                this.placed.get(index)!.flatMap(m => m.id.namespace ?? []),
              ),
            ]
      ).filter(namespace => !scope.namespaceRefusal(namespace));
      for (const extra of this.extraKinds) {
        const kind = this.served.get(kindKey(extra.apiVersion, extra.kind));
        if (kind instanceof Error) {
          this.fail(
            index,
            `Cannot read cluster '${this.cluster.name}': ${kind.message}`,
          );
          break;
        }
        if (!kind) continue; // not served here, so none can exist
        if (!scope.readsKind(kind)) {
          this.warnOnce(
            `${this.cluster.name}|scope|${kind.apiVersion}|${kind.kind}`,
            `Cluster '${this.cluster.name}' serves ${kind.apiVersion} ${kind.kind} cluster-wide; ` +
              `it is not checked for extras unless drift.kubernetes.clusterScopedKinds lists it`,
          );
          continue;
        }
        if (!kind.namespaced) this.plan.needExtra(index, kind, undefined);
        else
          for (const namespace of namespaces)
            this.plan.needExtra(index, kind, namespace);
      }
    }
  }

  /**
   * Sends every planned LIST once, whatever the number of entities sharing it, and compares each
   * entity as soon as the lists it needs are in. A list's objects are let go when the last entity
   * needing it is compared, so a round holds the lists in flight, not every list of the round,
   * and live objects seldom outlive the young generation. A list read in several requests
   * (several selectors, Secret values apart from metadata) is joined in the order of its
   * requests, so whole objects come before their metadata; one failed request fails the list.
   */
  private async readAndCompare(view: ClusterView): Promise<void> {
    const requestsByList = new Map<string, ListRequest[]>();
    for (const { list, request } of this.plan.requests(this.selections)) {
      requestsByList.set(list.key, [
        ...(requestsByList.get(list.key) ?? []),
        request,
      ]);
    }
    const listsAwaited = new Map<number, number>();
    const entitiesAwaiting = new Map<string, number>();
    for (const index of this.pending) {
      const keys = [...this.plan.needsOf(index).keys()];
      listsAwaited.set(index, keys.length);
      for (const key of keys) {
        entitiesAwaiting.set(key, (entitiesAwaiting.get(key) ?? 0) + 1);
        if (!requestsByList.has(key)) requestsByList.set(key, []);
      }
    }
    const listed = new Map<string, Listed>();
    const compare = (index: number) => {
      this.compareEntity(index, listed);
      for (const key of this.plan.needsOf(index).keys()) {
        const awaiting = entitiesAwaiting.get(key)! - 1;
        entitiesAwaiting.set(key, awaiting);
        if (awaiting === 0) listed.delete(key);
      }
    };
    for (const [index, awaited] of listsAwaited)
      if (awaited === 0) compare(index);

    const failures: unknown[] = [];
    await Promise.all(
      [...requestsByList].map(async ([key, requests]) => {
        const results = await Promise.all(
          requests.map(async (request): Promise<Listed> => {
            try {
              return { objects: withMatchKeys(await view.list(request)) };
            } catch (error) {
              return { error };
            }
          }),
        );
        const failed = results.find(
          (r): r is { error: unknown } => 'error' in r,
        );
        if (failed) failures.push(failed.error);
        if (!entitiesAwaiting.get(key)) return;
        listed.set(
          key,
          failed ?? {
            objects: results.flatMap(r => ('objects' in r ? r.objects : [])),
          },
        );
        for (const [index] of this.plan.get(key)!.members) {
          const awaited = listsAwaited.get(index);
          if (awaited === undefined) continue; // failed before its reads
          listsAwaited.set(index, awaited - 1);
          if (awaited === 1) compare(index);
        }
      }),
    );
    if (failures.length) {
      this.options.logger.warn(
        `Drift detection could not send ${failures.length} LIST(s) to cluster ` +
          `'${this.cluster.name}'; entities that need them are unknown there this round: ` +
          `${message(failures[0])}`,
      );
    }
  }

  /**
   * Compares one entity with its share of the LIST results. A LIST that failed makes only the
   * desired objects it would have read `unknown`, with the reason; the rest is compared. A kind
   * listed only to look for extras that could not be read is simply not checked for extras.
   */
  private compareEntity(index: number, listed: Map<string, Listed>): void {
    const selection = this.selections[index];
    const placed = this.placed.get(index)!;
    const failedLists = new Map<string, string>();
    const blocking: string[] = [];
    const unreadKinds: string[] = [];
    const errors: LocationError[] = [];
    const live: KubeObject[] = [];
    const liveByMatch = new Map<string, KubeObject>();
    const seen = new Set<string>();
    for (const [key, role] of [...this.plan.needsOf(index)].sort(byRole)) {
      const result = listed.get(key)!;
      if ('error' in result) {
        const { kind } = this.plan.get(key)!;
        const reason = `Cannot read cluster '${this.cluster.name}': ${message(
          result.error,
        )}`;
        if (role === 'desired') {
          // A refused kind is a standing permission: only its objects are unknown. Any other
          // failure is an outage of the cluster for this entity, as when it cannot be reached.
          if (!isForbidden(result.error)) blocking.push(message(result.error));
          else failedLists.set(key, reason);
          continue;
        }
        // Backstage's usual read-only role cannot list Secrets: without the permission the
        // kind is simply not checked for extras, instead of every entity turning unknown.
        this.warnOnce(
          `${this.cluster.name}|unread|${kind.apiVersion}|${kind.kind}`,
          `Cluster '${this.cluster.name}' ${
            isForbidden(result.error) ? 'forbids listing' : 'could not list'
          } ${kind.apiVersion} ${kind.kind}; ` +
            `extra objects of that kind are not detected there (${message(
              result.error,
            )})`,
        );
        if (!isForbidden(result.error))
          errors.push({ location: this.cluster.name, message: reason });
        unreadKinds.push(kind.kind);
        continue;
      }
      for (const { object, match } of result.objects) {
        // Only the entity's own objects, even where a LIST shared with others returned more.
        if (seen.has(match) || !selects(selection, object.metadata?.labels))
          continue;
        seen.add(match);
        live.push(object);
        liveByMatch.set(match, object);
      }
    }

    if (blocking.length) {
      const more =
        blocking.length > 1
          ? ` (and ${blocking.length - 1} more failed reads)`
          : '';
      this.fail(
        index,
        `Cannot read cluster '${this.cluster.name}': ${blocking[0]}${more}`,
      );
      return;
    }

    if (
      this.entities[index].onlyWhereLive &&
      selection.type !== 'none' &&
      live.length === 0 &&
      failedLists.size === 0 &&
      errors.length === 0
    ) {
      // Every read answered and none of the entity's objects runs here: it is not deployed to
      // this cluster, so its Git objects are not missing here.
      this.outcomes[index] = { resources: [], errors: [], unreadKinds };
      this.outOfScope.delete(index);
      return;
    }

    const unread: ScannedResource[] = [];
    const desired = placed.filter(m => {
      const kind = this.served.get(kindKey(m.object.apiVersion, m.id.kind));
      const reason =
        kind && !(kind instanceof Error)
          ? failedLists.get(listKey(kind, m.id.namespace))
          : undefined;
      if (reason === undefined) return true;
      unread.push({
        location: this.cluster.name,
        diff: unknownDiff(m),
        source: objectSourceOf(m),
        error: reason,
      });
      return false;
    });
    for (const kind of failedLists.keys())
      unreadKinds.push(this.plan.get(kind)!.kind.kind);
    try {
      this.outcomes[index] = {
        resources: [
          ...this.compared(index, desired, live, liveByMatch),
          ...unread,
        ],
        errors,
        unreadKinds: [...new Set(unreadKinds)],
      };
    } catch (error) {
      this.fail(
        index,
        `Cannot compare in cluster '${this.cluster.name}': ${message(error)}`,
      );
    }
  }

  /**
   * The entity's compared resources: its last ones while its Git objects, its live objects'
   * versions and the round's settings are what they were at its last comparison here.
   */
  private compared(
    index: number,
    desired: DesiredManifest[],
    live: KubeObject[],
    liveByMatch: Map<string, KubeObject>,
  ): ScannedResource[] {
    const { diffOptions, work } = this.options;
    const selection = this.selections[index];
    const { entityRef } = this.entities[index];
    const { comparisons } = this;
    const cache =
      entityRef && comparisons
        ? {
            key: `${entityRef}|${this.cluster.name}`,
            fingerprint: comparisonFingerprint(
              desired,
              live,
              this.versionOf,
              `${this.context}\0${JSON.stringify(selection)}`,
            ),
          }
        : undefined;
    const cached = cache && comparisons!.lookup(cache.key, cache.fingerprint);
    if (cached) {
      work?.count('diffsSkipped', cached.length);
      return cached;
    }
    const report = diffResources(desired, live, {
      ...diffOptions,
      appSelector: appLabelsOf(selection) ?? diffOptions?.appSelector,
      customResourceSchema: (apiVersion, kind) =>
        this.customSchemas.get(kindKey(apiVersion, kind)),
    });
    work?.count('diffsComputed', report.resources.length);
    const resources = report.resources.map(diff =>
      withSource(this.cluster.name, diff, desired, liveByMatch),
    );
    if (cache) comparisons!.remember(cache.key, cache.fingerprint, resources);
    return resources;
  }
}
