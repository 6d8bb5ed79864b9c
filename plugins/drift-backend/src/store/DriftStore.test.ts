import { mockServices } from '@backstage/backend-test-utils';
import type { ResourceDiff, Severity } from '@driftwatch/plugin-drift-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { DriftStore } from './DriftStore';
import { connectDatabase } from './migrations';
import type { EntityContext } from './types';

jest.setTimeout(60_000);

const HOUR = 3_600_000;
const t0 = new Date('2026-11-01T00:00:00Z');
const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);

const entity = (name: string, tier = 2): EntityContext => ({
  entityRef: `component:default/${name}`,
  owner: `group:default/team-${name}`,
  system: null,
  tier,
  slaHours: tier === 1 ? 4 : 72,
});

function diff(name: string, status: ResourceDiff['status'], severity: Severity = 'medium', image = 'v2'): ResourceDiff {
  const drifted = status === 'drifted';
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    group: 'apps',
    namespace: 'ns',
    name,
    key: `Deployment:ns:${name}`,
    status,
    severity: drifted ? severity : null,
    score: drifted ? 5 : 0,
    changes: drifted
      ? [
          {
            path: '/spec/template/spec/containers/0/image',
            field: 'spec.template.spec.containers[name=app].image',
            op: 'changed',
            category: 'VersionChange',
            severity,
            desired: 'v1',
            live: image,
          },
        ]
      : [],
    ignoredChanges: 0,
  };
}

