import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import driftPlugin from '@driftwatch/plugin-drift-backend';
import { diffResources, type KubeObject } from '@driftwatch/plugin-drift-common';
import { driftSourcesExtensionPoint, driftTargetsExtensionPoint } from '@driftwatch/plugin-drift-node';
import request from 'supertest';
import { driftwatchPermissionPolicy } from './permissionPolicy';

jest.setTimeout(120_000);

const CART = 'component:default/cart';
const CHECKOUT = 'component:default/checkout';

const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations: { 'driftwatch.io/source': `url:https://git.example.com/${name}` } },
  spec: { type: 'service', owner, lifecycle: 'production' },
});
const entities = [component('cart', 'group:default/team-shop'), component('checkout', 'group:default/team-pay')];

const deployment = (name: string, image: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop' },
  spec: { template: { spec: { containers: [{ name, image }] } } },
});

/** Git says :1, the cluster runs :2, for every entity. */
const driftingCluster = createBackendModule({
  pluginId: 'drift',
  moduleId: 'drifting-cluster',
  register(reg) {
    reg.registerInit({
      deps: { sources: driftSourcesExtensionPoint, targets: driftTargetsExtensionPoint },
      async init({ sources, targets }) {
        sources.addSource({
          id: 'git',
          appliesTo: () => true,
          readDesired: async entity => [
            { targetKind: 'kubernetes', location: 'git', documents: [deployment(entity.metadata.name, 'app:1')] },
          ],
        });
        targets.addTarget({
          id: 'cluster',
          targetKind: 'kubernetes',
          compare: async (requests, options) =>
            requests.map(r => ({
              entityRef: r.entityRef,
              resources: diffResources(
                r.desired.flatMap(d => d.documents as KubeObject[]),
                [deployment(r.entity.metadata.name, 'app:2')],
                options.diffOptions,
              ).resources.map(diff => ({ location: 'cluster', diff })),
              errors: [],
            })),
        });
      },
    });
  },
});

// Who is who: the groups each user belongs to, as sign-in would resolve them from the catalog.
const members: Record<string, string[]> = {
  'user:default/alice': ['group:default/team-shop'], // owns cart
  'user:default/bob': ['group:default/team-pay'], // owns checkout
  'user:default/sam': ['group:default/sre'],
  'user:default/sec': ['group:default/security'],
  'user:default/carol': [], // no role; the catalog does not show her checkout
};
const hiddenFrom: Record<string, string[]> = { 'user:default/carol': [CHECKOUT] };

const userOf = (options?: object) =>
  ((options as { credentials?: BackstageCredentials } | undefined)?.credentials?.principal as { userEntityRef?: string })
    ?.userEntityRef ?? '';
const catalogFor = (options?: object) =>
  catalogServiceMock({ entities: entities.filter(e => !(hiddenFrom[userOf(options)] ?? []).includes(stringifyEntityRef(e))) });

const as = (user: string) => ({ authorization: mockCredentials.user.header(user) });
const asService = { authorization: mockCredentials.service.header() };

