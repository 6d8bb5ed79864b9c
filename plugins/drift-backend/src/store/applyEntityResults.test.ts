import { mockServices } from '@backstage/backend-test-utils';
import type { ResourceDiff } from '@driftwatch/plugin-drift-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { DriftStore, type EntityScanResult } from './DriftStore';
import { connectDatabase } from './migrations';

jest.setTimeout(60_000);

const t0 = new Date('2026-11-01T00:00:00Z');
const at = (hours: number) => new Date(t0.getTime() + hours * 3_600_000);

function diff(name: string, status: ResourceDiff['status']): ResourceDiff {
  const drifted = status === 'drifted';
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    group: 'apps',
    namespace: 'ns',
    name,
    key: `Deployment:ns:${name}`,
    status,
    severity: drifted ? 'high' : null,
    score: drifted ? 5 : 0,
    changes: drifted
      ? [
          {
            path: '/spec/replicas',
            field: 'spec.replicas',
            op: 'changed',
            category: 'Scaling',
            severity: 'high',
            desired: 2,
            live: 5,
          },
        ]
      : [],
    ignoredChanges: 0,
  };
}

const result = (name: string, statuses: Array<ResourceDiff['status']>, now: Date, scanId = 'scan'): EntityScanResult => ({
  scanId,
  provider: 'kubernetes',
  entity: { entityRef: `component:default/${name}`, owner: 'group:default/team', system: null, tier: 2, slaHours: 72 },
  resources: statuses.map((status, i) => ({
    location: 'prod',
    diff: diff(`${name}-${i}`, status),
    objects: { desired: '{"spec":{"replicas":2}}', live: `{"spec":{"replicas":${status === 'drifted' ? 5 : 2}}}` },
  })),
  errors: [],
  now,
});

