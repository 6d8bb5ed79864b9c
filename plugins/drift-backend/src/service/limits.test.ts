import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { diffResources, type KubeObject } from '@driftwatch/plugin-drift-common';
import { driftSourcesExtensionPoint, driftTargetsExtensionPoint } from '@driftwatch/plugin-drift-node';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { component, deployment, waitForScan } from '../__testUtils__/world';
import { driftPlugin } from '../plugin';

jest.setTimeout(60_000);

const DAY = 86_400_000;
const LONG_URL = `https://github.com/acme/deploy/tree/main/${'overlays/'.repeat(220)}prod`;

const withSource = (entity: Entity, source: string): Entity => ({
  ...entity,
  metadata: { ...entity.metadata, annotations: { ...entity.metadata.annotations, 'driftwatch.io/source': source } },
});

const entities = [
  withSource(component('cart', 'group:default/team-shop'), `url:${LONG_URL}`),
  component('checkout', 'group:default/team-pay'),
  component('search', 'group:default/team-find'),
];

/**
 * Every entity declares three Deployments that run a newer image live. Each resource is stored
 * under the entity's source location, and comparisons wait until `open` is called.
 */
function slowCluster() {
  let open!: () => void;
  const gate = new Promise<void>(resolve => {
    open = resolve;
  });
  const module = createBackendModule({
    pluginId: 'drift',
    moduleId: 'slow-cluster',
    register(reg) {
      reg.registerInit({
        deps: { sources: driftSourcesExtensionPoint, targets: driftTargetsExtensionPoint },
        async init({ sources, targets }) {
          const names = (entity: Entity) => [1, 2, 3].map(i => `${entity.metadata.name}-${i}`);
          sources.addSource({
            id: 'git',
            appliesTo: () => true,
            async readDesired(entity) {
              return [
                {
                  targetKind: 'kubernetes',
                  location: entity.metadata.annotations!['driftwatch.io/source'],
                  documents: names(entity).map(name => deployment(name, `${name}:1`)),
                },
              ];
            },
          });
          targets.addTarget({
            id: 'slow-cluster',
            targetKind: 'kubernetes',
            async compare(requests, options) {
              await gate;
              return requests.map(r => ({
                entityRef: r.entityRef,
                resources: r.desired.flatMap(d =>
                  diffResources(
                    d.documents as KubeObject[],
                    names(r.entity).map(name => deployment(name, `${name}:2`)),
                    options.diffOptions,
                  ).resources.map(diff => ({ location: d.location, diff })),
                ),
                errors: [],
              }));
            },
          });
        },
      });
    },
  });
  return { module, open };
}

