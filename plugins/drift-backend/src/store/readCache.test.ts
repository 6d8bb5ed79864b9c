import { mockServices } from '@backstage/backend-test-utils';
import type { ResourceDiff } from '@driftwatch/plugin-drift-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { DriftStore } from './DriftStore';
import { connectDatabase } from './migrations';
import { ReadCache } from './readCache';

jest.setTimeout(60_000);

const now = new Date('2026-11-20T12:00:00Z');
const window = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-21T00:00:00Z') };

function drifted(name: string): ResourceDiff {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    group: '',
    namespace: 'ns',
    name,
    key: `ConfigMap:ns:${name}`,
    status: 'drifted',
    severity: 'high',
    score: 1,
    changes: [
      { path: '/data/k', field: 'data.k', op: 'changed', category: 'ConfigMapChange', severity: 'high', desired: 'a', live: 'b' },
    ],
    ignoredChanges: 0,
  };
}

describe('ReadCache', () => {
  it('shares one computation between concurrent askers and keeps an answer per version', async () => {
    const cache = new ReadCache();
    let computed = 0;
    const compute = async () => ++computed;
    const [a, b] = await Promise.all([cache.get('k', 'v1', compute), cache.get('k', 'v1', compute)]);
    expect([a, b, computed]).toEqual([1, 1, 1]);
    expect(await cache.get('k', 'v2', compute)).toBe(2);
    expect(await cache.get('k', 'v2', compute)).toBe(2);
  });

  it('does not keep a failed computation', async () => {
    const cache = new ReadCache();
    await expect(cache.get('k', 'v', () => Promise.reject(new Error('database gone')))).rejects.toThrow('database gone');
    expect(await cache.get('k', 'v', async () => 'answer')).toBe('answer');
  });

  it('evicts the least recently used answers beyond its weight', async () => {
    const cache = new ReadCache({ maxWeight: 10 });
    await cache.get('a', 'v', async () => 'a', () => 4);
    await cache.get('b', 'v', async () => 'b', () => 4);
    await cache.get('a', 'v', async () => 'stale');
    await cache.get('c', 'v', async () => 'c', () => 4);
    expect(cache.size).toBe(2);
    expect(await cache.get('a', 'v', async () => 'computed again')).toBe('a');
    expect(await cache.get('b', 'v', async () => 'computed again')).toBe('computed again');
  });
});

describe('scoped reads through the cache', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    async function setup() {
      const db = await connectDatabase(mockServices.database({ knex: await databases.init(databaseId) }));
      const store = new DriftStore(db);
      for (const name of ['a', 'b']) {
        await store.applyEntityResult({
          scanId: 'scan',
          provider: 'kubernetes',
          entity: { entityRef: `component:default/${name}`, owner: `group:default/team-${name}`, system: null, tier: 3, slaHours: 336 },
          resources: [{ location: 'prod', diff: drifted(name) }],
          errors: [],
          now,
        });
      }
      const reader = () => store.withScope({ visibleEntityRefs: ['component:default/a', 'component:default/b'] });
      return { db, store, reader };
    }

    it('answers anew after a decision, a write from outside and a purge', async () => {
      const { db, store, reader } = await setup();
      const statistics = () => reader().statistics({ ...window, groupBy: 'owner', filter: {} });
      expect((await statistics()).totals.acknowledged).toBe(0);
      expect((await reader().listFindings({ filter: {}, sort: 'severity', order: 'desc', limit: 10 })).totalCount).toBe(2);

      // A person's decision writes an event in its transaction.
      const [first] = (await reader().listFindings({ filter: {}, sort: 'severity', order: 'desc', limit: 10 })).items;
      await store.acknowledge(first.id, 'user:default/ana', 'known', now);
      expect((await statistics()).totals.acknowledged).toBe(1);

      // Another replica (or any writer) that records an event is seen too: the version is in the database.
      await db('drift_findings').where({ id: first.id }).update({ status: 'suppressed' });
      await db('drift_events').insert({ finding_id: first.id, entity_ref: first.entityRef, type: 'suppressed', actor: 'user:default/bo', at: now });
      expect((await statistics()).totals.suppressed).toBe(1);

      // A routing delivery changes what routing answers.
      const failedDeliveries = () => reader().routingSummary(window.from, window.to).then(r => r.failedDeliveries);
      expect(await failedDeliveries()).toBe(0);
      await db('drift_events').insert({
        finding_id: first.id,
        entity_ref: first.entityRef,
        type: 'routed',
        actor: 'driftwatch',
        at: now,
        details: JSON.stringify({ action: 'pagerduty', outcome: 'opened', status: 'failed' }),
      });
      expect(await failedDeliveries()).toBe(1);

      // Retention deletes without events; it marks the data as changed.
      await db('drift_findings').update({ status: 'resolved', resolved_at: new Date('2026-11-02T00:00:00Z') });
      await db('drift_events').insert({ entity_ref: first.entityRef, type: 'resolved', actor: 'driftwatch', at: now });
      expect((await reader().listFindings({ filter: {}, sort: 'severity', order: 'desc', limit: 10 })).totalCount).toBe(2);
      expect(await store.purgeResolvedBefore(new Date('2026-11-10T00:00:00Z'))).toBe(2);
      expect((await reader().listFindings({ filter: {}, sort: 'severity', order: 'desc', limit: 10 })).totalCount).toBe(0);
    });

    it('keeps readers with different scopes apart', async () => {
      const { store } = await setup();
      const count = (refs: string[]) =>
        store
          .withScope({ visibleEntityRefs: refs })
          .listFindings({ filter: {}, sort: 'severity', order: 'desc', limit: 10 })
          .then(page => page.totalCount);
      expect(await count(['component:default/a', 'component:default/b'])).toBe(2);
      expect(await count(['component:default/a'])).toBe(1);
      expect(await count([])).toBe(0);
      expect(await count(['component:default/b', 'component:default/a'])).toBe(2);
    });
  });
});
