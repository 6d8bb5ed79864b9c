import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  diffObject,
  normalizeObject,
  type KubeObject,
} from '@driftwatch/plugin-drift-common';
import {
  driftSourcesExtensionPoint,
  driftTargetsExtensionPoint,
  type ScannedResource,
} from '@driftwatch/plugin-drift-node';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { component, deployment, scan, secret } from '../__testUtils__/world';
import { driftPlugin } from '../plugin';

jest.setTimeout(60_000);

const cart: Entity = {
  ...component('cart', 'group:default/team-shop'),
  metadata: {
    name: 'cart',
    namespace: 'default',
    annotations: {
      'driftwatch.io/source': 'file:./cart',
      'driftwatch.io/tier': '1',
    },
  },
};

const scaled = (object: KubeObject, replicas: number): KubeObject => ({
  ...object,
  spec: { ...(object.spec as object), replicas },
});

/**
 * Production (cluster eu-prod) runs 6 replicas and staging (eu-staging) 2, as Git declares; live,
 * staging runs a hand-patched image and production drifted its replicas to 8.
 */
const clusters = [
  {
    location: 'eu-prod',
    environment: 'production',
    desired: [
      scaled(deployment('cart', 'cart:1.0'), 6),
      secret('cart', 'in-git'),
    ],
    live: [
      scaled(deployment('cart', 'cart:1.0'), 8),
      secret('cart', 'prod-password'),
    ],
  },
  {
    location: 'eu-staging',
    environment: 'staging',
    desired: [
      scaled(deployment('cart', 'cart:1.0'), 2),
      secret('cart', 'in-git'),
    ],
    live: [
      scaled(deployment('cart', 'cart:1.1-debug'), 2),
      secret('cart', 'staging-password'),
    ],
  },
];

const twoEnvironments = createBackendModule({
  pluginId: 'drift',
  moduleId: 'two-environments',
  register(reg) {
    reg.registerInit({
      deps: {
        sources: driftSourcesExtensionPoint,
        targets: driftTargetsExtensionPoint,
      },
      async init({ sources, targets }) {
        sources.addSource({
          id: 'git',
          appliesTo: () => true,
          async readDesired() {
            return [
              { targetKind: 'kubernetes', location: 'git', documents: [] },
            ];
          },
        });
        targets.addTarget({
          id: 'clusters',
          targetKind: 'kubernetes',
          async compare(requests, options) {
            return requests.map(r => ({
              entityRef: r.entityRef,
              errors: [],
              resources: clusters.flatMap(
                ({ location, environment, desired, live }) =>
                  desired.map(
                    (object, i): ScannedResource => ({
                      location,
                      environment,
                      diff: diffObject(object, live[i], options.diffOptions),
                      objects: {
                        desired: JSON.stringify(normalizeObject(object)),
                        live: JSON.stringify(normalizeObject(live[i])),
                      },
                    }),
                  ),
              ),
            }));
          },
        });
      },
    });
  },
});

