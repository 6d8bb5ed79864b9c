import type { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
} from '@backstage/plugin-permission-node';
import type { Knex } from 'knex';
import type { DriftFindingQuery } from '../permissions/rules';

/** What one caller may read. */
export interface ReadScope {
  /** Entities the caller can see in the catalog; data of any other entity is never returned. */
  visibleEntityRefs: readonly string[];
  /** The policy's conditions on entity attributes; absent when it allows every finding. */
  conditions?: PermissionCriteria<DriftFindingQuery>;
}

/**
 * Limits `query` to rows whose `column` names an entity in the scope. Every read of findings,
 * resources, events and rollups goes through here, so lists, counts and aggregates agree.
 *
 * `only` names the entities the query is about, when it is about some: it is limited to those
 * of them in the scope. The scope's whole list is then left out of the SQL; SQLite parses and
 * binds a list of thousands of refs on every query, a few milliseconds that a lookup of one
 * entity's rows would otherwise spend on it.
 */
export function whereInScope<Q extends Knex.QueryBuilder>(
  db: Knex,
  query: Q,
  scope: ReadScope,
  column: string,
  only?: readonly string[],
): Q {
  whereInList(db, query, column, only ? visibleAmong(scope, only) : scope.visibleEntityRefs);
  const conditions = scope.conditions;
  if (conditions) {
    query.whereIn(
      column,
      db('drift_entities')
        .select('entity_ref')
        .where(q => whereCriteria(q, conditions)),
    );
  }
  return query;
}

/** Those of `refs` the caller sees in the catalog (the policy's conditions aside). */
export function visibleAmong(scope: ReadScope, refs: readonly string[]): string[] {
  const visible = visibleSet(scope);
  return refs.filter(ref => visible.has(ref));
}

/** The visible entities as a set, made once per list the catalog visibility hands out. */
const visibleSets = new WeakMap<readonly string[], Set<string>>();

function visibleSet(scope: ReadScope): Set<string> {
  let set = visibleSets.get(scope.visibleEntityRefs);
  if (!set) {
    set = new Set(scope.visibleEntityRefs);
    visibleSets.set(scope.visibleEntityRefs, set);
  }
  return set;
}

/**
 * `column IN (refs)`. A catalog shows a reader thousands of entities; PostgreSQL gets them as
 * one array value, since thousands of parameters cost it more to parse and plan than the query
 * costs to run. SQLite builds one lookup table from a plain list either way.
 */
function whereInList(db: Knex, query: Knex.QueryBuilder, column: string, refs: readonly string[]): void {
  // knex reads the list without changing it; its types ask for a mutable one.
  const list = refs as string[];
  if (db.client.dialect === 'postgresql') query.whereRaw('?? = any(?::text[])', [column, list]);
  else query.whereIn(column, list);
}

function whereCriteria(
  query: Knex.QueryBuilder,
  criteria: PermissionCriteria<DriftFindingQuery>,
): void {
  if (isAndCriteria(criteria)) {
    for (const c of criteria.allOf) query.andWhere(q => whereCriteria(q, c));
  } else if (isOrCriteria(criteria)) {
    // knex drops an empty group, which would allow everything; an empty anyOf allows nothing.
    if (criteria.anyOf.length === 0) query.whereRaw('1 = 0');
    for (const c of criteria.anyOf) query.orWhere(q => whereCriteria(q, c));
  } else if (isNotCriteria(criteria)) {
    query.whereNot(q => whereCriteria(q, criteria.not));
  } else {
    // NOT NULL keeps `not` true for entities without the attribute, as the rules' apply() has it.
    query.whereNotNull(criteria.attribute).whereIn(criteria.attribute, criteria.values);
  }
}
