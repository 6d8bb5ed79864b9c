import type { SurfaceArea, SurfaceFilter, SurfaceGroup } from '@driftwatch/plugin-drift-common';
import type { Knex } from 'knex';

// The surface area (`GET /surface`): monitored resources counted in the database, so the
// dashboard's payload is the same for ten resources or a million.

/** Where the surface area reads from. */
export interface SurfaceSources {
  db: Knex;
  /** drift_resources as `r`, in the caller's scope. */
  resources(): Knex.QueryBuilder;
}

type Row = { key: string | null; status: string; n: unknown };

function filtered(sources: SurfaceSources, filter: SurfaceFilter): Knex.QueryBuilder {
  const query = sources.resources();
  if (filter.entityRef?.length) query.whereIn('r.entity_ref', filter.entityRef);
  if (filter.environment?.length) query.whereIn('r.environment', filter.environment);
  if (filter.location?.length) query.whereIn('r.location', filter.location);
  // Owner, system and tier are the entity's, as the scan last recorded them.
  const byEntity: Array<[string, unknown[] | undefined]> = [
    ['owner', filter.owner],
    ['system', filter.system],
    ['tier', filter.tier],
  ];
  for (const [column, values] of byEntity) {
    if (!values?.length) continue;
    query.whereIn('r.entity_ref', sources.db('drift_entities').select('entity_ref').whereIn(column, values as any[]));
  }
  return query;
}

function groups(rows: Row[]): SurfaceGroup[] {
  const byKey = new Map<string | null, SurfaceGroup>();
  for (const row of rows) {
    const group = byKey.get(row.key) ?? { key: row.key, total: 0, byStatus: {} };
    const n = Number(row.n);
    group.total += n;
    group.byStatus[row.status] = (group.byStatus[row.status] ?? 0) + n;
    byKey.set(row.key, group);
  }
  return [...byKey.values()].sort((a, b) => b.total - a.total || String(a.key).localeCompare(String(b.key)));
}

export async function querySurface(sources: SurfaceSources, filter: SurfaceFilter): Promise<SurfaceArea> {
  type PlaceRow = Row & { provider: string; environment: string | null; location: string };
  type EntityRow = { entityRef: string; status: string; n: unknown };
  // Systems are counted from the counts per entity: grouping the resources by a joined column
  // costs the database a sort of every resource, the entities' few rows are mapped here.
  const [byPlace, byEntity, systems]: [PlaceRow[], EntityRow[], Array<{ entity_ref: string; system: string }>] =
    await Promise.all([
      filtered(sources, filter)
        .select('r.provider as provider', 'r.kind as key', 'r.environment as environment', 'r.location as location', 'r.status as status')
        .count({ n: '*' })
        .groupBy('r.provider', 'r.kind', 'r.environment', 'r.location', 'r.status'),
      filtered(sources, filter)
        .select('r.entity_ref as entityRef', 'r.status as status')
        .count({ n: '*' })
        .groupBy('r.entity_ref', 'r.status'),
      sources.db('drift_entities').whereNotNull('system').select('entity_ref', 'system'),
    ]);
  const systemOf = new Map(systems.map(e => [e.entity_ref, e.system]));
  const bySystem: Row[] = byEntity.map(r => ({ key: systemOf.get(r.entityRef) ?? null, status: r.status, n: r.n }));
  const by = (key: (r: PlaceRow) => string | null) => groups(byPlace.map(r => ({ ...r, key: key(r) })));
  const all = by(() => '')[0];
  const providerOf = new Map(byPlace.map(r => [r.location, r.provider]));
  return {
    monitored: all?.total ?? 0,
    byStatus: all?.byStatus ?? {},
    provider: by(r => r.provider),
    kind: by(r => r.key),
    system: groups(bySystem.map(r => ({ ...r, key: r.key ?? null }))),
    environment: by(r => r.environment ?? null),
    location: by(r => r.location).map(g => ({ ...g, provider: providerOf.get(g.key!) ?? '' })),
  };
}
