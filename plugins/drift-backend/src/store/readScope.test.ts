import { mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  type PermissionCondition,
  type PermissionCriteria,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  createConditionTransformer,
  type PermissionRuleset,
} from '@backstage/plugin-permission-node';
import type { ResourceDiff } from '@driftwatch/plugin-drift-common';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  type DriftFindingQuery,
  type DriftFindingResource,
  driftFindingConditions as is,
  driftFindingRules,
} from '../permissions/rules';
import { DriftStore } from './DriftStore';
import { connectDatabase } from './migrations';
import type { EntityContext } from './types';

jest.setTimeout(60_000);

const ruleset: PermissionRuleset<DriftFindingResource, DriftFindingQuery> = {
  getRuleByName: name => Object.values(driftFindingRules).find(rule => rule.name === name)! as any,
};
const transform = createConditionTransformer(ruleset);
const authorize = createConditionAuthorizer(ruleset);

// Attributes in every combination that matters, including missing ones.
const entities: EntityContext[] = [
  { entityRef: 'component:default/a', owner: 'group:default/shop', system: 'system:default/web', tier: 1, slaHours: 4, environment: 'production' },
  { entityRef: 'component:default/b', owner: 'group:default/shop', system: null, tier: 2, slaHours: 72, environment: 'staging' },
  { entityRef: 'component:default/c', owner: 'group:default/pay', system: 'system:default/web', tier: 3, slaHours: 336 },
  { entityRef: 'component:default/d', owner: null, system: 'system:default/pay', tier: 2, slaHours: 72, environment: 'production' },
];

const drifted = (name: string): ResourceDiff => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  group: '',
  namespace: 'ns',
  name,
  key: `ConfigMap:ns:${name}`,
  status: 'drifted',
  severity: 'medium',
  score: 1,
  changes: [{ path: '/data/x', field: 'data.x', op: 'changed', category: 'ConfigMapChange', severity: 'medium', desired: '1', live: '2' }],
  ignoredChanges: 0,
});

const criteria: Array<[string, PermissionCriteria<PermissionCondition>]> = [
  ['owner', is.isFindingOwner({ claims: ['group:default/shop'] })],
  ['no claims', is.isFindingOwner({ claims: [] })],
  ['system', is.isFindingInSystem({ systemRefs: ['system:default/web'] })],
  ['tier', is.isFindingInTier({ tiers: [2, 3] })],
  ['environment', is.isFindingInEnvironment({ environments: ['production'] })],
  ['not owner (null owner included)', { not: is.isFindingOwner({ claims: ['group:default/shop'] }) }],
  ['not environment (missing included)', { not: is.isFindingInEnvironment({ environments: ['staging'] }) }],
  [
    'allOf',
    { allOf: [is.isFindingInSystem({ systemRefs: ['system:default/web'] }), is.isFindingInTier({ tiers: [1, 3] })] },
  ],
  [
    'anyOf of allOf and not',
    {
      anyOf: [
        { allOf: [is.isFindingOwner({ claims: ['group:default/pay'] }), is.isFindingInTier({ tiers: [3] })] },
        { not: { anyOf: [is.isFindingInSystem({ systemRefs: ['system:default/web'] }), is.isFindingInTier({ tiers: [1, 3] })] } },
      ],
    },
  ],
];

