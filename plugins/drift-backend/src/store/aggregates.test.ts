import { mockServices } from '@backstage/backend-test-utils';
import type { Change, ResourceDiff, Severity } from '@driftwatch/plugin-drift-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { REPORT_LIST_LIMIT } from './aggregates';
import { DriftStore } from './DriftStore';
import { connectDatabase } from './migrations';

jest.setTimeout(60_000);

const DAY = 86_400_000;
const t0 = Date.parse('2026-11-01T00:00:00Z');
const at = (days: number, hours = 0) => new Date(t0 + days * DAY + hours * 3_600_000);

function diff(name: string, status: ResourceDiff['status'], severity: Severity | null, categories: string[]): ResourceDiff {
  const changes = categories.map(
    (category, i): Change => ({
      path: `/data/k${i}`,
      field: `data.k${i}`,
      op: 'changed',
      category: category as Change['category'],
      severity: severity ?? 'low',
      desired: 'a',
      live: 'b',
    }),
  );
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    group: '',
    namespace: 'ns',
    name,
    key: `ConfigMap:ns:${name}`,
    status,
    severity,
    score: changes.length,
    changes,
    ignoredChanges: 0,
  };
}

describe('statistics and the review report', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    async function setup() {
      const db = await connectDatabase(mockServices.database({ knex: await databases.init(databaseId) }));
      const store = new DriftStore(db);
      const apply = (name: string, d: ResourceDiff, now: Date) =>
        store.applyEntityResult({
          scanId: 'scan',
          provider: 'kubernetes',
          entity: { entityRef: `component:default/${name}`, owner: `group:default/team-${name}`, system: null, tier: 2, slaHours: 72 },
          resources: [{ location: 'prod', diff: d }],
          errors: [],
          now,
        });
      // Opened and resolved long before the window: not part of it.
      await apply('old', diff('old', 'drifted', 'high', ['VersionChange']), at(-10));
      await apply('old', diff('old', 'in-sync', null, []), at(-9));
      // Open since before the window.
      await apply('before', diff('before', 'drifted', 'low', ['VersionChange']), at(-5));
      // Opened and resolved in the window, after two days.
      await apply('fixed', diff('fixed', 'drifted', 'high', ['VersionChange']), at(0, 10));
      await apply('fixed', diff('fixed', 'in-sync', null, []), at(2, 10));
      // Two categories at once; and a missing object, which counts under its status.
      await apply('multi', diff('multi', 'drifted', 'medium', ['VersionChange', 'ConfigMapChange']), at(1, 8));
      await apply('gone', { ...diff('gone', 'missing', 'high', []), score: 0 }, at(1, 9));
      return { db, store };
    }
    const window = { from: at(0), to: at(3, 12) };

    it('counts each day: opened by severity, resolved, and active at its end', async () => {
      const { store } = await setup();
      const stats = await store.statistics({ ...window, groupBy: 'day', filter: {} });
      expect(stats.groups).toEqual([
        { key: '2026-11-01', detected: 1, resolved: 0, active: 2, bySeverity: { high: 1 } },
        { key: '2026-11-02', detected: 2, resolved: 0, active: 4, bySeverity: { medium: 1, high: 1 } },
        { key: '2026-11-03', detected: 0, resolved: 1, active: 3, bySeverity: {} },
        { key: '2026-11-04', detected: 0, resolved: 0, active: 3, bySeverity: {} },
      ]);
      expect(stats.totals).toEqual({
        active: 3,
        acknowledged: 0,
        suppressed: 0,
        unresolved: 3,
        detectedInRange: 3,
        resolvedInRange: 1,
        breached: 0,
        mttrHours: 48,
        bySeverity: { low: 1, medium: 1, high: 1 },
        byTier: { '2': 3 },
        byCategory: { VersionChange: 2, ConfigMapChange: 1, missing: 1 },
      });
      expect(stats.coverage).toEqual({
        monitored: 5,
        inSync: 2,
        byStatus: { 'in-sync': 2, drifted: 2, missing: 1 },
        inSyncRatio: 0.4,
      });
    });

    it('groups by category (a status for missing objects) and by owner', async () => {
      const { store } = await setup();
      const byCategory = await store.statistics({ ...window, groupBy: 'category', filter: {} });
      expect(byCategory.groups).toEqual([
        { key: 'ConfigMapChange', detected: 1, resolved: 0, active: 1, breached: 0 },
        { key: 'missing', detected: 1, resolved: 0, active: 1, breached: 0 },
        { key: 'VersionChange', detected: 2, resolved: 1, active: 2, breached: 0 },
      ]);
      const byOwner = await store.statistics({ ...window, groupBy: 'owner', filter: {} });
      expect(byOwner.groups.map(g => [g.key, g.detected, g.resolved, g.active])).toEqual([
        ['group:default/team-before', 0, 0, 1],
        ['group:default/team-fixed', 1, 1, 0],
        ['group:default/team-gone', 1, 0, 1],
        ['group:default/team-multi', 1, 0, 1],
      ]);
      // Groups keyed by a column add up to the totals, whichever column keys them.
      for (const groupBy of ['owner', 'tier', 'severity', 'provider'] as const) {
        const { groups, totals } = await store.statistics({ ...window, groupBy, filter: {} });
        const sum = (field: 'detected' | 'resolved' | 'active' | 'breached') =>
          groups.reduce((n, g) => n + (g[field] ?? 0), 0);
        expect({ groupBy, detected: sum('detected'), resolved: sum('resolved'), active: sum('active'), breached: sum('breached') }).toEqual({
          groupBy,
          detected: totals.detectedInRange,
          resolved: totals.resolvedInRange,
          active: totals.unresolved,
          breached: totals.breached,
        });
        expect(groups.map(g => g.key)).toEqual([...groups.map(g => g.key)].sort());
      }
      const byProvider = await store.statistics({ ...window, groupBy: 'provider', filter: {} });
      expect(byProvider.groups.map(g => [g.key, g.detected, g.resolved, g.active])).toEqual([['kubernetes', 3, 1, 3]]);
    });

    it('agrees with the findings list for the same filter', async () => {
      const { store } = await setup();
      for (const filter of [{}, { severity: ['high' as const] }, { category: ['ConfigMapChange'] }, { owner: ['group:default/team-gone'] }]) {
        const stats = await store.statistics({ ...window, groupBy: 'severity', filter });
        const open = await store.listFindings({
          filter: { ...filter, status: ['active', 'acknowledged', 'suppressed'] },
          sort: 'severity',
          order: 'desc',
          limit: 100,
        });
        expect({ filter, unresolved: stats.totals.unresolved }).toEqual({ filter, unresolved: open.totalCount });
      }
    });

    it('runs the same few queries whatever the window length', async () => {
      const { db, store } = await setup();
      const queries: string[] = [];
      const record = (q: { sql: string }) => queries.push(q.sql);
      db.on('query', record);
      await store.statistics({ from: at(-14), to: at(0), groupBy: 'day', filter: {} });
      const short = queries.length;
      queries.length = 0;
      await store.statistics({ from: at(-366), to: at(0), groupBy: 'day', filter: {} });
      db.off('query', record);
      expect(queries.length).toBe(short);
      expect(short).toBeLessThanOrEqual(8);
    });

    it('builds the review from the database', async () => {
      const { store } = await setup();
      const report = await store.reviewReport(window.from, window.to);
      const names = (findings: Array<{ name: string }>) => findings.map(f => f.name);
      expect({
        newFindings: names(report.newFindings),
        resolved: names(report.resolved),
        stillOpen: names(report.stillOpen),
        breaches: names(report.breaches),
      }).toEqual({
        newFindings: ['fixed', 'gone', 'multi'],
        resolved: ['fixed'],
        stillOpen: ['gone', 'multi', 'before'],
        breaches: [],
      });
      expect(report.counts).toEqual({ newFindings: 3, resolved: 1, stillOpen: 3, breaches: 0 });
      expect(report.topOwners).toEqual([
        { owner: 'group:default/team-before', open: 1, breached: 0 },
        { owner: 'group:default/team-gone', open: 1, breached: 0 },
        { owner: 'group:default/team-multi', open: 1, breached: 0 },
      ]);
      expect(report.topCategories).toEqual([
        { category: 'VersionChange', open: 2 },
        { category: 'ConfigMapChange', open: 1 },
        { category: 'missing', open: 1 },
      ]);
    });

    it('lists the most severe findings of a long review and counts them all', async () => {
      const { store } = await setup();
      const many = Array.from({ length: REPORT_LIST_LIMIT + 1 }, (_, i) =>
        diff(`bulk-${i}`, 'drifted', i === REPORT_LIST_LIMIT ? 'critical' : 'low', ['LabelChange']),
      );
      await store.applyEntityResult({
        scanId: 'scan',
        provider: 'kubernetes',
        entity: { entityRef: 'component:default/bulk', owner: null, system: null, tier: 3, slaHours: 336 },
        resources: many.map(d => ({ location: 'prod', diff: d })),
        errors: [],
        now: at(1),
      });
      const report = await store.reviewReport(window.from, window.to);
      expect(report.counts).toEqual({ newFindings: 3 + many.length, resolved: 1, stillOpen: 3 + many.length, breaches: 0 });
      expect(report.newFindings).toHaveLength(REPORT_LIST_LIMIT);
      expect(report.stillOpen).toHaveLength(REPORT_LIST_LIMIT);
      expect(report.stillOpen[0].name).toBe(`bulk-${REPORT_LIST_LIMIT}`);
    });

    it('counts the surface area by provider, kind and system, in the filters and the read scope', async () => {
      const { db, store } = await setup();
      await db('drift_entities').where({ entity_ref: 'component:default/multi' }).update({ system: 'system:default/shop' });
      const surface = await store.surface({});
      expect(surface).toEqual({
        monitored: 5,
        byStatus: { 'in-sync': 2, drifted: 2, missing: 1 },
        provider: [{ key: 'kubernetes', total: 5, byStatus: { 'in-sync': 2, drifted: 2, missing: 1 } }],
        kind: [{ key: 'ConfigMap', total: 5, byStatus: { 'in-sync': 2, drifted: 2, missing: 1 } }],
        system: [
          { key: null, total: 4, byStatus: { 'in-sync': 2, drifted: 1, missing: 1 } },
          { key: 'system:default/shop', total: 1, byStatus: { drifted: 1 } },
        ],
        environment: [{ key: null, total: 5, byStatus: { 'in-sync': 2, drifted: 2, missing: 1 } }],
        location: [{ key: 'prod', provider: 'kubernetes', total: 5, byStatus: { 'in-sync': 2, drifted: 2, missing: 1 } }],
      });
      expect((await store.surface({ system: ['system:default/shop'] })).monitored).toBe(1);
      expect((await store.surface({ owner: ['group:default/team-gone'] })).byStatus).toEqual({ missing: 1 });
      expect((await store.surface({ location: ['elsewhere'] })).monitored).toBe(0);
      const scoped = store.withScope({ visibleEntityRefs: ['component:default/gone', 'component:default/old'] });
      expect((await scoped.surface({})).byStatus).toEqual({ 'in-sync': 1, missing: 1 });
    });
  });
});
