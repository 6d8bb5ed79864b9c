import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  diffObject,
  diffResources,
  normalizeObject,
  type KubeObject,
} from '@driftwatch/plugin-drift-common';
import {
  driftSourcesExtensionPoint,
  driftTargetsExtensionPoint,
  type ScannedResource,
} from '@driftwatch/plugin-drift-node';
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  component,
  deployment,
  secret,
  waitForScan,
} from '../__testUtils__/world';
import { driftPlugin } from '../plugin';

// The real plugin answers every GET route of openapi.yaml (and the writes that set up its data),
// and each JSON body is checked against the route's response schema. Objects that list their
// properties are closed here even where the spec forgets to say so, so a field the server sends
// and the spec does not describe fails as surely as a missing one. drift-common's types are
// checked against the same spec at compile time, in contract.typecheck.ts.

jest.setTimeout(60_000);

type JsonSchema = { [keyword: string]: unknown };
type Operation = {
  responses: Record<
    string,
    { content?: Record<string, { schema: JsonSchema }> }
  >;
};

const spec: { paths: Record<string, Record<string, Operation>> } = parse(
  readFileSync(resolve(__dirname, 'openapi.yaml'), 'utf8'),
);

/** What a local `$ref` of the spec points at. */
function pointer(ref: string): unknown {
  if (!ref.startsWith('#/'))
    throw new Error(`Only local references are supported, got ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .reduce<any>(
      (node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')],
      spec,
    );
}

/** `schema` with its references inlined and every object that lists its properties closed. */
function strictSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const { $ref, ...rest } = schema as JsonSchema;
  if (typeof $ref === 'string') return strictSchema(pointer($ref));
  const strict: JsonSchema = Object.fromEntries(
    Object.entries(rest).map(([key, value]) => [key, strictSchema(value)]),
  );
  if (strict.properties && strict.additionalProperties === undefined)
    strict.additionalProperties = false;
  return strict;
}

// OpenAPI 3.1 schemas are JSON Schema 2020-12.
const ajv = addFormats(new Ajv2020({ allErrors: true, allowUnionTypes: true }));

/** Where `body` differs from the JSON response `status` of `method path`; empty when it conforms. */
function violations(
  method: string,
  path: string,
  status: number,
  body: unknown,
): string[] {
  const schema =
    spec.paths[path]?.[method]?.responses[String(status)]?.content?.[
      'application/json'
    ]?.schema;
  if (!schema)
    return [
      `${method.toUpperCase()} ${path} has no JSON response ${status} in openapi.yaml`,
    ];
  const validate = ajv.compile(strictSchema(schema) as JsonSchema);
  if (validate(body)) return [];
  return (validate.errors ?? []).map(
    (error: ErrorObject) =>
      `${error.instancePath || '(body)'} ${error.message} ${JSON.stringify(
        error.params,
      )}`,
  );
}

const specRoutes = (method: string) =>
  Object.entries(spec.paths)
    .filter(([, operations]) => method in operations)
    .map(([path]) => path);

/** What the setup left behind, for the requests that name it. */
interface Seed {
  scanId: string;
  /** An acknowledged finding with a note and a linked incident. */
  findingId: string;
  /** The writes the setup made, with their answers. */
  writes: Array<{
    method: 'post';
    path: string;
    status: number;
    body: unknown;
  }>;
}

const CART = 'component:default/cart';
/** As a query parameter: the router refuses reserved characters unencoded. */
const CART_PARAM = encodeURIComponent(CART);

/** The requests made of each GET route of the spec, once the setup's scans and decisions are in. */
const samples: Record<string, (seed: Seed) => string[]> = {
  '/health': () => ['/health'],
  '/findings': () => [
    '/findings',
    '/findings?status=resolved',
    `/findings?entityRef=${CART_PARAM}&sort=slaDue&limit=1`,
  ],
  '/findings/{id}': seed => [`/findings/${seed.findingId}`],
  '/entities/{kind}/{namespace}/{name}/environments': () => [
    '/entities/component/default/cart/environments',
  ],
  '/entities/{kind}/{namespace}/{name}/summary': () => [
    '/entities/component/default/cart/summary',
    '/entities/component/default/checkout/summary',
  ],
  '/resources': () => [
    '/resources',
    '/resources?status=drifted&status=missing',
    '/resources?limit=1',
  ],
  '/surface': () => ['/surface'],
  '/statistics': () => [
    '/statistics',
    '/statistics?groupBy=owner',
    '/statistics?groupBy=category',
    '/statistics?groupBy=tier',
  ],
  '/events': () => ['/events'],
  '/trends': () => ['/trends'],
  '/report': () => ['/report', '/report?format=json'],
  '/routing/policy': () => ['/routing/policy'],
  '/routing/summary': () => ['/routing/summary'],
  '/gate': () => [
    `/gate?entityRef=${CART_PARAM}`,
    `/gate?entityRef=${encodeURIComponent('component:default/checkout')}`,
  ],
  '/scans/{id}': seed => [`/scans/${seed.scanId}`],
};

const scaled = (object: KubeObject, replicas: number): KubeObject => ({
  ...object,
  spec: { ...(object.spec as object), replicas },
});

const configMap = (name: string, app: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'shop', labels: { app } },
  data: { LOG_LEVEL: 'debug' },
});

/** Cart (tier 1) runs in production and staging, deployed by Argo CD; checkout in one cluster. */
const entities: Entity[] = [
  {
    ...component('cart', 'group:default/team-shop'),
    metadata: {
      name: 'cart',
      namespace: 'default',
      annotations: {
        'driftwatch.io/source': 'file:./cart',
        'driftwatch.io/tier': '1',
      },
    },
  },
  component('checkout', 'group:default/team-pay'),
];

const cartClusters = [
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
      secret('cart', 'in-git'),
    ],
  },
];

/** Checkout drifted, lacks a ConfigMap Git declares and runs one Git lacks, until `fixed`. */
const checkout = {
  desired: [
    deployment('checkout', 'checkout:2.0'),
    configMap('checkout-settings', 'checkout'),
  ],
  live: () => [
    deployment('checkout', 'checkout:2.1'),
    ...(checkout.fixed ? [] : [configMap('checkout-debug', 'checkout')]),
  ],
  fixed: false,
};

const clusters = createBackendModule({
  pluginId: 'drift',
  moduleId: 'contract-clusters',
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
          async readDesired(entity) {
            const state = {
              targetKind: 'kubernetes',
              location: 'git',
              documents: [],
            };
            return [
              entity.metadata.name === 'cart'
                ? {
                    ...state,
                    externalStatus: {
                      source: 'argocd',
                      app: 'cart',
                      sync: 'OutOfSync',
                      health: 'Healthy',
                    },
                  }
                : state,
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
              resources:
                r.entity.metadata.name === 'cart'
                  ? cartClusters.flatMap(
                      ({ location, environment, desired, live }) =>
                        desired.map(
                          (object, i): ScannedResource => ({
                            location,
                            environment,
                            diff: diffObject(
                              object,
                              live[i],
                              options.diffOptions,
                            ),
                            objects: {
                              desired: JSON.stringify(normalizeObject(object)),
                              live: JSON.stringify(normalizeObject(live[i])),
                            },
                          }),
                        ),
                    )
                  : diffResources(
                      checkout.desired,
                      checkout.live(),
                      options.diffOptions,
                    ).resources.map(diff => ({
                      location: 'test-cluster',
                      diff,
                    })),
            }));
          },
        });
      },
    });
  },
});

describe('the drift API as openapi.yaml describes it', () => {
  it('has a sample request for every GET route of the spec, and none for a route it lacks', () => {
    expect(Object.keys(samples).sort()).toEqual(specRoutes('get').sort());
  });

  it('closes objects that list their properties, and keeps open maps open', () => {
    expect(
      strictSchema({ type: 'object', properties: { a: { type: 'string' } } }),
    ).toEqual({
      type: 'object',
      properties: { a: { type: 'string' } },
      additionalProperties: false,
    });
    expect(
      strictSchema({
        type: 'object',
        additionalProperties: { type: 'integer' },
      }),
    ).toEqual({
      type: 'object',
      additionalProperties: { type: 'integer' },
    });
    expect(
      violations('get', '/routing/summary', 200, { from: 'yesterday' }),
    ).not.toEqual([]);
  });

  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let server: any;
    const seed: Seed = { scanId: '', findingId: '', writes: [] };

    const post = async (path: string, body: object) => {
      const res = await request(server).post(`/api/drift${path}`).send(body);
      const route = path.replace(/^\/findings\/[^/]+/, '/findings/{id}');
      seed.writes.push({
        method: 'post',
        path: route,
        status: res.status,
        body: res.body,
      });
      return res;
    };
    const scan = async () => {
      const res = await post('/scans', {});
      if (res.status !== 202)
        throw new Error(`scan refused: ${res.status} ${res.text}`);
      await waitForScan(server, res.body.id);
      return res.body.id as string;
    };

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      ({ server } = await startTestBackend({
        features: [
          driftPlugin,
          clusters,
          catalogServiceMock.factory({ entities }),
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
        ],
      }));

      checkout.fixed = false;
      await scan();
      const { body: page } = await request(server).get(
        '/api/drift/findings?limit=500',
      );
      const cartProduction = page.items.find(
        (f: any) =>
          f.entityRef === CART &&
          f.kind === 'Deployment' &&
          f.environment === 'production',
      );
      const missing = page.items.find(
        (f: any) => f.resourceStatus === 'missing',
      );
      seed.findingId = cartProduction.id;
      await post(`/findings/${cartProduction.id}/acknowledge`, {
        note: 'rolling back the replicas',
      });
      await post(`/findings/${cartProduction.id}/incidents`, {
        url: 'https://pagerduty.example/incidents/P1',
        title: 'Cart slow',
      });
      await post(`/findings/${missing.id}/suppress`, {
        until: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        reason: 'the settings move to a Secret',
      });
      await post(`/findings/${missing.id}/reopen`, {
        note: 'the move was cancelled',
      });
      // The gate fails while a tier-1 finding is past its SLA.
      await knex('drift_findings')
        .where({ entity_ref: CART, status: 'acknowledged' })
        .update({
          sla_due_at: new Date(Date.now() - 3_600_000),
          sla_breached: true,
        });

      // The extra ConfigMap goes: a resolved finding for the lists that hold them.
      checkout.fixed = true;
      seed.scanId = await scan();
    });

    it.each(Object.keys(samples))(
      'GET %s answers with its 200 schema',
      async path => {
        for (const sample of samples[path](seed)) {
          const res = await request(server).get(`/api/drift${sample}`);
          // The body says why when the status is not 200.
          expect({
            sample,
            status: res.status,
            ...(res.status === 200 ? {} : { body: res.body }),
          }).toEqual({
            sample,
            status: 200,
          });
          expect({
            sample,
            violations: violations('get', path, 200, res.body),
          }).toEqual({ sample, violations: [] });
        }
      },
    );

    it('answers the writes with their schemas', () => {
      expect(seed.writes.map(w => `${w.path} ${w.status}`)).toEqual([
        '/scans 202',
        '/findings/{id}/acknowledge 200',
        '/findings/{id}/incidents 201',
        '/findings/{id}/suppress 200',
        '/findings/{id}/reopen 200',
        '/scans 202',
      ]);
      for (const write of seed.writes) {
        expect({
          write: write.path,
          violations: violations(
            write.method,
            write.path,
            write.status,
            write.body,
          ),
        }).toEqual({
          write: write.path,
          violations: [],
        });
      }
    });

    // Without these the schemas of nested objects would pass on empty lists.
    it('checks bodies that fill the nested objects', async () => {
      const get = async (path: string) =>
        (await request(server).get(`/api/drift${path}`)).body;
      const findings = await get('/findings?limit=500');
      expect(new Set(findings.items.map((f: any) => f.resourceStatus))).toEqual(
        new Set(['drifted', 'missing', 'extra']),
      );
      expect(
        findings.items.some((f: any) =>
          f.changes.some((c: any) => c.desired?.redacted),
        ),
      ).toBe(true);
      const details = await get(`/findings/${seed.findingId}`);
      expect(details.incidents).toHaveLength(1);
      expect(details.events.some((e: any) => e.note)).toBe(true);
      const environments = await get(
        '/entities/component/default/cart/environments',
      );
      expect(
        environments.objects[0].pairs[0].differences.length,
      ).toBeGreaterThan(0);
      expect(
        (await get('/entities/component/default/cart/summary')).externalStatus,
      ).toHaveLength(1);
      const report = await get('/report');
      const lists = [
        report.newFindings,
        report.resolved,
        report.stillOpen,
        report.breaches,
        report.incidents,
      ];
      expect(lists.map(list => list.length > 0)).toEqual([
        true,
        true,
        true,
        true,
        true,
      ]);
      expect((await get(`/gate?entityRef=${CART_PARAM}`)).reasons).toHaveLength(
        1,
      );
      expect(
        (await get('/statistics')).groups.some(
          (g: any) => Object.keys(g.bySeverity).length,
        ),
      ).toBe(true);
      expect((await get('/health')).lastScan).toMatchObject({
        id: expect.any(String),
      });
    });
  });
});
