import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { catalogVisibleTo, permissionsFor, type Role } from '../__testUtils__/access';
import { createTestDatabases } from '../__testUtils__/databases';
import { component, createWorld, deployment, scan } from '../__testUtils__/world';
import { driftPlugin } from '../plugin';
import { driftFindingConditions as is } from './rules';

jest.setTimeout(120_000);

const CART = 'component:default/cart';
const CHECKOUT = 'component:default/checkout';

const withContext = (entity: Entity, system: string, tier: string, environment: string): Entity => ({
  ...entity,
  metadata: {
    ...entity.metadata,
    annotations: {
      ...entity.metadata.annotations,
      'driftwatch.io/tier': tier,
      'driftwatch.io/environment': environment,
    },
  },
  spec: { ...entity.spec, system },
});

const entities = [
  withContext(component('cart', 'group:default/team-shop'), 'shop', '2', 'production'),
  withContext(component('checkout', 'group:default/team-pay'), 'payments', '1', 'staging'),
];

const readAll: Role = {
  'drift.finding.read': AuthorizeResult.ALLOW,
  'drift.finding.acknowledge': AuthorizeResult.ALLOW,
  'drift.finding.suppress': AuthorizeResult.ALLOW,
  'drift.scan.create': AuthorizeResult.ALLOW,
};
const roles: Record<string, Role> = {
  // The default test user runs the scans.
  'user:default/mock': readAll,
  // Reads what its group owns.
  'user:default/alice': { 'drift.finding.read': is.isFindingOwner({ claims: ['group:default/team-shop'] }) },
  // Reads, suppresses and scans everything, but the catalog does not show it cart.
  'user:default/bob': {
    'drift.finding.read': AuthorizeResult.ALLOW,
    'drift.finding.suppress': AuthorizeResult.ALLOW,
    'drift.scan.create': AuthorizeResult.ALLOW,
  },
  // System, tier and environment rules, combined.
  'user:default/carol': {
    'drift.finding.read': {
      anyOf: [is.isFindingInSystem({ systemRefs: ['system:default/shop'] }), is.isFindingInTier({ tiers: [1] })],
    },
  },
  'user:default/dave': {
    'drift.finding.read': { not: is.isFindingInEnvironment({ environments: ['production'] }) },
  },
  'user:default/erin': {
    'drift.finding.read': {
      allOf: [is.isFindingInTier({ tiers: [1, 2] }), is.isFindingInEnvironment({ environments: ['production'] })],
    },
  },
  // No drift permission at all.
  'user:default/eve': {},
  service: readAll,
};

const as = (user: string) => ({ authorization: mockCredentials.user.header(user) });

/** Every entity ref a read route's answer mentions. */
async function entityRefsSeenBy(server: any, user: string, scanId: string) {
  const get = async (path: string) => {
    const res = await request(server).get(`/api/drift${path}`).set(as(user));
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    return res;
  };
  const findings = (await get('/findings')).body;
  const events = (await get('/events')).body.items;
  const resources = (await get('/resources')).body.items;
  const statistics = (await get('/statistics?groupBy=owner')).body;
  const trends = (await get('/trends')).body.items;
  const report = (await get('/report')).body;
  const csv = (await get('/report?format=csv')).text;
  const markdown = (await get('/report?format=markdown')).text;
  const scanErrors = (await get(`/scans/${scanId}`)).body.errors;
  return {
    findings: findings.items.map((f: any) => f.entityRef).sort(),
    totalCount: findings.totalCount,
    events: [...new Set(events.map((e: any) => e.entityRef))].sort(),
    resources: [...new Set(resources.map((r: any) => r.entityRef))].sort(),
    unresolved: statistics.totals.unresolved,
    monitored: statistics.coverage.monitored,
    owners: statistics.groups.map((g: any) => g.key),
    trends: trends.reduce((sum: number, t: any) => sum + t.detected, 0),
    report: report.stillOpen.map((f: any) => f.entityRef).sort(),
    csv: [CART, CHECKOUT].filter(ref => csv.includes(ref)),
    markdown: [CART, CHECKOUT].filter(ref => markdown.includes(ref)),
    scanErrors: scanErrors.map((e: any) => e.entityRef),
  };
}

const only = (ref: string, owner: string) => ({
  findings: [ref],
  totalCount: 1,
  events: [ref],
  resources: [ref],
  unresolved: 1,
  monitored: 1,
  owners: [owner],
  trends: 1,
  report: [ref],
  csv: [ref],
  markdown: [ref],
  scanErrors: ref === CHECKOUT ? [CHECKOUT] : [],
});

