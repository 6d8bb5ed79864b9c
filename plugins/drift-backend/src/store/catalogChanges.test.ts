import { mockServices } from '@backstage/backend-test-utils';
import type { ResourceDiff } from '@driftwatch/plugin-drift-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { DriftStore } from './DriftStore';
import { connectDatabase } from './migrations';
import { backoffDelayMs } from './sourceBackoff';
import type { EntityContext } from './types';

jest.setTimeout(60_000);

const HOUR = 3_600_000;
const t0 = new Date('2026-12-01T00:00:00Z');
const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);

const entity = (name: string): EntityContext => ({
  entityRef: `component:default/${name}`,
  owner: 'group:default/team-shop',
  system: null,
  tier: 2,
  slaHours: 72,
});

const drifted = (name: string, status: ResourceDiff['status'] = 'drifted'): ResourceDiff => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  group: 'apps',
  namespace: 'shop',
  name,
  key: `Deployment:shop:${name}`,
  status,
  severity: status === 'drifted' ? 'high' : null,
  score: status === 'drifted' ? 5 : 0,
  changes:
    status === 'drifted'
      ? [{ path: '/spec/replicas', field: 'spec.replicas', op: 'changed', category: 'Scaling', severity: 'high', desired: 2, live: 5 }]
      : [],
  ignoredChanges: 0,
});

describe('catalog changes', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    async function createStore() {
      const db = await connectDatabase(mockServices.database({ knex: await databases.init(databaseId) }));
      return { db, store: new DriftStore(db) };
    }
    const apply = (store: DriftStore, name: string, diff: ResourceDiff, now: Date) =>
      store.applyEntityResult({
        scanId: 'scan',
        provider: 'kubernetes',
        entity: entity(name),
        resources: [{ location: 'prod', diff }],
        errors: [],
        now,
      });

    it('closes the findings of a removed entity apart from fixed drift, and drops its resources', async () => {
      const { db, store } = await createStore();
      await apply(store, 'gone', drifted('gone'), at(0));
      await apply(store, 'fixed', drifted('fixed'), at(0));
      await apply(store, 'fixed', drifted('fixed', 'in-sync'), at(2));
      await store.recordSourceFailure({ entityRef: 'component:default/gone', source: 'git', error: 'boom', now: at(1) });
      expect((await store.monitoredEntityRefs()).sort()).toEqual(['component:default/fixed', 'component:default/gone']);

      const changes = await store.closeEntity('component:default/gone', 'entity-removed', at(4));
      expect(changes).toEqual([expect.objectContaining({ outcome: 'resolved', entityRef: 'component:default/gone' })]);
      expect(await store.monitoredEntityRefs()).toEqual(['component:default/fixed']);
      expect(await store.listResources({ entityRef: 'component:default/gone' })).toEqual([]);
      expect((await store.sourceBackoff(['component:default/gone'])).size).toBe(0);

      const gone = await db('drift_findings').where({ entity_ref: 'component:default/gone' }).first();
      expect(gone).toMatchObject({ status: 'resolved', close_reason: 'entity-removed' });
      const { events } = await store.getFinding(gone.id);
      expect(events.map(e => [e.type, e.note])).toEqual([
        ['detected', null],
        ['resolved', 'Entity removed from the catalog'],
      ]);
      expect(events[1].details).toMatchObject({ reason: 'entity-removed' });

      // Only the fixed drift counts as resolved, in the rollups and in time to resolve.
      const trends = await store.trends({ from: at(0), to: at(24) });
      expect(trends.reduce((sum, t) => sum + t.resolved, 0)).toBe(1);
      const { totals } = await store.statistics({ from: at(0), to: at(24), groupBy: 'day', filter: {} });
      expect(totals).toMatchObject({ resolvedInRange: 1, unresolved: 0, mttrHours: 2 });

      // Back in the catalog and still drifted: the finding reopens without its close reason.
      await apply(store, 'gone', drifted('gone'), at(6));
      expect(await db('drift_findings').where({ id: gone.id }).first()).toMatchObject({ status: 'active', close_reason: null });
    });

    it('drops a result older than the one already applied, so events stay in time order', async () => {
      const { db, store } = await createStore();
      await apply(store, 'cart', drifted('cart', 'in-sync'), at(2));
      const late = await apply(store, 'cart', drifted('cart'), at(1));
      expect(late).toMatchObject({ resources: 0, opened: 0, changes: [] });
      expect(await db('drift_findings')).toEqual([]);
      const [resource] = await store.listResources({ entityRef: 'component:default/cart' });
      expect(resource.status).toBe('in-sync');
    });

    it('counts failures of a source in a row and backs off, doubling up to an hour', async () => {
      const { store } = await createStore();
      const ref = 'component:default/cart';
      const first = await store.recordSourceFailure({ entityRef: ref, source: 'git', error: 'HTTP 404', now: at(0) });
      expect(first).toMatchObject({ failures: 1, nextAttemptAt: new Date(at(0).getTime() + 60_000) });
      const second = await store.recordSourceFailure({ entityRef: ref, source: 'git', error: 'HTTP 404', now: at(1) });
      expect(second).toMatchObject({ failures: 2, nextAttemptAt: new Date(at(1).getTime() + 120_000) });
      expect((await store.sourceBackoff([ref])).get(`${ref}\u0000git`)).toMatchObject({ failures: 2, lastError: 'HTTP 404' });
      await store.clearSourceFailure(ref, 'git');
      expect((await store.sourceBackoff([ref])).size).toBe(0);

      expect([1, 2, 3, 4, 6, 7, 8, 20].map(n => backoffDelayMs(n) / 60_000)).toEqual([1, 2, 4, 8, 32, 60, 60, 60]);
    });
  });
});