describe('bounded work', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    async function start(drift: JsonObject = {}) {
      const cluster = slowCluster();
      const { server } = await startTestBackend({
        features: [
          driftPlugin,
          cluster.module,
          catalogServiceMock.factory({ entities }),
          mockServices.database.factory({ knex: await databases.init(databaseId) }),
          mockServices.rootConfig.factory({
            data: { drift: { schedule: { frequency: { hours: 24 } }, ...drift } },
          }),
        ],
      });
      return { server, open: cluster.open };
    }

    async function scanned(drift: JsonObject = {}) {
      const backend = await start(drift);
      backend.open();
      const scan = await request(backend.server).post('/api/drift/scans').send({});
      expect(await waitForScan(backend.server, scan.body.id)).toMatchObject({ status: 'succeeded', errors: [] });
      return backend.server;
    }

    it('scans an entity whose url: location is 2,000 characters long', async () => {
      const server = await scanned();
      const resources = await request(server)
        .get('/api/drift/resources')
        .query({ entityRef: 'component:default/cart' });
      expect(resources.body.items.map((r: any) => [r.location.length, r.status])).toEqual([
        [LONG_URL.length + 4, 'drifted'],
        [LONG_URL.length + 4, 'drifted'],
        [LONG_URL.length + 4, 'drifted'],
      ]);
      expect(LONG_URL.length).toBeGreaterThan(2000);
    });

    it('refuses a window longer than the limit, naming the limit and the parameters', async () => {
      const server = await scanned();
      const wide = { from: '1726-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' };
      for (const path of ['/statistics', '/trends', '/report', '/report?format=csv']) {
        const res = await request(server).get(`/api/drift${path}`).query(wide);
        expect({ path, status: res.status, message: res.body.error?.message }).toEqual({
          path,
          status: 400,
          message:
            'Invalid query: "from" and "to" span more than 366 days, the longest window (drift.statistics.maxWindowDays)',
        });
      }
      // One clock reading for both ends: two readings a millisecond apart make the span too long.
      const now = Date.now();
      const year = { from: new Date(now - 366 * DAY).toISOString(), to: new Date(now).toISOString() };
      const stats = await request(server).get('/api/drift/statistics').query(year);
      expect(stats.status).toBe(200);
      expect(stats.body.groups).toHaveLength(367);
      expect(stats.body.totals).toMatchObject({ active: 9, detectedInRange: 9 });
    });

    it('takes the window limit from config', async () => {
      const { server } = await start({ statistics: { maxWindowDays: 30 } });
      const res = await request(server)
        .get('/api/drift/statistics')
        .query({ from: new Date(Date.now() - 31 * DAY).toISOString() });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/more than 30 days/);
      // The default window is shortened to fit.
      expect((await request(server).get('/api/drift/trends')).status).toBe(200);
    });

    it('pages resources with a cursor', async () => {
      const server = await scanned();
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await request(server).get('/api/drift/resources').query({ limit: 4, cursor });
        expect(page.status).toBe(200);
        expect(page.body.totalCount).toBe(9);
        expect(page.body.items.length).toBeLessThanOrEqual(4);
        seen.push(...page.body.items.map((r: any) => r.resourceKey));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(9);
      expect(new Set(seen).size).toBe(9);

      const tooMany = await request(server).get('/api/drift/resources').query({ limit: 501 });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error.message).toMatch(/limit/);
      const badCursor = await request(server).get('/api/drift/resources').query({ cursor: 'bm90LWEtY3Vyc29y' });
      expect(badCursor.status).toBe(400);
      expect(badCursor.body.error.message).toMatch(/cursor/);
    });

    it('gives a scan requested while the same one runs its id', async () => {
      const { server, open } = await start();
      const first = await request(server).post('/api/drift/scans').send({});
      const again = await request(server).post('/api/drift/scans').send({});
      const cart = await request(server).post('/api/drift/scans').send({ entityRef: 'component:default/cart' });
      const cartAgain = await request(server).post('/api/drift/scans').send({ entityRef: 'component:default/cart' });
      expect([first.status, again.status, cart.status, cartAgain.status]).toEqual([202, 202, 202, 202]);
      expect(again.body.id).toBe(first.body.id);
      expect(cart.body.id).not.toBe(first.body.id);
      expect(cartAgain.body.id).toBe(cart.body.id);
      open();
      expect(await waitForScan(server, first.body.id)).toMatchObject({ status: 'succeeded', entitiesDone: 3 });
      await waitForScan(server, cart.body.id);
    });

    it('lets a suppression last at most the configured days', async () => {
      const server = await scanned({ lifecycle: { maxSuppressionDays: 30 } });
      const [finding] = (await request(server).get('/api/drift/findings').query({ limit: 1 })).body.items;
      const suppress = (days: number) =>
        request(server)
          .post(`/api/drift/findings/${finding.id}/suppress`)
          .send({ until: new Date(Date.now() + days * DAY).toISOString(), reason: 'accepted until the migration' });
      const tooLong = await suppress(31);
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error.message).toMatch(
        /^Invalid body: "until" must be at most 30 days ahead \(drift\.lifecycle\.maxSuppressionDays\)/,
      );
      expect((await suppress(29)).body).toMatchObject({ status: 'suppressed' });
    });

    it('caps a suppression at 90 days when config says nothing', async () => {
      const server = await scanned();
      const [finding] = (await request(server).get('/api/drift/findings').query({ limit: 1 })).body.items;
      const suppress = (days: number) =>
        request(server)
          .post(`/api/drift/findings/${finding.id}/suppress`)
          .send({ until: new Date(Date.now() + days * DAY).toISOString(), reason: 'accepted for the quarter' });
      const tooLong = await suppress(91);
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error.message).toMatch(/must be at most 90 days ahead/);
      expect((await suppress(89)).body).toMatchObject({ status: 'suppressed' });
    });

    it('answers a forged findings cursor with a 400 that names it, on every database', async () => {
      const server = await scanned();
      const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      for (const [sort, cursor] of [
        ['score', forge(['not a number', '00000000-0000-4000-8000-000000000000', 1])],
        ['lastSeen', forge(['2026-11-01T00:00:00Z\u0000', '00000000-0000-4000-8000-000000000000', 1])],
        ['severity', forge([1, 'x\u0000', 1])],
      ]) {
        const res = await request(server).get('/api/drift/findings').query({ sort, cursor });
        expect({ sort, status: res.status }).toEqual({ sort, status: 400 });
        expect(res.body.error.message).toMatch(/^Invalid cursor/);
      }
    });
  });
});
