import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { component, createWorld, deployment, scan } from '../__testUtils__/world';
import { driftPlugin } from '../plugin';

jest.setTimeout(60_000);

// Inputs the API fuzzer (scripts/fuzz.sh) turned into 500s: each must be a 400 that names the
// parameter or body field at fault, on every database.
describe('bad input', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    async function start() {
      const world = createWorld();
      world.desired.set('cart', [deployment('cart', 'cart:1.0')]);
      world.live.set('cart', [deployment('cart', 'cart:1.1')]);
      const { server } = await startTestBackend({
        features: [
          driftPlugin,
          world.module,
          catalogServiceMock.factory({ entities: [component('cart', 'group:default/team-shop')] }),
          mockServices.database.factory({ knex: await databases.init(databaseId) }),
          mockServices.rootConfig.factory({ data: { drift: { schedule: { frequency: { hours: 24 } } } } }),
        ],
      });
      return server;
    }

    it.each([
      ['a query value', '/api/drift/findings?owner=%00', /owner/],
      ['a path parameter', '/api/drift/findings/%00', /\bid\b/],
      ['a summary path parameter', '/api/drift/entities/component/default/ca%00rt/summary', /\bname\b/],
      ['a resource filter', '/api/drift/resources?entityRef=%00', /entityRef/],
    ])('refuses NUL in %s, which PostgreSQL cannot store', async (_what, path, named) => {
      const res = await request(await start()).get(path);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(named);
    });

    it('refuses NUL in a note', async () => {
      const server = await start();
      await scan(server);
      const [finding] = (await request(server).get('/api/drift/findings')).body.items;
      const res = await request(server)
        .post(`/api/drift/findings/${finding.id}/acknowledge`)
        .send({ note: 'ok\u0000' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/note/);
    });

    it('refuses a leap second, which a JavaScript date cannot hold', async () => {
      const server = await start();
      const leapSecond = '2016-12-31T23:59:60Z';
      for (const route of ['trends', 'statistics', 'events', 'report']) {
        const res = await request(server).get(`/api/drift/${route}`).query({ to: leapSecond });
        expect({ route, status: res.status }).toEqual({ route, status: 400 });
        expect(res.body.error.message).toMatch(/"to"/);
      }

      await scan(server);
      const [finding] = (await request(server).get('/api/drift/findings')).body.items;
      const suppress = await request(server)
        .post(`/api/drift/findings/${finding.id}/suppress`)
        .send({ until: '2099-12-31T23:59:60Z', reason: 'accepted risk' });
      expect(suppress.status).toBe(400);
      expect(suppress.body.error.message).toMatch(/"until"/);
    });
  });

  it('says the request body is at fault when it is not JSON', async () => {
    const { server } = await startTestBackend({
      features: [driftPlugin, createWorld().module, catalogServiceMock.factory({ entities: [] })],
    });
    for (const body of ['{"entityRef":', '"component:default/cart"']) {
      const res = await request(server).post('/api/drift/scans').type('application/json').send(body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.body.error.message).toMatch(/^Invalid request body: /);
    }
  });
});