describe('reading drift through permission conditions and catalog visibility', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let server: any;
    let scanId: string;
    let ids: Record<string, string>;

    beforeAll(async () => {
      const world = createWorld();
      world.desired.set('cart', [deployment('cart', 'cart:1.0')]);
      world.live.set('cart', [deployment('cart', 'cart:1.1')]);
      world.desired.set('checkout', [deployment('checkout', 'checkout:2.0')]);
      world.live.set('checkout', [deployment('checkout', 'checkout:2.1')]);
      const backend = await startTestBackend({
        features: [
          driftPlugin,
          world.module,
          catalogVisibleTo(entities, { 'user:default/bob': [CART] }),
          permissionsFor(roles),
          mockServices.database.factory({ knex: await databases.init(databaseId) }),
          mockServices.rootConfig.factory({ data: { drift: { schedule: { frequency: { hours: 24 } } } } }),
        ],
      });
      server = backend.server;
      await scan(server);
      // A second scan that fails for checkout, so the scan's errors name an entity.
      world.down.add('checkout');
      scanId = (await scan(server)).id;
      const all = await request(server).get('/api/drift/findings');
      ids = Object.fromEntries(all.body.items.map((f: any) => [f.entityRef, f.id]));
    });

    it('shows an owner only the drift of what it owns, on every read route', async () => {
      expect(await entityRefsSeenBy(server, 'user:default/alice', scanId)).toEqual(
        only(CART, 'group:default/team-shop'),
      );
    });

    it('never shows drift of entities the catalog hides from the user', async () => {
      expect(await entityRefsSeenBy(server, 'user:default/bob', scanId)).toEqual(
        only(CHECKOUT, 'group:default/team-pay'),
      );
    });

    it('applies system, tier and environment conditions with anyOf, allOf and not', async () => {
      const carol = await entityRefsSeenBy(server, 'user:default/carol', scanId);
      expect(carol.findings).toEqual([CART, CHECKOUT]);
      expect(carol.monitored).toBe(2);
      expect(await entityRefsSeenBy(server, 'user:default/dave', scanId)).toEqual(
        only(CHECKOUT, 'group:default/team-pay'),
      );
      expect(await entityRefsSeenBy(server, 'user:default/erin', scanId)).toEqual(
        only(CART, 'group:default/team-shop'),
      );
    });

    it('answers a finding, an entity summary or a scan out of scope as if it did not exist', async () => {
      const alice = as('user:default/alice');
      const own = await request(server).get(`/api/drift/findings/${ids[CART]}`).set(alice);
      expect(own.status).toBe(200);
      const other = await request(server).get(`/api/drift/findings/${ids[CHECKOUT]}`).set(alice);
      expect(other.status).toBe(404);
      expect(JSON.stringify(other.body)).not.toContain('checkout:2');

      const summary = await request(server).get('/api/drift/entities/component/default/checkout/summary').set(alice);
      expect(summary.body).toMatchObject({ resources: { total: 0 }, openFindings: 0, worstSeverity: null });

      const entityScan = await request(server).post('/api/drift/scans').send({ entityRef: CHECKOUT });
      expect(entityScan.status).toBe(202);
      const hidden = await request(server).get(`/api/drift/scans/${entityScan.body.id}`).set(alice);
      expect(hidden.status).toBe(404);
    });

    it('lets a user act only on entities it can see', async () => {
      const bob = as('user:default/bob');
      // Within drift.lifecycle.maxSuppressionDays (90 by default).
      const suppress = { until: new Date(Date.now() + 7 * 86_400_000).toISOString(), reason: 'accepted' };
      const hidden = await request(server).post(`/api/drift/findings/${ids[CART]}/suppress`).set(bob).send(suppress);
      expect(hidden.status).toBe(404);
      const seen = await request(server).post(`/api/drift/findings/${ids[CHECKOUT]}/suppress`).set(bob).send(suppress);
      expect(seen.status).toBe(200);
      const reopen = await request(server).post(`/api/drift/findings/${ids[CART]}/reopen`).set(bob).send({});
      expect(reopen.status).toBe(404);
      const scanHidden = await request(server).post('/api/drift/scans').set(bob).send({ entityRef: CART });
      expect(scanHidden.status).toBe(404);
      const scanSeen = await request(server).post('/api/drift/scans').set(bob).send({ entityRef: CHECKOUT });
      expect(scanSeen.status).toBe(202);
    });

    it('answers 403 with no data to a user without read permission', async () => {
      for (const path of [
        '/findings',
        `/findings/${ids[CART]}`,
        '/resources',
        '/events',
        '/statistics',
        '/trends',
        '/report',
        '/report?format=csv',
        '/report?format=markdown',
        '/entities/component/default/cart/summary',
        `/scans/${scanId}`,
      ]) {
        const res = await request(server).get(`/api/drift${path}`).set(as('user:default/eve'));
        expect({ path, status: res.status }).toEqual({ path, status: 403 });
        expect(Object.keys(res.body).sort()).toEqual(['error', 'request', 'response']);
        expect(res.text).not.toMatch(/Deployment|team-|cart:1/);
      }
    });

    it('takes decisions and manual scans from users only, not from services', async () => {
      const service = { authorization: mockCredentials.service.header() };
      for (const [path, body] of [
        [`/findings/${ids[CART]}/acknowledge`, {}],
        [`/findings/${ids[CART]}/suppress`, { until: '2099-01-01T00:00:00Z', reason: 'accepted' }],
        [`/findings/${ids[CART]}/reopen`, {}],
        ['/scans', {}],
      ] as const) {
        const res = await request(server).post(`/api/drift${path}`).set(service).send(body);
        expect({ path, status: res.status }).toEqual({ path, status: 403 });
      }
      // Services still read, e.g. for a dashboard of their own.
      const read = await request(server).get('/api/drift/findings').set(service);
      expect(read.body.totalCount).toBe(2);
    });
  });
});