describe('read scope', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let store: DriftStore;
    const all = entities.map(e => e.entityRef);

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      store = new DriftStore(await connectDatabase(mockServices.database({ knex })));
      for (const entity of entities) {
        await store.applyEntityResult({
          scanId: 'scan',
          provider: 'kubernetes',
          entity,
          resources: [{ location: 'prod', diff: drifted(entity.entityRef.split('/')[1]) }],
          errors: [],
          now: new Date(),
        });
      }
    });

    const visibleRefs = async (scoped: DriftStore) => {
      const page = await scoped.listFindings({ filter: {}, sort: 'severity', order: 'desc', limit: 100 });
      expect(page.totalCount).toBe(page.items.length);
      const resources = (await scoped.listResources({})).map(r => r.entityRef);
      const events = (await scoped.events({ from: new Date(0), to: new Date(), limit: 100 })).map(e => e.entityRef);
      const touched = (await scoped.reviewReport(new Date(0), new Date())).stillOpen.map(f => f.entityRef);
      const trends = await scoped.trends({ from: new Date(0), to: new Date() });
      const findings = page.items.map(f => f.entityRef).sort();
      // Every read agrees with the list.
      expect({ resources: resources.sort(), events: events.sort(), touched: touched.sort() }).toEqual({
        resources: findings,
        events: findings,
        touched: findings,
      });
      expect(trends.reduce((n, t) => n + t.detected, 0)).toBe(findings.length);
      return findings;
    };

    it.each(criteria)('filters in the database exactly as the rules decide: %s', async (_name, conditions) => {
      const resources = await store.getFindingResources(
        (await store.listFindings({ filter: {}, sort: 'severity', order: 'desc', limit: 100 })).items.map(f => f.id),
      );
      const decision = {
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'drift',
        resourceType: 'drift-finding',
        conditions,
      } as const;
      const expected = resources
        .filter(resource => authorize(decision, resource))
        .map(resource => resource!.entityRef)
        .sort();

      const scoped = store.withScope({ visibleEntityRefs: all, conditions: transform(conditions) });
      expect(await visibleRefs(scoped)).toEqual(expected);
    });

    it('returns nothing of entities outside the catalog-visible set', async () => {
      const scoped = store.withScope({ visibleEntityRefs: ['component:default/b', 'component:default/x'] });
      expect(await visibleRefs(scoped)).toEqual(['component:default/b']);
      expect(await visibleRefs(store.withScope({ visibleEntityRefs: [] }))).toEqual([]);
      const [hidden] = await store.getFindingResources(
        (await store.listFindings({ filter: { entityRef: ['component:default/a'] }, sort: 'severity', order: 'desc', limit: 1 })).items.map(f => f.id),
      );
      await expect(scoped.getFinding(hidden!.id)).rejects.toThrow(/No finding/);
    });

    it("reads of named entities return only those in scope, and bind only those entities' refs", async () => {
      const visibleEntityRefs = [...all.filter(ref => ref !== 'component:default/a'), ...Array.from({ length: 2000 }, (_, i) => `component:default/other-${i}`)];
      const scoped = store.withScope({ visibleEntityRefs });
      const bindings: number[] = [];
      const db = store.database;
      // Values bound, counting each element of an array (PostgreSQL gets the list as one array).
      const record = (query: { bindings?: unknown[] }) =>
        bindings.push((query.bindings ?? []).reduce<number>((n, b) => n + (Array.isArray(b) ? b.length : 1), 0));
      db.on('query', record);
      try {
        const refsOf = async (entityRef: string[]) =>
          (await scoped.listFindings({ filter: { entityRef }, sort: 'severity', order: 'desc', limit: 10 })).items.map(f => f.entityRef);
        expect(await refsOf(['component:default/a', 'component:default/b'])).toEqual(['component:default/b']);
        expect(await refsOf(['component:default/a'])).toEqual([]);
        expect((await scoped.listResources({ entityRef: 'component:default/a' })).length).toBe(0);
        expect((await scoped.listResources({ entityRef: 'component:default/b' })).map(r => r.entityRef)).toEqual(['component:default/b']);
        expect(await scoped.events({ from: new Date(0), to: new Date(), entityRef: ['component:default/a'], limit: 10 })).toEqual([]);
        expect((await scoped.gate('component:default/a')).result).toBe('pass');
        const [b] = (await scoped.listFindings({ filter: { entityRef: ['component:default/b'] }, sort: 'severity', order: 'desc', limit: 1 })).items;
        expect((await scoped.getFinding(b.id)).finding.entityRef).toBe('component:default/b');
      } finally {
        db.removeListener('query', record);
      }
      // The catalog's 2,000 other entities never reach the database.
      expect(Math.max(...bindings)).toBeLessThan(50);

      // Conditions still apply to a named entity: b is tier 2.
      const tier3 = store.withScope({ visibleEntityRefs, conditions: transform(is.isFindingInTier({ tiers: [3] })) });
      const [hiddenByConditions] = (await store.listFindings({ filter: { entityRef: ['component:default/b'] }, sort: 'severity', order: 'desc', limit: 1 })).items;
      await expect(tier3.getFinding(hiddenByConditions.id)).rejects.toThrow(/No finding/);
      expect((await tier3.listResources({ entityRef: 'component:default/c' })).map(r => r.entityRef)).toEqual(['component:default/c']);
      expect(await tier3.listResources({ entityRef: 'component:default/b' })).toEqual([]);
    });

    it('gives permission rules the entity attributes the filter uses', async () => {
      const resources = await store.getFindingResources(
        (await store.listFindings({ filter: {}, sort: 'severity', order: 'desc', limit: 100 })).items.map(f => f.id),
      );
      expect(resources.map(r => r && { ...r, id: undefined }).sort((x, y) => x!.entityRef.localeCompare(y!.entityRef))).toEqual([
        { id: undefined, entityRef: 'component:default/a', owner: 'group:default/shop', system: 'system:default/web', tier: 1, environment: 'production' },
        { id: undefined, entityRef: 'component:default/b', owner: 'group:default/shop', system: null, tier: 2, environment: 'staging' },
        { id: undefined, entityRef: 'component:default/c', owner: 'group:default/pay', system: 'system:default/web', tier: 3, environment: null },
        { id: undefined, entityRef: 'component:default/d', owner: null, system: 'system:default/pay', tier: 2, environment: 'production' },
      ]);
      expect(await store.getFindingResources(['no-such-finding'])).toEqual([undefined]);
    });
  });
});