describe('DriftStore', () => {
  const databases = createTestDatabases();

  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    return new DriftStore(await connectDatabase(mockServices.database({ knex })));
  }

  const apply = (store: DriftStore, name: string, d: ResourceDiff, now: Date, tier = 2) =>
    store.applyEntityResult({
      scanId: 'scan',
      provider: 'kubernetes',
      entity: entity(name, tier),
      resources: [{ location: 'prod', diff: d }],
      errors: [],
      now,
    });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('pages through findings with a stable cursor, whatever the sort', async () => {
      const store = await createStore(databaseId);
      const severities: Severity[] = ['low', 'high', 'medium', 'high', 'critical', 'low', 'high'];
      for (const [i, severity] of severities.entries()) {
        await apply(store, `svc-${i}`, diff(`svc-${i}`, 'drifted', severity), at(i % 3));
      }
      for (const sort of ['severity', 'firstDetected', 'slaDue', 'score'] as const) {
        for (const order of ['asc', 'desc'] as const) {
          const seen: string[] = [];
          let cursor: string | undefined;
          do {
            const page = await store.listFindings({ filter: {}, sort, order, limit: 3, cursor });
            expect(page.totalCount).toBe(7);
            seen.push(...page.items.map(f => f.name));
            cursor = page.nextCursor;
          } while (cursor);
          expect({ sort, order, names: [...seen].sort() }).toEqual({
            sort,
            order,
            names: severities.map((_, i) => `svc-${i}`).sort(),
          });
        }
      }
      const bySeverity = await store.listFindings({ filter: {}, sort: 'severity', order: 'desc', limit: 10 });
      expect(bySeverity.items.map(f => f.severity)).toEqual([
        'critical', 'high', 'high', 'high', 'medium', 'low', 'low',
      ]);
    });

    it('refuses forged findings cursors with an InputError, never a database error', async () => {
      const store = await createStore(databaseId);
      await apply(store, 'svc', diff('svc', 'drifted'), at(0));
      const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const id = '00000000-0000-4000-8000-000000000000';
      const forged: Array<[Parameters<DriftStore['listFindings']>[0]['sort'], string]> = [
        ['severity', forge(['high', id, 1])],
        ['score', forge([{ $gt: 1 }, id, 1])],
        ['lastSeen', forge(['not a date', id, 1])],
        ['lastSeen', forge([null, id, 1])],
        ['firstDetected', forge(['2026-11-01T00:00:00Z', 'a\u0000b', 1])],
        ['slaDue', forge(['2026-11-01T00:00:00Z\u0000', id, 1])],
        ['score', forge([1, id, -1])],
        ['score', forge([1, id, 'many'])],
        ['score', forge([1, id])],
        ['score', 'not base64 json'],
      ];
      for (const [sort, cursor] of forged) {
        await expect(
          store.listFindings({ filter: {}, sort, order: 'desc', limit: 3, cursor }),
        ).rejects.toMatchObject({ name: 'InputError', message: expect.stringContaining('Invalid cursor') });
      }
    });

    it('counts the total for the first page only; later pages carry it in the cursor', async () => {
      const store = await createStore(databaseId);
      for (const name of ['a', 'b', 'c']) await apply(store, name, diff(name, 'drifted'), at(0));
      const counts: string[] = [];
      const record = (q: { sql: string }) => {
        if (/count\(\*\)/i.test(q.sql)) counts.push(q.sql);
      };
      store.database.on('query', record);
      const first = await store.listFindings({ filter: {}, sort: 'severity', order: 'desc', limit: 2 });
      expect(counts).toHaveLength(1);
      const second = await store.listFindings({ filter: {}, sort: 'severity', order: 'desc', limit: 2, cursor: first.nextCursor });
      store.database.off('query', record);
      expect(counts).toHaveLength(1);
      expect([first.totalCount, second.totalCount, first.items.length + second.items.length]).toEqual([3, 3, 3]);
    });

    it('reopens an expired suppression and resets an acknowledgement when the drift changes', async () => {
      const store = await createStore(databaseId);
      await apply(store, 'a', diff('a', 'drifted'), at(0));
      await apply(store, 'b', diff('b', 'drifted'), at(0));
      const [a, b] = (await store.listFindings({ filter: {}, sort: 'lastSeen', order: 'asc', limit: 10 })).items
        .sort((x, y) => x.name.localeCompare(y.name));

      await store.suppress(
        a.id,
        'user:default/sec',
        { until: at(10), reason: 'accepted until the migration', maxSuppressionDays: 90 },
        at(1),
      );
      await store.acknowledge(b.id, 'user:default/owner', 'known', at(1));

      await apply(store, 'a', diff('a', 'drifted'), at(5));
      expect((await store.getFinding(a.id)).finding.status).toBe('suppressed');
      await apply(store, 'a', diff('a', 'drifted'), at(11));
      const reopened = await store.getFinding(a.id);
      expect(reopened.finding.status).toBe('active');
      expect(reopened.events.map(e => e.type)).toEqual(['detected', 'suppressed', 'reopened']);

      await apply(store, 'b', diff('b', 'drifted', 'medium', 'v3'), at(2));
      const changed = await store.getFinding(b.id);
      expect(changed.finding.status).toBe('active');
      expect(changed.events.map(e => e.type)).toEqual(['detected', 'acknowledged', 'changed']);
    });

    it('ends a suppression when the drift changes, with an event saying why', async () => {
      const store = await createStore(databaseId);
      await apply(store, 'a', diff('a', 'drifted'), at(0));
      const [a] = (await store.listFindings({ filter: {}, sort: 'lastSeen', order: 'asc', limit: 1 })).items;
      const suppression = { until: at(24 * 30), reason: 'accepted for now', maxSuppressionDays: 90 };
      await store.suppress(a.id, 'user:default/sre', suppression, at(1));

      await apply(store, 'a', diff('a', 'drifted', 'medium', 'v3'), at(2));
      const { finding, events } = await store.getFinding(a.id);
      expect(finding).toMatchObject({ status: 'active', suppressedUntil: null, suppressedBy: null });
      expect(events.map(e => [e.type, e.note])).toEqual([
        ['detected', null],
        ['suppressed', 'accepted for now'],
        ['changed', null],
        ['reopened', 'Drift changed while suppressed'],
      ]);
      await expect(
        store.suppress(a.id, 'user:default/sre', { ...suppression, until: at(24 * 91) }, at(2)),
      ).rejects.toThrow(/at most 90 days ahead/);
    });

    it('flags SLA breaches once, tier 3 only while unacknowledged', async () => {
      const store = await createStore(databaseId);
      await apply(store, 'fast', diff('fast', 'drifted'), at(0), 1);
      await apply(store, 'slow', diff('slow', 'drifted'), at(0), 3);
      const slow = (await store.listFindings({ filter: { tier: [3] }, sort: 'lastSeen', order: 'asc', limit: 1 }))
        .items[0];
      await store.acknowledge(slow.id, 'user:default/owner', undefined, at(1));

      expect((await store.markBreaches(at(3))).map(f => f.name)).toEqual([]);
      expect((await store.markBreaches(at(5))).map(f => f.name)).toEqual(['fast']);
      expect((await store.markBreaches(at(6))).map(f => f.name)).toEqual([]);
      // Far past tier 3's SLA, but the owner acknowledged it.
      expect((await store.markBreaches(at(24 * 30))).map(f => f.name)).toEqual([]);
    });

    it('purges resolved findings past retention and keeps their audit events', async () => {
      const store = await createStore(databaseId);
      await apply(store, 'a', diff('a', 'drifted'), at(0));
      await apply(store, 'a', diff('a', 'in-sync'), at(1));
      expect(await store.purgeResolvedBefore(at(1))).toBe(0);
      expect(await store.purgeResolvedBefore(at(2))).toBe(1);
      const events = await store.events({ from: at(0), to: at(2), limit: 10 });
      expect(events.map(e => e.type)).toEqual(['resolved', 'detected']);
    });

    it('pages the audit log newest first, filtered before the limit, with each finding joined', async () => {
      const store = await createStore(databaseId);
      await apply(store, 'a', diff('a', 'drifted'), at(0));
      await apply(store, 'b', diff('b', 'drifted'), at(1));
      const [b] = (await store.listFindings({ filter: { entityRef: ['component:default/b'] }, sort: 'lastSeen', order: 'asc', limit: 1 })).items;
      await store.acknowledge(b.id, 'user:default/owner', 'on it', at(2));
      await apply(store, 'a', diff('a', 'in-sync'), at(3));

      const newest = await store.events({ from: at(0), to: at(4), limit: 2 });
      expect(newest.map(e => [e.type, e.resourceKey])).toEqual([
        ['resolved', 'Deployment:ns:a'],
        ['acknowledged', 'Deployment:ns:b'],
      ]);
      // The filter applies before the limit: the one human event, though two system ones are newer.
      const human = await store.events({ from: at(0), to: at(4), actor: 'human', types: ['acknowledged'], limit: 1 });
      expect(human.map(e => [e.type, e.actor, e.owner])).toEqual([['acknowledged', 'user:default/owner', b.owner]]);
      // A purged finding's events stay, without the finding's fields.
      await store.purgeResolvedBefore(at(4));
      const kept = await store.events({ from: at(0), to: at(4), entityRef: ['component:default/a'], limit: 10 });
      expect(kept.map(e => [e.type, e.resourceKey])).toEqual([
        ['resolved', null],
        ['detected', null],
      ]);
    });

    it('leaves a finding open when its kind can no longer be listed', async () => {
      const store = await createStore(databaseId);
      const extra: ResourceDiff = { ...diff('debug', 'extra'), kind: 'Secret', key: 'Secret:ns:debug', severity: 'medium' };
      await apply(store, 'a', extra, at(0));
      await store.applyEntityResult({
        scanId: 'scan',
        provider: 'kubernetes',
        entity: entity('a'),
        resources: [],
        errors: [],
        unreadKinds: [{ location: 'prod', kind: 'Secret' }],
        now: at(1),
      });
      const [resource] = await store.listResources({ entityRef: 'component:default/a' });
      expect(resource).toMatchObject({ status: 'unknown', error: 'Not allowed to list Secret in prod' });
      const page = await store.listFindings({ filter: {}, sort: 'lastSeen', order: 'asc', limit: 10 });
      expect(page.items.map(f => f.status)).toEqual(['active']);
    });

    it("stores a resource's own error on it alone, and compares the rest of the location", async () => {
      const store = await createStore(databaseId);
      const outside = "outside the entity's scope: namespace kube-system (the entity's namespace is ns)";
      await store.applyEntityResult({
        scanId: 'scan',
        provider: 'kubernetes',
        entity: entity('a'),
        resources: [
          { location: 'prod', diff: diff('a', 'drifted') },
          { location: 'prod', diff: { ...diff('coredns', 'unknown'), namespace: 'kube-system', key: 'Deployment:kube-system:coredns' }, error: outside },
        ],
        errors: [],
        now: at(0),
      });
      const resources = await store.listResources({ entityRef: 'component:default/a' });
      expect(resources.map(r => [r.resourceKey, r.status, r.error])).toEqual(
        expect.arrayContaining([
          ['Deployment:ns:a', 'drifted', null],
          ['Deployment:kube-system:coredns', 'unknown', outside],
        ]),
      );
      const page = await store.listFindings({ filter: {}, sort: 'lastSeen', order: 'asc', limit: 10 });
      expect(page.items.map(f => f.resourceKey)).toEqual(['Deployment:ns:a']);
    });

    it('keeps one finding per resource when the same result is applied twice', async () => {
      const store = await createStore(databaseId);
      await apply(store, 'a', diff('a', 'drifted'), at(0));
      await apply(store, 'a', diff('a', 'drifted'), at(0));
      const page = await store.listFindings({ filter: {}, sort: 'lastSeen', order: 'asc', limit: 10 });
      expect(page.totalCount).toBe(1);
    });
  });
});
