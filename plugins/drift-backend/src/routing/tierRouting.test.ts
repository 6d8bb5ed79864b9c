import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { diffResources } from '@driftwatch/plugin-drift-common';
import driftModuleGithub from '@driftwatch/plugin-drift-backend-module-github';
import driftModulePagerDuty from '@driftwatch/plugin-drift-backend-module-pagerduty';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  createRoutingWorker,
  createSourcedWorld,
  eventually,
  GIT_HOST,
  manifestPath,
  recordingNotifications,
  routedEvents,
  routingConfigData,
  ROUTING_KEY,
  startRoutingPeers,
  tieredComponent,
} from '../__testUtils__/routing';
import { deployment, scan, secret } from '../__testUtils__/world';
import { driftPlugin } from '../plugin';

jest.setTimeout(60_000);

const DAY = 86_400_000;
const SECRET_VALUE = 'hunter2-rotated-password';

describe('routing by SLA tier', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let stopPeers: (() => Promise<unknown>) | undefined;
    afterEach(async () => {
      await stopPeers?.();
      stopPeers = undefined;
    });

    /**
     * The backend with the real PagerDuty and GitHub modules against loopback peers. Its own
     * worker delivers after each scan; `round` runs another worker over the same database (a
     * replica), for what waits for the next scheduled round: acknowledgements, retries, and
     * rounds at a later time.
     */
    async function start(entities: Entity[], world: ReturnType<typeof createSourcedWorld>, drift: object = {}) {
      const knex = await databases.init(databaseId);
      const peers = await startRoutingPeers(Object.fromEntries(world.desired));
      stopPeers = peers.stop;
      const notifications = recordingNotifications();
      const config = routingConfigData(peers, drift);
      const { server } = await startTestBackend({
        features: [
          driftPlugin,
          world.module,
          driftModulePagerDuty,
          driftModuleGithub,
          notifications.factory,
          catalogServiceMock.factory({ entities }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({ data: config }),
        ],
      });
      const { worker } = createRoutingWorker({ knex, config, entities, notifications: notifications.service });
      const findingOf = async (entityName: string) => {
        const res = await request(server).get('/api/drift/findings').query({ entityRef: `component:default/${entityName}` });
        expect(res.body.items).toHaveLength(1);
        return res.body.items[0];
      };
      return {
        ...peers,
        server,
        knex,
        sent: notifications.sent,
        findingOf,
        round: (now?: () => Date) => worker.runOnce(now),
      };
    }

    it('pages and opens a pull request for tier 1, then acknowledges, resolves and closes them', async () => {
      const world = createSourcedWorld();
      const desired = deployment('cart', 'cart:1.0');
      world.desired.set('cart', [desired]);
      world.live.set('cart', [deployment('cart', 'cart:1.1')]);
      const { server, pagerDuty, github, sent, findingOf, round } = await start(
        [tieredComponent('cart', 'group:default/team-shop', 1)],
        world,
      );

      await scan(server);
      const finding = await findingOf('cart');
      const dedupKey = `driftwatch-${finding.id}`;
      const delivered = await eventually('both tier-1 deliveries', async () => {
        const events = await routedEvents(server, finding.id);
        return events.filter(e => e.details.status === 'delivered').length === 2 && events;
      });
      expect(delivered.map(e => e.details)).toEqual([
        expect.objectContaining({ action: 'pagerduty', outcome: 'opened', status: 'delivered', dryRun: false, tier: 1 }),
        expect.objectContaining({
          action: 'github-pull-request',
          outcome: 'opened',
          status: 'delivered',
          dryRun: false,
          summary: 'Opened PR #1',
        }),
      ]);

      // The routing key reaches PagerDuty and no record of it: the audit log says where it came from.
      expect(pagerDuty.events).toEqual([
        expect.objectContaining({ routing_key: ROUTING_KEY, event_action: 'trigger', dedup_key: dedupKey }),
      ]);
      expect(JSON.stringify(delivered)).not.toContain(ROUTING_KEY);

      const branch = `driftwatch/drift-${finding.id}`;
      expect(github.pulls).toEqual([expect.objectContaining({ number: 1, head: branch, base: 'main', state: 'open' })]);
      const [edited] = parseAllDocuments(github.file(branch, manifestPath('cart'))!).map(d => d.toJS());
      expect(diffResources([edited], world.live.get('cart')!).resources).toEqual([
        expect.objectContaining({ key: 'Deployment:shop:cart', status: 'in-sync' }),
      ]);
      expect(parseAllDocuments(github.file('main', manifestPath('cart'))!)[0].toJS()).toEqual(desired);
      expect(sent).toEqual([]);

      const ack = await request(server).post(`/api/drift/findings/${finding.id}/acknowledge`).send({ note: 'on it' });
      expect(ack.status).toBe(200);
      // An acknowledgement waits for the next round; this one runs it now.
      await eventually('the acknowledge', async () => {
        await round();
        return pagerDuty.events.length > 1;
      });
      expect(pagerDuty.events.slice(1)).toEqual([
        expect.objectContaining({ routing_key: ROUTING_KEY, event_action: 'acknowledge', dedup_key: dedupKey }),
      ]);

      world.live.set('cart', [deployment('cart', 'cart:1.0')]);
      expect(await scan(server)).toMatchObject({ findingsResolved: 1 });
      await eventually('the resolve and the closed pull request', async () => {
        await round();
        return pagerDuty.events.length === 3 && github.pulls[0].state === 'closed';
      });
      expect(pagerDuty.events.map(e => [e.event_action, e.dedup_key])).toEqual([
        ['trigger', dedupKey],
        ['acknowledge', dedupKey],
        ['resolve', dedupKey],
      ]);
      expect(github.pulls).toHaveLength(1);
      expect(github.pulls[0].comments).toEqual([expect.stringContaining('The drift resolved on its own')]);
      const closing = (await routedEvents(server, finding.id)).filter(e => e.details.outcome === 'resolved');
      expect(closing.map(e => [e.details.action, e.details.status])).toEqual(
        expect.arrayContaining([
          ['pagerduty', 'delivered'],
          ['github-pull-request', 'delivered'],
        ]),
      );
    });

    it('edits the manifest of a folder location written as a blob URL', async () => {
      // GitHub and Backstage's URL reader take blob/ URLs of folders too; `file` says which it is.
      const world = createSourcedWorld(`https://${GIT_HOST}/acme/shop/blob/main/deploy`);
      world.desired.set('cart', [deployment('cart', 'cart:1.0')]);
      world.live.set('cart', [deployment('cart', 'cart:1.1')]);
      const { server, github, findingOf } = await start([tieredComponent('cart', 'group:default/team-shop', 1)], world);

      await scan(server);
      const finding = await findingOf('cart');
      await eventually('the pull request', async () => github.pulls.length > 0);
      const edited = github.file(`driftwatch/drift-${finding.id}`, manifestPath('cart'))!;
      expect(diffResources([parseAllDocuments(edited)[0].toJS()], world.live.get('cart')!).resources).toEqual([
        expect.objectContaining({ status: 'in-sync' }),
      ]);
    });

    it('notifies the owner of tier-2 drift with a link and no values', async () => {
      const world = createSourcedWorld();
      world.desired.set('cart', [deployment('cart', 'cart:1.0')]);
      world.live.set('cart', [deployment('cart', 'cart:1.1')]);
      const { server, pagerDuty, github, sent, findingOf } = await start(
        [tieredComponent('cart', 'group:default/team-shop', 2)],
        world,
      );

      await scan(server);
      const finding = await findingOf('cart');
      await eventually('the notification', async () => sent.length > 0);
      expect(sent).toEqual([
        {
          recipients: { type: 'entity', entityRef: 'group:default/team-shop' },
          payload: expect.objectContaining({
            link: `http://backstage.example/drift/tracker?finding=${finding.id}`,
            scope: `driftwatch:finding:${finding.id}`,
            severity: 'high',
          }),
        },
      ]);
      expect(JSON.stringify(sent)).not.toMatch(/cart:1\.[01]/);
      expect(pagerDuty.requests).toEqual([]);
      expect(github.requests).toEqual([]);
      const [routed] = await routedEvents(server, finding.id);
      expect(routed.details).toMatchObject({ action: 'notify-owner', status: 'delivered', dryRun: false, tier: 2 });
    });

    it('only tracks tier-3 drift, and past its SLA escalates it to the owner as tier 2', async () => {
      const world = createSourcedWorld();
      world.desired.set('cart', [deployment('cart', 'cart:1.0')]);
      world.live.set('cart', [deployment('cart', 'cart:1.1')]);
      const { server, pagerDuty, github, sent, findingOf, round } = await start(
        [tieredComponent('cart', 'group:default/team-shop', 3)],
        world,
      );

      await scan(server);
      await round();
      const finding = await findingOf('cart');
      expect(finding).toMatchObject({ tier: 3, status: 'active', slaBreached: false });
      expect(pagerDuty.requests).toEqual([]);
      expect(github.requests).toEqual([]);
      expect(sent).toEqual([]);
      expect(await routedEvents(server, finding.id)).toEqual([]);

      // Tier 3's SLA is 14 days: a round 15 days on finds it unacknowledged.
      const later = new Date(Date.now() + 15 * DAY);
      await round(() => later);
      expect(sent).toEqual([
        expect.objectContaining({
          recipients: { type: 'entity', entityRef: 'group:default/team-shop' },
          payload: expect.objectContaining({
            title: expect.stringMatching(/^Drift past its SLA/),
            link: `http://backstage.example/drift/tracker?finding=${finding.id}`,
          }),
        }),
      ]);
      const breached = await request(server).get(`/api/drift/findings/${finding.id}`);
      expect(breached.body.finding).toMatchObject({ slaBreached: true, status: 'active' });
      expect(breached.body.events.map((e: any) => [e.type, e.details?.action ?? null, e.details?.tier])).toEqual([
        ['detected', null, undefined],
        ['escalated', null, 3],
        ['routed', 'notify-owner', 2],
      ]);
      // Tier 2 pages nobody.
      expect(pagerDuty.requests).toEqual([]);
      expect(github.requests).toEqual([]);
    });

    it('retries a throttled or failing PagerDuty, and records a refused event as failed', async () => {
      const world = createSourcedWorld();
      world.desired.set('cart', [deployment('cart', 'cart:1.0')]);
      world.live.set('cart', [deployment('cart', 'cart:1.1')]);
      world.desired.set('checkout', [deployment('checkout', 'checkout:2.0')]);
      world.live.set('checkout', [deployment('checkout', 'checkout:2.0')]);
      const { server, pagerDuty, findingOf, round } = await start(
        [tieredComponent('cart', 'group:default/team-shop', 1), tieredComponent('checkout', 'group:default/team-pay', 1)],
        world,
      );

      // Retries are due 10 ms on: the round after each pause of the poll finds them due.
      pagerDuty.failNext({ status: 429 }).failNext({ status: 500 });
      await scan(server);
      const cart = await findingOf('cart');
      const paging = await eventually('the page after two failures', async () => {
        await round();
        const events = (await routedEvents(server, cart.id)).filter(e => e.details.action === 'pagerduty');
        return events.some(e => e.details.status === 'delivered') && events;
      });
      expect(paging.map(e => [e.details.status, e.details.attempt])).toEqual([
        ['retrying', 1],
        ['retrying', 2],
        ['delivered', 3],
      ]);
      expect(paging[0].details.error).toMatch(/^PagerDuty answered 429/);
      expect(paging[1].details.error).toMatch(/^PagerDuty answered 500/);
      expect(pagerDuty.events.map(e => [e.event_action, e.dedup_key])).toEqual([
        ['trigger', `driftwatch-${cart.id}`],
        ['trigger', `driftwatch-${cart.id}`],
        ['trigger', `driftwatch-${cart.id}`],
      ]);

      pagerDuty.failNext({
        status: 400,
        message: 'Event object is invalid',
        errors: ["'payload.summary' is missing"],
      });
      world.live.set('checkout', [deployment('checkout', 'checkout:2.1')]);
      await scan(server);
      const checkout = await findingOf('checkout');
      const refused = await eventually('the refused page', async () => {
        await round();
        const events = (await routedEvents(server, checkout.id)).filter(e => e.details.action === 'pagerduty');
        return events.length > 0 && events;
      });
      // Not retried: the same event would be refused again.
      await round();
      expect(refused.map(e => e.details)).toEqual([
        expect.objectContaining({
          status: 'failed',
          attempt: 1,
          error: "PagerDuty answered 400: invalid event: Event object is invalid: 'payload.summary' is missing",
        }),
      ]);
      expect(pagerDuty.events.filter(e => e.dedup_key === `driftwatch-${checkout.id}`)).toHaveLength(1);

      // Once the pull requests are out too, nothing is left to deliver: the failure is final.
      const summary = await eventually('an empty outbox', async () => {
        const res = await request(server).get('/api/drift/routing/summary');
        expect(res.status).toBe(200);
        return res.body.pending === 0 && res.body;
      });
      expect(summary).toMatchObject({ failedDeliveries: 1, paged: 1, pullRequestsOpened: 2 });
    });

    it('sends no Secret value, encoding or fingerprint to PagerDuty, GitHub or the owner', async () => {
      const world = createSourcedWorld();
      world.desired.set('cart', [secret('cart', 'initial-password')]);
      world.live.set('cart', [secret('cart', SECRET_VALUE)]);
      world.desired.set('checkout', [secret('checkout', 'initial-password')]);
      world.live.set('checkout', [secret('checkout', SECRET_VALUE)]);
      const { server, pagerDuty, github, sent, findingOf } = await start(
        [tieredComponent('cart', 'group:default/team-shop', 1), tieredComponent('checkout', 'group:default/team-pay', 2)],
        world,
      );

      await scan(server);
      const paged = await findingOf('cart');
      const notified = await findingOf('checkout');
      await eventually('the page, the pull request and the notification', async () => {
        const done = [...(await routedEvents(server, paged.id)), ...(await routedEvents(server, notified.id))];
        return done.filter(e => e.details.status === 'delivered').length === 3;
      });
      expect(pagerDuty.events).toHaveLength(1);
      expect(github.pulls).toHaveLength(1);
      expect(sent).toHaveLength(1);

      const fingerprints = [...paged.changes, ...notified.changes].flatMap((c: any) => [c.desired?.sha256, c.live?.sha256]);
      expect(fingerprints).toHaveLength(4);
      for (const fingerprint of fingerprints) expect(fingerprint).toMatch(/^[0-9a-f]{12}$/);
      const needles = [
        SECRET_VALUE,
        Buffer.from(SECRET_VALUE).toString('base64'),
        'initial-password',
        Buffer.from('initial-password').toString('base64'),
        ...fingerprints,
      ];
      const bodies = [
        ...pagerDuty.requests.map(r => r.raw),
        ...github.requests.map(r => r.body),
        ...sent.map(s => JSON.stringify(s)),
      ];
      expect(bodies.length).toBeGreaterThan(3);
      for (const body of bodies) {
        for (const needle of needles) expect({ needle, found: body.includes(needle) }).toEqual({ needle, found: false });
      }
    });

    it('fails the merge gate for tier-1 drift past its SLA, and passes before it and after resolve', async () => {
      const world = createSourcedWorld();
      world.desired.set('cart', [deployment('cart', 'cart:1.0')]);
      world.live.set('cart', [deployment('cart', 'cart:1.1')]);
      const { server, knex, findingOf } = await start([tieredComponent('cart', 'group:default/team-shop', 1)], world);
      const gate = () => request(server).get('/api/drift/gate').query({ entityRef: 'component:default/cart' });

      await scan(server);
      const finding = await findingOf('cart');
      const before = await gate();
      expect(before.status).toBe(200);
      expect(before.body).toMatchObject({ entityRef: 'component:default/cart', result: 'pass', reasons: [] });

      // The gate reads the wall clock, so the SLA runs out by moving its due time back.
      const due = new Date(Date.now() - 60_000);
      await knex('drift_findings').where({ id: finding.id }).update({ sla_due_at: due });
      const past = await gate();
      expect(past.body).toMatchObject({
        result: 'fail',
        reasons: [{ findingId: finding.id, resourceKey: 'Deployment:shop:cart', slaDueAt: due.toISOString() }],
      });

      world.live.set('cart', [deployment('cart', 'cart:1.0')]);
      await scan(server);
      expect((await gate()).body).toMatchObject({ result: 'pass', reasons: [] });

      const unknown = await request(server).get('/api/drift/gate').query({ entityRef: 'component:default/nothing' });
      expect(unknown.status).toBe(404);
    });
  });
});
