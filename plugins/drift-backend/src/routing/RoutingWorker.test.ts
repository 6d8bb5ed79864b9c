import { mockServices } from '@backstage/backend-test-utils';
import { diffResources, type KubeObject } from '@driftwatch/plugin-drift-common';
import knexFactory, { type Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  createRoutingWorker,
  eventually,
  GIT_LOCATION,
  recordingNotifications,
  routingConfigData,
  startRoutingPeers,
  tieredComponent,
} from '../__testUtils__/routing';
import { deployment } from '../__testUtils__/world';
import type { DriftStore } from '../store/DriftStore';
import { connectDatabase } from '../store/migrations';

jest.setTimeout(60_000);

const LEASE_MS = 5 * 60_000;
const NAMES = ['cart', 'checkout', 'search'];
const entities = NAMES.map(name => tieredComponent(name, `group:default/team-${name}`, 1));

const desiredOf = (name: string) => [deployment(name, `${name}:1.0`)];
const liveOf = (name: string) => [deployment(name, `${name}:1.1`)];

/** What a scan of `name` hands the store: its drifted Deployment, declared in `<name>.yaml`. */
async function applyDrift(store: DriftStore, name: string, desired: KubeObject[] = desiredOf(name)) {
  const report = diffResources(desired, liveOf(name));
  await store.applyEntityResult({
    scanId: 'scan',
    provider: 'kubernetes',
    entity: { entityRef: `component:default/${name}`, owner: `group:default/team-${name}`, system: null, tier: 1, slaHours: 4 },
    resources: report.resources.map(diff => ({
      location: 'prod',
      diff,
      source: { location: GIT_LOCATION, file: `${name}.yaml`, document: 1 },
    })),
    errors: [],
    now: new Date(),
  });
}

describe('RoutingWorker', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let cleanup: Array<() => Promise<unknown>> = [];
    afterEach(async () => {
      for (const step of cleanup.reverse()) await step();
      cleanup = [];
    });

    /** A drift database, the loopback peers, and replicas of the routing worker over them. */
    async function setUp() {
      const knex = await connectDatabase(mockServices.database({ knex: await databases.init(databaseId) }));
      const peers = await startRoutingPeers(Object.fromEntries(NAMES.map(name => [name, desiredOf(name)])));
      cleanup.push(peers.stop);
      const config = routingConfigData(peers);
      const notifications = recordingNotifications();
      const replica = (db: Knex = knex) =>
        createRoutingWorker({ knex: db, config, entities, notifications: notifications.service });
      const routed = async () =>
        (await knex('drift_events').where({ type: 'routed' }).orderBy('id')).map(row => ({
          findingId: row.finding_id,
          ...JSON.parse(row.details),
        }));
      const findingIds = async () =>
        Object.fromEntries(
          (await knex('drift_findings').select('id', 'entity_ref')).map(r => [r.entity_ref.split('/')[1], r.id]),
        );
      return { ...peers, knex, replica, routed, findingIds, sent: notifications.sent };
    }

    it('delivers after a restart what was committed before the crash, once', async () => {
      const { pagerDuty, github, replica, routed, findingIds } = await setUp();
      // The scan's transaction committed the finding and its intents; the backend died before
      // any worker ran.
      await applyDrift(replica().store, 'cart');
      expect(pagerDuty.requests).toEqual([]);
      expect(github.requests).toEqual([]);

      const restarted = replica().worker;
      await restarted.runOnce();
      await restarted.runOnce();
      const { cart } = await findingIds();
      expect(pagerDuty.events).toEqual([
        expect.objectContaining({ event_action: 'trigger', dedup_key: `driftwatch-${cart}` }),
      ]);
      expect(github.pulls).toEqual([expect.objectContaining({ head: `driftwatch/drift-${cart}`, state: 'open' })]);
      expect((await routed()).map(e => [e.action, e.outcome, e.status, e.attempt])).toEqual([
        ['pagerduty', 'opened', 'delivered', 1],
        ['github-pull-request', 'opened', 'delivered', 1],
      ]);
    });

    it('repeats a delivery whose result was lost with the same dedup key and pull request', async () => {
      const { pagerDuty, github, knex, replica, routed, findingIds } = await setUp();
      await applyDrift(replica().store, 'cart');
      const { cart } = await findingIds();

      // The first worker's trigger reaches PagerDuty, and then the worker hangs: no answer.
      pagerDuty.failNext({ status: 'hold' });
      const stuck = replica().worker.runOnce();
      await eventually('the held trigger', async () => pagerDuty.requests.length === 1);

      // Past its lease, another replica takes both intents over and delivers them.
      const afterLease = new Date(Date.now() + LEASE_MS + 60_000);
      await replica().worker.runOnce(() => afterLease);
      // The first worker comes back: its trigger failed, then it retries the pull request.
      await pagerDuty.stop();
      await stuck;

      expect(pagerDuty.events.map(e => [e.event_action, e.dedup_key])).toEqual([
        ['trigger', `driftwatch-${cart}`],
        ['trigger', `driftwatch-${cart}`],
      ]);
      expect(github.pulls).toHaveLength(1);
      expect(github.pulls[0]).toMatchObject({ head: `driftwatch/drift-${cart}`, state: 'open' });
      // The worker that lost its leases records nothing: one delivery each in the audit log.
      expect((await routed()).map(e => [e.action, e.status])).toEqual([
        ['pagerduty', 'delivered'],
        ['github-pull-request', 'delivered'],
      ]);
      expect(await knex('drift_routing_outbox').orderBy('id').select('action', 'status', 'attempts', 'lease_owner')).toEqual([
        { action: 'pagerduty', status: 'delivered', attempts: 1, lease_owner: null },
        { action: 'github-pull-request', status: 'delivered', attempts: 1, lease_owner: null },
      ]);
    });

    it('pages and opens one pull request per finding when two backends route at once', async () => {
      const { pagerDuty, github, knex, replica, routed, findingIds } = await setUp();
      // A second backend has its own connection pool; an in-memory SQLite has one connection.
      let other = knex;
      if (knex.client.config.client === 'pg') {
        other = knexFactory(knex.client.config);
        cleanup.push(() => other.destroy());
      }
      const { store } = replica();
      for (const name of NAMES) await applyDrift(store, name);

      await Promise.all([replica().worker.runOnce(), replica(other).worker.runOnce()]);

      const ids = await findingIds();
      const triggers = pagerDuty.events.map(e => [e.event_action, e.dedup_key]).sort();
      expect(triggers).toEqual(NAMES.map(name => ['trigger', `driftwatch-${ids[name]}`]).sort());
      expect(github.pulls.map(p => p.head).sort()).toEqual(NAMES.map(name => `driftwatch/drift-${ids[name]}`).sort());
      const deliveries = (await routed()).map(e => `${e.findingId} ${e.action} ${e.status}`).sort();
      expect(deliveries).toEqual(
        NAMES.flatMap(name => [
          `${ids[name]} github-pull-request delivered`,
          `${ids[name]} pagerduty delivered`,
        ]).sort(),
      );
    });
  });
});