describe('the example permission policy, through the permission framework', () => {
  let server: any;
  let ids: Record<string, string>;

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        permissionPlugin,
        driftwatchPermissionPolicy,
        driftPlugin,
        driftingCluster,
        catalogServiceMock.mock({
          getEntities: (req, options) => catalogFor(options).getEntities(req),
          getEntityByRef: (ref, options) => catalogFor(options).getEntityByRef(ref),
          queryEntities: (req, options) => catalogFor(options).queryEntities(req),
        }).factory,
        mockServices.userInfo.mock({
          getUserInfo: async credentials => {
            const userEntityRef = (credentials.principal as { userEntityRef: string }).userEntityRef;
            return { userEntityRef, ownershipEntityRefs: [userEntityRef, ...(members[userEntityRef] ?? [])] };
          },
        }).factory,
        mockServices.rootConfig.factory({
          data: { permission: { enabled: true }, drift: { schedule: { frequency: { hours: 24 } } } },
        }),
      ],
    }));
    const started = await request(server).post('/api/drift/scans').set(as('user:default/sam')).send({});
    for (let i = 0; i < 100; i++) {
      const res = await request(server).get(`/api/drift/scans/${started.body.id}`).set(as('user:default/sam'));
      if (res.body.finishedAt) break;
      await new Promise(r => setTimeout(r, 50));
    }
    const list = await request(server).get('/api/drift/findings').set(as('user:default/sec'));
    ids = Object.fromEntries(list.body.items.map((f: any) => [f.entityRef, f.id]));
  });

  const readRoutes = () => [
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
  ];

  it.each(['alice', 'bob', 'sam', 'sec', 'carol'])('lets %s read every route', async name => {
    for (const path of readRoutes()) {
      const res = await request(server).get(`/api/drift${path}`).set(as(`user:default/${name}`));
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
  });

  it('shows the security group every finding, and everyone else what the catalog shows them', async () => {
    const seen = async (name: string) =>
      (await request(server).get('/api/drift/findings').set(as(`user:default/${name}`))).body.items
        .map((f: any) => f.entityRef)
        .sort();
    expect(await seen('sec')).toEqual([CART, CHECKOUT]);
    expect(await seen('alice')).toEqual([CART, CHECKOUT]);
    expect(await seen('carol')).toEqual([CART]);
    const hidden = await request(server).get(`/api/drift/findings/${ids[CHECKOUT]}`).set(as('user:default/carol'));
    expect(hidden.status).toBe(404);
  });

  it('refuses readers without credentials, and tells them only that the plugin is up', async () => {
    expect((await request(server).get('/api/drift/findings')).status).toBe(401);
    const health = await request(server).get('/api/drift/health');
    expect(health.body).toEqual({ status: 'ok' });
    const detailed = await request(server).get('/api/drift/health').set(as('user:default/carol'));
    expect(detailed.body).toMatchObject({ status: 'ok', database: 'ok', lastScan: expect.any(Object) });
  });

  const post = (path: string, who: Record<string, string>, body: object = {}) =>
    request(server).post(`/api/drift${path}`).set(who).send(body);

  /** A refusal carries the error and nothing of the finding. */
  const expectRefused = (res: request.Response, status = 403) => {
    expect(res.status).toBe(status);
    expect(Object.keys(res.body).sort()).toEqual(['error', 'request', 'response']);
    expect(res.text).not.toMatch(/app:[12]|Deployment|team-/);
  };

  it('lets owners acknowledge their own findings only', async () => {
    expectRefused(await post(`/findings/${ids[CHECKOUT]}/acknowledge`, as('user:default/alice')));
    expectRefused(await post(`/findings/${ids[CART]}/acknowledge`, as('user:default/carol')));
    expectRefused(await post(`/findings/${ids[CART]}/acknowledge`, as('user:default/sec')));
    const own = await post(`/findings/${ids[CART]}/acknowledge`, as('user:default/alice'), { note: 'fixing' });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'user:default/alice' });
  });

  it('lets the SRE group acknowledge, suppress and reopen any finding, and nobody else', async () => {
    const suppress = { until: '2099-01-01T00:00:00Z', reason: 'accepted for the migration' };
    for (const name of ['alice', 'bob', 'sec', 'carol']) {
      expectRefused(await post(`/findings/${ids[CHECKOUT]}/suppress`, as(`user:default/${name}`), suppress));
      expectRefused(await post(`/findings/${ids[CART]}/reopen`, as(`user:default/${name}`)));
    }
    const sam = as('user:default/sam');
    expect((await post(`/findings/${ids[CHECKOUT]}/acknowledge`, sam)).status).toBe(200);
    expect((await post(`/findings/${ids[CHECKOUT]}/suppress`, sam, suppress)).body.status).toBe('suppressed');
    expect((await post(`/findings/${ids[CHECKOUT]}/reopen`, sam)).body.status).toBe('active');
  });

  it('takes no decision and no scan from a service or an anonymous caller', async () => {
    for (const path of [`/findings/${ids[CART]}/acknowledge`, `/findings/${ids[CART]}/reopen`, '/scans']) {
      expectRefused(await post(path, asService));
      expectRefused(await post(path, {}), 401);
    }
    expectRefused(
      await post(`/findings/${ids[CART]}/suppress`, asService, { until: '2099-01-01T00:00:00Z', reason: 'x' }),
    );
  });

  it('lets every user ask for a re-scan of what they can see', async () => {
    expect((await post('/scans', as('user:default/alice'), { entityRef: CART })).status).toBe(202);
    expect((await post('/scans', as('user:default/carol'), { entityRef: CHECKOUT })).status).toBe(404);
  });

  it('keeps the audit log of every decision with the person who took it', async () => {
    const audit = await request(server).get('/api/drift/events?actor=human').set(as('user:default/sec'));
    expect(audit.body.items.map((e: any) => [e.type, e.actor]).reverse()).toEqual([
      ['acknowledged', 'user:default/alice'],
      ['acknowledged', 'user:default/sam'],
      ['suppressed', 'user:default/sam'],
      ['reopened', 'user:default/sam'],
    ]);
  });
});
