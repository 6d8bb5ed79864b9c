import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { permissionsFor } from './__testUtils__/access';
import { createTestDatabases } from './__testUtils__/databases';
import { component, createWorld, deployment, scan, secret } from './__testUtils__/world';
import { driftPlugin } from './plugin';

jest.setTimeout(60_000);

const SECRET_VALUE = 'hunter2-rotated-password';

const entities = [component('cart', 'group:default/team-shop'), component('checkout', 'group:default/team-pay')];

describe('driftPlugin', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    async function start(world: ReturnType<typeof createWorld>, extra: any[] = []) {
      const knex = await databases.init(databaseId);
      const backend = await startTestBackend({
        features: [
          driftPlugin,
          world.module,
          catalogServiceMock.factory({ entities }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({ data: { drift: { schedule: { frequency: { hours: 24 } } } } }),
          ...extra,
        ],
      });
      return { ...backend, knex };
    }

    it('tracks a drift from detection through acknowledgement, resolution and reopening', async () => {
      const world = createWorld();
      world.desired.set('cart', [deployment('cart', 'cart:1.0')]);
      world.live.set('cart', [deployment('cart', 'cart:1.1')]);
      world.desired.set('checkout', [deployment('checkout', 'checkout:2.0')]);
      world.live.set('checkout', [deployment('checkout', 'checkout:2.0')]);
      const { server } = await start(world);

      const first = await scan(server);
      expect(first).toMatchObject({ status: 'succeeded', entitiesTotal: 2, entitiesDone: 2, findingsOpened: 1 });

      const list = await request(server).get('/api/drift/findings');
      expect(list.status).toBe(200);
      expect(list.body.totalCount).toBe(1);
      const [finding] = list.body.items;
      expect(finding).toMatchObject({
        entityRef: 'component:default/cart',
        resourceKey: 'Deployment:shop:cart',
        status: 'active',
        resourceStatus: 'drifted',
        severity: 'high',
        categories: ['VersionChange'],
        tier: 2,
        owner: 'group:default/team-shop',
      });
      expect(finding.changes[0]).toMatchObject({ desired: 'cart:1.0', live: 'cart:1.1' });

      const ack = await request(server)
        .post(`/api/drift/findings/${finding.id}/acknowledge`)
        .send({ note: 'rolling forward in the next release' });
      expect(ack.status).toBe(200);
      expect(ack.body).toMatchObject({
        status: 'acknowledged',
        acknowledgedBy: mockCredentials.user().principal.userEntityRef,
        acknowledgeNote: 'rolling forward in the next release',
      });

      // The same drift seen again keeps the acknowledgement and adds no finding.
      await scan(server);
      const again = await request(server).get('/api/drift/findings');
      expect(again.body.items.map((f: any) => [f.id, f.status])).toEqual([[finding.id, 'acknowledged']]);

      world.live.set('cart', [deployment('cart', 'cart:1.0')]);
      expect(await scan(server)).toMatchObject({ findingsResolved: 1 });
      const resolved = await request(server).get(`/api/drift/findings/${finding.id}`);
      expect(resolved.body.finding.status).toBe('resolved');

      world.live.set('cart', [deployment('cart', 'cart:1.2')]);
      expect(await scan(server)).toMatchObject({ findingsOpened: 1 });
      const reopened = await request(server).get(`/api/drift/findings/${finding.id}`);
      expect(reopened.body.finding).toMatchObject({ status: 'active', resolvedAt: null });
      // The lifecycle; routing deliveries interleave with it and are tested in routing/.
      const lifecycle = reopened.body.events.filter((e: any) => e.type !== 'routed');
      expect(lifecycle.map((e: any) => [e.type, e.actor])).toEqual([
        ['detected', 'driftwatch'],
        ['acknowledged', 'user:default/mock'],
        ['resolved', 'driftwatch'],
        ['reopened', 'driftwatch'],
      ]);

      const audit = await request(server).get('/api/drift/events').query({ actor: 'human' });
      expect(audit.status).toBe(200);
      expect(audit.body.items).toEqual([
        expect.objectContaining({
          type: 'acknowledged',
          actor: 'user:default/mock',
          note: 'rolling forward in the next release',
          resourceKey: 'Deployment:shop:cart',
          owner: 'group:default/team-shop',
        }),
      ]);

      const stats = await request(server).get('/api/drift/statistics?groupBy=category');
      expect(stats.status).toBe(200);
      expect(stats.body.totals).toMatchObject({ active: 1, bySeverity: { high: 1 } });
      expect(stats.body.groups).toEqual([expect.objectContaining({ key: 'VersionChange', active: 1 })]);

      // Detected twice (first time, then reopened), resolved once, all today.
      const trends = await request(server).get('/api/drift/trends').query({ category: 'VersionChange' });
      expect(trends.status).toBe(200);
      expect(trends.body.items).toEqual([
        { day: new Date().toISOString().slice(0, 10), category: 'VersionChange', severity: 'high', detected: 2, resolved: 1 },
      ]);
    });

    it('marks an unreachable cluster unknown, never resolving, and completes other entities', async () => {
      const world = createWorld();
      world.desired.set('cart', [deployment('cart', 'cart:1.0')]);
      world.live.set('cart', [deployment('cart', 'cart:1.1')]);
      world.desired.set('checkout', [deployment('checkout', 'checkout:2.0')]);
      world.live.set('checkout', [deployment('checkout', 'checkout:2.0')]);
      const { server } = await start(world);
      await scan(server);

      world.down.add('cart');
      world.live.set('checkout', [deployment('checkout', 'checkout:2.1')]);
      const partial = await scan(server);
      expect(partial.status).toBe('partial');
      expect(partial.entitiesDone).toBe(2);
      expect(partial.errors).toEqual([
        { entityRef: 'component:default/cart', location: 'test-cluster', message: 'connect ECONNREFUSED 127.0.0.1:6443' },
      ]);

      const resources = await request(server)
        .get('/api/drift/resources')
        .query({ entityRef: 'component:default/cart' });
      expect(resources.status).toBe(200);
      expect(resources.body.items).toEqual([
        expect.objectContaining({ resourceKey: 'Deployment:shop:cart', status: 'unknown', error: expect.stringContaining('ECONNREFUSED') }),
      ]);
      const findings = await request(server).get('/api/drift/findings?status=active');
      expect(findings.body.items.map((f: any) => f.entityRef).sort()).toEqual([
        'component:default/cart',
        'component:default/checkout',
      ]);
    });

    it('never stores a secret value', async () => {
      const world = createWorld();
      world.desired.set('cart', [secret('cart', 'initial-password')]);
      world.live.set('cart', [secret('cart', SECRET_VALUE)]);
      const { server, knex } = await start(world);
      await scan(server);

      const list = await request(server).get('/api/drift/findings');
      expect(list.body.items[0]).toMatchObject({ resourceKey: 'Secret:shop:cart-db', categories: ['SecretChange'] });
      const body = JSON.stringify(list.body);
      expect(body).not.toContain(SECRET_VALUE);
      expect(body).not.toContain(Buffer.from(SECRET_VALUE).toString('base64'));

      const needles = [SECRET_VALUE, Buffer.from(SECRET_VALUE).toString('base64'), 'initial-password'];
      for (const table of ['drift_scans', 'drift_resources', 'drift_findings', 'drift_events', 'drift_daily_rollups']) {
        const rows = await knex(table).select();
        const dump = JSON.stringify(rows);
        for (const needle of needles) expect(dump).not.toContain(needle);
      }
    });
  });

  it('answers 403 without permission, and sends no data', async () => {
    const world = createWorld();
    const { server } = await startTestBackend({
      features: [
        driftPlugin,
        world.module,
        catalogServiceMock.factory({ entities }),
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
      ],
    });
    for (const [method, path] of [
      ['get', '/api/drift/findings'],
      ['get', '/api/drift/statistics'],
      ['get', '/api/drift/report?format=csv'],
      ['post', '/api/drift/scans'],
      ['post', '/api/drift/findings/some-id/acknowledge'],
      ['post', '/api/drift/findings/some-id/suppress'],
    ] as const) {
      const res = await (request(server) as any)[method](path).send(
        path.endsWith('suppress') ? { until: '2099-01-01T00:00:00Z', reason: 'accepted risk' } : {},
      );
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
      expect(res.body.items).toBeUndefined();
    }
  });

  it('answers 400 naming the bad parameter', async () => {
    const world = createWorld();
    const { server } = await startTestBackend({
      features: [driftPlugin, world.module, catalogServiceMock.factory({ entities })],
    });
    const badSeverity = await request(server).get('/api/drift/findings?severity=urgent');
    expect(badSeverity.status).toBe(400);
    expect(badSeverity.body.error.message).toMatch(/severity/);

    const badLimit = await request(server).get('/api/drift/findings?limit=0');
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.message).toMatch(/limit/);

    const unknownParam = await request(server).get('/api/drift/findings?colour=red');
    expect(unknownParam.status).toBe(400);
    expect(unknownParam.body.error.message).toMatch(/colour/);

    const badRange = await request(server).get('/api/drift/statistics?from=yesterday');
    expect(badRange.status).toBe(400);
    expect(badRange.body.error.message).toMatch(/from/);

    const badCursor = await request(server).get('/api/drift/findings?cursor=not-a-cursor');
    expect(badCursor.status).toBe(400);

    const missingReason = await request(server)
      .post('/api/drift/findings/x/suppress')
      .send({ until: '2099-01-01T00:00:00Z' });
    expect(missingReason.status).toBe(400);
    expect(missingReason.body.error.message).toMatch(/reason/);
  });

  it('answers health without credentials, and its details only to readers', async () => {
    const { server } = await startTestBackend({
      features: [
        driftPlugin,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
        permissionsFor({ 'user:default/reader': { 'drift.finding.read': AuthorizeResult.ALLOW } }),
      ],
    });
    const anonymous = await request(server).get('/api/drift/health');
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual({ status: 'ok' });

    const reader = await request(server)
      .get('/api/drift/health')
      .set('authorization', mockCredentials.user.header('user:default/reader'));
    expect(reader.body).toEqual({ status: 'ok', database: 'ok', demo: false, lastScan: null });

    const other = await request(server)
      .get('/api/drift/health')
      .set('authorization', mockCredentials.user.header('user:default/other'));
    expect(other.body).toEqual({ status: 'ok' });
  });

  it('answers health 503 when the database does not answer', async () => {
    const knex = await databases.init('SQLITE_3');
    const { server } = await startTestBackend({
      features: [driftPlugin, catalogServiceMock.factory({ entities: [] }), mockServices.database.factory({ knex })],
    });
    await knex.destroy();
    const response = await request(server).get('/api/drift/health');
    expect(response.status).toBe(503);
    expect(response.body).toEqual({ status: 'unavailable' });
  });
});