describe('environments', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    async function start(features: any[] = []) {
      const knex = await databases.init(databaseId);
      const backend = await startTestBackend({
        features: [
          driftPlugin,
          twoEnvironments,
          catalogServiceMock.factory({ entities: [cart] }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              drift: {
                schedule: { frequency: { hours: 24 } },
                environments: [
                  { name: 'production', clusters: ['eu-prod'] },
                  { name: 'staging', clusters: ['eu-staging'], tier: 3 },
                ],
              },
            },
          }),
          ...features,
        ],
      });
      return { ...backend, knex };
    }

    it("gives each finding its cluster's environment and that environment's tier", async () => {
      const { server } = await start();
      await scan(server);

      const all = await request(server).get('/api/drift/findings');
      expect(
        all.body.items
          .map((f: any) => [f.location, f.environment, f.kind, f.tier])
          .sort((a: any[], b: any[]) => `${a}`.localeCompare(`${b}`)),
      ).toEqual([
        ['eu-prod', 'production', 'Deployment', 1],
        ['eu-prod', 'production', 'Secret', 1],
        ['eu-staging', 'staging', 'Deployment', 3],
        ['eu-staging', 'staging', 'Secret', 3],
      ]);
    });

    it('filters findings and statistics by environment and by location', async () => {
      const { server } = await start();
      await scan(server);

      const staging = await request(server)
        .get('/api/drift/findings')
        .query({ environment: 'staging' });
      expect(staging.status).toBe(200);
      expect(staging.body.totalCount).toBe(2);
      expect(
        staging.body.items.every((f: any) => f.location === 'eu-staging'),
      ).toBe(true);

      const prod = await request(server).get(
        '/api/drift/findings?location=eu-prod&location=elsewhere',
      );
      expect(prod.body.items.map((f: any) => f.environment)).toEqual([
        'production',
        'production',
      ]);

      const none = await request(server)
        .get('/api/drift/findings')
        .query({ environment: 'qa' });
      expect(none.body).toMatchObject({ items: [], totalCount: 0 });

      const stats = await request(server)
        .get('/api/drift/statistics')
        .query({ environment: 'production', groupBy: 'tier' });
      expect(stats.status).toBe(200);
      const everything = await request(server)
        .get('/api/drift/statistics')
        .query({ groupBy: 'tier' });
      expect(JSON.stringify(stats.body)).not.toEqual(
        JSON.stringify(everything.body),
      );
      expect(stats.body.groups).toEqual([
        expect.objectContaining({ key: '1' }),
      ]);
    });

    it('lists the fields that differ between environments live but not in Git, never Secret values', async () => {
      const { server, knex } = await start();
      await scan(server);

      const res = await request(server).get(
        '/api/drift/entities/component/default/cart/environments',
      );

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        entityRef: 'component:default/cart',
        environments: ['production', 'staging'],
        objects: [
          {
            resourceKey: 'Deployment:shop:cart',
            kind: 'Deployment',
            namespace: 'shop',
            name: 'cart',
            pairs: [
              {
                environments: ['production', 'staging'],
                locations: ['eu-prod', 'eu-staging'],
                differences: expect.arrayContaining([
                  expect.objectContaining({
                    field: 'spec.replicas',
                    values: [8, 2],
                  }),
                  expect.objectContaining({
                    field: 'spec.template.spec.containers[name=cart].image',
                    category: 'VersionChange',
                    values: ['cart:1.0', 'cart:1.1-debug'],
                  }),
                ]),
                declared: 0,
              },
            ],
          },
        ],
      });
      expect(res.body.objects[0].pairs[0].differences).toHaveLength(2);
      const stored = await knex('drift_resources').where({ kind: 'Secret' });
      expect(stored).toHaveLength(2);
      expect(
        stored.every(
          row => row.live_object === null && row.desired_object === null,
        ),
      ).toBe(true);
      expect(JSON.stringify(res.body)).not.toMatch(/password/);
    });

    it('counts a live difference that Git declares as declared, not as a difference', async () => {
      const { server } = await start();
      const original = clusters[0].live[0];
      clusters[0].live[0] = scaled(deployment('cart', 'cart:1.0'), 6);
      try {
        await scan(server);
        const res = await request(server).get(
          '/api/drift/entities/component/default/cart/environments',
        );
        const [pair] = res.body.objects[0].pairs;
        expect(pair.declared).toBe(1);
        expect(pair.differences.map((d: any) => d.field)).toEqual([
          'spec.template.spec.containers[name=cart].image',
        ]);
      } finally {
        clusters[0].live[0] = original;
      }
    });

    it('needs the read permission', async () => {
      const { server } = await start([
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
      ]);
      const res = await request(server).get(
        '/api/drift/entities/component/default/cart/environments',
      );
      expect(res.status).toBe(403);
    });
  });
});