describe('DriftStore.applyEntityResults', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('only marks unchanged results scanned, and applies the others in full', async () => {
      const knex = await databases.init(databaseId);
      const store = new DriftStore(await connectDatabase(mockServices.database({ knex })));
      await store.applyEntityResults([
        result('quiet', ['in-sync', 'in-sync'], at(0)),
        result('drifting', ['in-sync', 'drifted'], at(0)),
        result('healing', ['drifted'], at(0)),
      ]);
      const events = async () => Number((await knex('drift_events').count({ n: '*' }))[0].n);
      const before = await events();

      const outcomes = await store.applyEntityResults([
        result('quiet', ['in-sync', 'in-sync'], at(1), 'rescan'),
        result('drifting', ['in-sync', 'drifted'], at(1), 'rescan'),
        result('healing', ['in-sync'], at(1), 'rescan'),
      ]);

      expect(outcomes.map(o => (o instanceof Error ? o.message : [o.resources, o.opened, o.resolved]))).toEqual([
        [2, 0, 0],
        [2, 0, 0],
        [1, 0, 1],
      ]);
      const resources = await knex('drift_resources').orderBy('resource_key').select('resource_key', 'status', 'last_scan_id');
      expect(resources.map(r => [r.resource_key, r.status, r.last_scan_id])).toEqual([
        ['Deployment:ns:drifting-0', 'in-sync', 'rescan'],
        ['Deployment:ns:drifting-1', 'drifted', 'rescan'],
        ['Deployment:ns:healing-0', 'in-sync', 'rescan'],
        ['Deployment:ns:quiet-0', 'in-sync', 'rescan'],
        ['Deployment:ns:quiet-1', 'in-sync', 'rescan'],
      ]);
      const findings = await knex('drift_findings').orderBy('resource_key').select('resource_key', 'status', 'last_seen_at');
      expect(findings.map(f => [f.resource_key, f.status, new Date(f.last_seen_at).toISOString()])).toEqual([
        // Drift seen again is seen again, even when nothing else changed.
        ['Deployment:ns:drifting-1', 'active', at(1).toISOString()],
        ['Deployment:ns:healing-0', 'resolved', at(0).toISOString()],
      ]);
      expect((await store.lastScannedAt()).get('component:default/quiet')).toEqual(at(1));
      // Only the resolution is an event.
      expect(await events()).toBe(before + 1);
    });

    it('applies a result whose resource changed, or whose entity changed owner', async () => {
      const knex = await databases.init(databaseId);
      const store = new DriftStore(await connectDatabase(mockServices.database({ knex })));
      await store.applyEntityResults([result('a', ['in-sync'], at(0)), result('b', ['in-sync'], at(0))]);

      const moved = result('a', ['in-sync'], at(1));
      moved.resources[0].objects = { desired: '{"spec":{"replicas":3}}', live: '{"spec":{"replicas":3}}' };
      const handedOver = result('b', ['in-sync'], at(1));
      handedOver.entity = { ...handedOver.entity, owner: 'group:default/other-team' };
      await store.applyEntityResults([moved, handedOver]);

      const stored = await knex('drift_resources').where({ resource_key: 'Deployment:ns:a-0' }).first();
      expect(JSON.parse(stored.live_object)).toEqual({ spec: { replicas: 3 } });
      const owner = await knex('drift_entities').where({ entity_ref: 'component:default/b' }).first();
      expect(owner.owner).toBe('group:default/other-team');
    });

    it('stores first sightings together as it stores them one by one', async () => {
      const stateAfter = async (apply: (store: DriftStore) => Promise<unknown>) => {
        const knex = await databases.init(databaseId);
        const store = new DriftStore(await connectDatabase(mockServices.database({ knex })));
        // Finding ids are random: the outcomes are compared without them.
        const outcomes = JSON.parse(JSON.stringify(await apply(store)), (key, value) => (key === 'findingId' ? undefined : value));
        const rows = async (table: string, columns: string[]) =>
          (await knex(table).orderBy(columns).select(columns)).map(r => columns.map(c => String(r[c])));
        return {
          outcomes,
          entities: await rows('drift_entities', ['entity_ref', 'owner', 'tier']),
          resources: await rows('drift_resources', ['entity_ref', 'resource_key', 'status', 'last_scan_id']),
          findings: await rows('drift_findings', ['entity_ref', 'resource_key', 'status', 'severity']),
          events: await rows('drift_events', ['entity_ref', 'type']),
        };
      };
      const batch = () => [
        result('new-a', ['in-sync', 'drifted'], at(0)),
        result('new-b', ['drifted', 'missing'], at(0)),
        result('new-c', ['in-sync'], at(0)),
      ];
      const together = await stateAfter(store => store.applyEntityResults(batch()));
      const oneByOne = await stateAfter(async store => {
        const outcomes = [];
        for (const r of batch()) outcomes.push(...(await store.applyEntityResults([r])));
        return outcomes;
      });
      expect(together).toEqual(oneByOne);
      expect(together.findings).toHaveLength(3);
      expect(together.events.filter(([, type]) => type === 'detected')).toHaveLength(3);
    });

    it('applies entity by entity when an entity of the first sightings is known after all', async () => {
      const knex = await databases.init(databaseId);
      const store = new DriftStore(await connectDatabase(mockServices.database({ knex })));
      await store.applyEntityResults([result('old', ['drifted'], at(0))]);
      await store.applyEntityResults([result('old', ['in-sync'], at(1))]);
      // A resolved finding and no entity row or resources: what the batch's own check finds.
      await knex('drift_resources').delete();
      await knex('drift_entities').delete();

      const outcomes = await store.applyEntityResults([result('old', ['drifted'], at(2)), result('fresh', ['drifted'], at(2))]);
      // Reopening is an opening, as routing sees it.
      expect(outcomes.map(o => (o instanceof Error ? o.message : [o.resources, o.opened]))).toEqual([
        [1, 1],
        [1, 1],
      ]);
      const findings = await knex('drift_findings').orderBy('entity_ref').select('entity_ref', 'status');
      // The old finding reopened in place: still one finding per resource.
      expect(findings.map(f => [f.entity_ref, f.status])).toEqual([
        ['component:default/fresh', 'active'],
        ['component:default/old', 'active'],
      ]);
      const types = (await knex('drift_events').where({ entity_ref: 'component:default/old' }).orderBy('id')).map(e => e.type);
      expect(types).toEqual(['detected', 'resolved', 'reopened']);
    });

    it('never moves a scan time back over a newer result', async () => {
      const knex = await databases.init(databaseId);
      const store = new DriftStore(await connectDatabase(mockServices.database({ knex })));
      await store.applyEntityResults([result('a', ['in-sync'], at(5))]);
      await store.applyEntityResults([result('a', ['in-sync'], at(1), 'older')]);
      const row = await knex('drift_resources').first();
      expect(row.last_scan_id).toBe('scan');
      expect((await store.lastScannedAt()).get('component:default/a')).toEqual(at(5));
    });
  });
});
