import { readFileSync } from 'node:fs';
import { resolvePackagePath, type BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend, TestDatabases } from '@backstage/backend-test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import driftPlugin from '@driftwatch/plugin-drift-backend';
import request from 'supertest';
import { parse } from 'yaml';
import { component, driftingCluster, driftOf } from './__testUtils__/driftingCluster';
import { policyPermissionsServiceFactory } from './__testUtils__/policyPermissions';
import { DriftwatchPermissionPolicy, readDriftwatchRoles } from './permissionPolicy';

jest.setTimeout(120_000);

const CART = 'component:default/cart';
const BASKET = 'component:default/basket';
const CHECKOUT = 'component:default/checkout';
const TEAM_SHOP = 'group:default/team-shop';
const TEAM_PAY = 'group:default/team-pay';

// Two owners: team-shop owns cart and basket, team-pay owns checkout.
const entities = [component('cart', TEAM_SHOP), component('basket', TEAM_SHOP), component('checkout', TEAM_PAY)];
const ALL = [BASKET, CART, CHECKOUT];

/** Everything an answer could give away about the findings. */
const findingData = [
  ...ALL,
  TEAM_SHOP,
  TEAM_PAY,
  ...['cart', 'basket', 'checkout'].flatMap(name => Object.values(driftOf(name))),
];

const config = {
  permission: { enabled: true },
  driftwatch: { permissions: { sreGroups: ['group:default/platform-sre'], securityGroups: ['group:default/appsec'] } },
  drift: { schedule: { frequency: { hours: 24 } } },
};

const ROLES = ['ownerOfA', 'ownerOfB', 'sre', 'security', 'plainUser', 'service', 'anonymous'] as const;
type Role = (typeof ROLES)[number];

// The users of each role and their groups, as sign-in resolves them from the catalog. The default
// groups of the policy (group:default/sre, group:default/security) mean nothing here: the config
// names others.
const users: Partial<Record<Role, { ref: string; groups: string[] }>> = {
  ownerOfA: { ref: 'user:default/alice', groups: [TEAM_SHOP] },
  ownerOfB: { ref: 'user:default/bob', groups: [TEAM_PAY, 'group:default/sre'] },
  sre: { ref: 'user:default/sam', groups: ['group:default/platform-sre'] },
  security: { ref: 'user:default/sec', groups: ['group:default/appsec'] },
  plainUser: { ref: 'user:default/carol', groups: ['group:default/security'] },
};
// A catalog stricter than the example policy's: it does not show carol checkout.
const hiddenFrom: Record<string, string[]> = { 'user:default/carol': [CHECKOUT] };

const headersOf = (role: Role): Record<string, string> => {
  if (role === 'service') return { authorization: mockCredentials.service.header() };
  if (role === 'anonymous') return { authorization: mockCredentials.none.header() };
  return { authorization: mockCredentials.user.header(users[role]!.ref) };
};

const userRefOf = (credentials?: BackstageCredentials) =>
  (credentials?.principal as { userEntityRef?: string } | undefined)?.userEntityRef ?? '';

function catalog() {
  const catalogFor = (options?: object) => {
    const hide = hiddenFrom[userRefOf((options as { credentials?: BackstageCredentials } | undefined)?.credentials)];
    return catalogServiceMock({ entities: entities.filter(e => !hide?.includes(stringifyEntityRef(e))) });
  };
  return catalogServiceMock.mock({
    getEntities: (req, options) => catalogFor(options).getEntities(req),
    getEntityByRef: (ref, options) => catalogFor(options).getEntityByRef(ref),
    queryEntities: (req, options) => catalogFor(options).queryEntities(req),
  }).factory;
}

const userInfo = mockServices.userInfo.mock({
  getUserInfo: async credentials => {
    const ref = userRefOf(credentials);
    const groups = Object.values(users).find(u => u.ref === ref)?.groups ?? [];
    return { userEntityRef: ref, ownershipEntityRefs: [ref, ...groups] };
  },
}).factory;

/** What the test seeded: finding ids by entity ref, a whole-catalog scan and a scan of checkout. */
interface Seed {
  ids: Record<string, string>;
  catalogScan: string;
  checkoutScan: string;
}

interface RouteCase {
  /** The route as openapi.yaml names it. */
  route: string;
  /** What the case is about, when a route has more than one. */
  variant?: string;
  send(seed: Seed, role: Role): { method: 'get' | 'post'; path: string; body?: object };
  /** Runs as the SRE before the request, e.g. to suppress what is then reopened. */
  given?(seed: Seed): { path: string; body: object };
  /** What a successful answer says, compared across roles. */
  summary(res: request.Response): unknown;
  expected: Record<Role, Outcome>;
}
interface Outcome {
  status: number;
  summary?: unknown;
}

const refs = (items: Array<{ entityRef: string | null }>) => items.map(i => i.entityRef).sort();
const mentioned = (text: string) => ALL.filter(ref => text.includes(ref));

/** Every role reads: the catalog hides checkout from the plain user; anonymous callers are refused. */
const scopedRead = (all: unknown, withoutCheckout: unknown): Record<Role, Outcome> => ({
  ownerOfA: { status: 200, summary: all },
  ownerOfB: { status: 200, summary: all },
  sre: { status: 200, summary: all },
  security: { status: 200, summary: all },
  plainUser: { status: 200, summary: withoutCheckout },
  service: { status: 200, summary: all },
  anonymous: { status: 401 },
});

/** A decision only `allowed` may take, and never a service (the audit log names a person). */
const decision = (success: Outcome, ...allowed: Role[]): Record<Role, Outcome> =>
  Object.fromEntries(
    ROLES.map(role => {
      if (role === 'anonymous') return [role, { status: 401 }];
      return [role, allowed.includes(role) ? success : { status: 403 }];
    }),
  ) as Record<Role, Outcome>;

const until = () => new Date(Date.now() + 7 * 86_400_000).toISOString();

const readCases: RouteCase[] = [
  {
    route: 'GET /health',
    variant: 'details only for readers',
    send: () => ({ method: 'get', path: '/health' }),
    summary: res => Object.keys(res.body).sort(),
    expected: {
      ...scopedRead(['database', 'demo', 'lastScan', 'status'], ['database', 'demo', 'lastScan', 'status']),
      anonymous: { status: 200, summary: ['status'] },
    },
  },
  {
    route: 'GET /findings',
    send: () => ({ method: 'get', path: '/findings' }),
    summary: res => ({ items: refs(res.body.items), totalCount: res.body.totalCount }),
    expected: scopedRead({ items: ALL, totalCount: 3 }, { items: [BASKET, CART], totalCount: 2 }),
  },
  {
    route: 'GET /findings/{id}',
    variant: "team-pay's finding",
    send: ({ ids }) => ({ method: 'get', path: `/findings/${ids[CHECKOUT]}` }),
    summary: res => [res.body.finding.entityRef, refs(res.body.events)],
    expected: { ...scopedRead([CHECKOUT, [CHECKOUT]], undefined), plainUser: { status: 404 } },
  },
  {
    route: 'GET /findings/{id}',
    variant: "team-shop's finding",
    send: ({ ids }) => ({ method: 'get', path: `/findings/${ids[CART]}` }),
    summary: res => [res.body.finding.entityRef, refs(res.body.events)],
    expected: scopedRead([CART, [CART]], [CART, [CART]]),
  },
  {
    route: 'GET /entities/{kind}/{namespace}/{name}/summary',
    send: () => ({ method: 'get', path: '/entities/component/default/checkout/summary' }),
    summary: res => ({ resources: res.body.resources.total, openFindings: res.body.openFindings }),
    expected: scopedRead({ resources: 1, openFindings: 1 }, { resources: 0, openFindings: 0 }),
  },
  {
    route: 'GET /entities/{kind}/{namespace}/{name}/environments',
    send: () => ({ method: 'get', path: '/entities/component/default/checkout/environments' }),
    summary: res => ({ environments: res.body.environments, objects: res.body.objects.length }),
    // The seeded cluster has no environments: what matters is who may ask, and that it names nothing.
    expected: scopedRead({ environments: [], objects: 0 }, { environments: [], objects: 0 }),
  },
  {
    route: 'GET /resources',
    send: () => ({ method: 'get', path: '/resources' }),
    summary: res => refs(res.body.items),
    expected: scopedRead(ALL, [BASKET, CART]),
  },
  {
    route: 'GET /surface',
    send: () => ({ method: 'get', path: '/surface' }),
    summary: res => ({ monitored: res.body.monitored, kinds: res.body.kind.map((g: { key: string }) => g.key) }),
    expected: scopedRead({ monitored: 3, kinds: ['Deployment'] }, { monitored: 2, kinds: ['Deployment'] }),
  },
  {
    route: 'GET /statistics',
    send: () => ({ method: 'get', path: '/statistics?groupBy=owner' }),
    summary: res => ({
      unresolved: res.body.totals.unresolved,
      monitored: res.body.coverage.monitored,
      owners: res.body.groups.map((g: { key: string; active: number }) => [g.key, g.active]),
    }),
    expected: scopedRead(
      {
        unresolved: 3,
        monitored: 3,
        owners: [
          [TEAM_PAY, 1],
          [TEAM_SHOP, 2],
        ],
      },
      { unresolved: 2, monitored: 2, owners: [[TEAM_SHOP, 2]] },
    ),
  },
  {
    route: 'GET /events',
    send: () => ({ method: 'get', path: '/events' }),
    summary: res => refs(res.body.items),
    expected: scopedRead(ALL, [BASKET, CART]),
  },
  {
    route: 'GET /trends',
    send: () => ({ method: 'get', path: '/trends' }),
    summary: res => res.body.items.reduce((sum: number, day: { detected: number }) => sum + day.detected, 0),
    expected: scopedRead(3, 2),
  },
  {
    route: 'GET /report',
    variant: 'JSON',
    send: () => ({ method: 'get', path: '/report' }),
    summary: res => refs(res.body.stillOpen),
    expected: scopedRead(ALL, [BASKET, CART]),
  },
  {
    route: 'GET /report',
    variant: 'CSV',
    send: () => ({ method: 'get', path: '/report?format=csv' }),
    summary: res => mentioned(res.text),
    expected: scopedRead(ALL, [BASKET, CART]),
  },
  {
    route: 'GET /report',
    variant: 'Markdown',
    send: () => ({ method: 'get', path: '/report?format=markdown' }),
    summary: res => mentioned(res.text),
    expected: scopedRead(ALL, [BASKET, CART]),
  },
  {
    route: 'GET /routing/policy',
    send: () => ({ method: 'get', path: '/routing/policy' }),
    summary: res => res.body.tiers.map((t: { tier: number }) => t.tier),
    expected: scopedRead([1, 2, 3], [1, 2, 3]),
  },
  {
    route: 'GET /gate',
    send: () => ({ method: 'get', path: `/gate?entityRef=${encodeURIComponent(CHECKOUT)}` }),
    summary: res => [res.body.entityRef, res.body.result],
    expected: { ...scopedRead([CHECKOUT, 'pass'], undefined), plainUser: { status: 404 } },
  },
  {
    route: 'GET /scans/{id}',
    variant: 'of the whole catalog',
    send: ({ catalogScan }) => ({ method: 'get', path: `/scans/${catalogScan}` }),
    summary: res => [res.body.entityRef ?? null, res.body.findingsOpened],
    expected: scopedRead([null, 3], [null, 3]),
  },
  {
    route: 'GET /scans/{id}',
    variant: 'of checkout',
    send: ({ checkoutScan }) => ({ method: 'get', path: `/scans/${checkoutScan}` }),
    summary: res => res.body.entityRef,
    expected: { ...scopedRead(CHECKOUT, undefined), plainUser: { status: 404 } },
  },
];

// In order: each case sees what the ones before it changed.
const writeCases: RouteCase[] = [
  {
    route: 'POST /findings/{id}/acknowledge',
    variant: "team-pay's finding",
    send: ({ ids }) => ({ method: 'post', path: `/findings/${ids[CHECKOUT]}/acknowledge`, body: { note: 'on it' } }),
    summary: res => res.body.status,
    expected: decision({ status: 200, summary: 'acknowledged' }, 'ownerOfB', 'sre'),
  },
  {
    route: 'POST /findings/{id}/acknowledge',
    variant: "team-shop's finding",
    send: ({ ids }) => ({ method: 'post', path: `/findings/${ids[CART]}/acknowledge`, body: {} }),
    summary: res => res.body.status,
    expected: decision({ status: 200, summary: 'acknowledged' }, 'ownerOfA', 'sre'),
  },
  {
    route: 'POST /findings/{id}/incidents',
    send: ({ ids }, role) => ({
      method: 'post',
      path: `/findings/${ids[CHECKOUT]}/incidents`,
      body: { url: `https://incidents.example.com/INC-7-${role}`, title: 'Checkout errors' },
    }),
    summary: res => [res.body.url, res.body.linkedBy],
    expected: {
      ...decision({ status: 403 }),
      ownerOfB: { status: 201, summary: ['https://incidents.example.com/INC-7-ownerOfB', 'user:default/bob'] },
      sre: { status: 201, summary: ['https://incidents.example.com/INC-7-sre', 'user:default/sam'] },
    },
  },
  {
    route: 'GET /routing/summary',
    variant: 'after the acknowledgements',
    send: () => ({ method: 'get', path: '/routing/summary' }),
    summary: res => res.body.acknowledged,
    expected: scopedRead(2, 1),
  },
  {
    route: 'GET /events',
    variant: 'the audit log, after the decisions',
    send: () => ({ method: 'get', path: '/events?actor=human' }),
    summary: res => res.body.items.map((e: { type: string; actor: string; entityRef: string }) => [e.type, e.entityRef, e.actor]).reverse(),
    expected: scopedRead(
      [
        ['acknowledged', CHECKOUT, 'user:default/bob'],
        ['acknowledged', CHECKOUT, 'user:default/sam'],
        ['acknowledged', CART, 'user:default/alice'],
        ['acknowledged', CART, 'user:default/sam'],
        ['incident-linked', CHECKOUT, 'user:default/bob'],
        ['incident-linked', CHECKOUT, 'user:default/sam'],
      ],
      [
        ['acknowledged', CART, 'user:default/alice'],
        ['acknowledged', CART, 'user:default/sam'],
      ],
    ),
  },
  {
    route: 'POST /findings/{id}/suppress',
    send: ({ ids }) => ({
      method: 'post',
      path: `/findings/${ids[CHECKOUT]}/suppress`,
      body: { until: until(), reason: 'accepted until the migration' },
    }),
    summary: res => res.body.status,
    expected: decision({ status: 200, summary: 'suppressed' }, 'sre'),
  },
  {
    route: 'POST /findings/{id}/reopen',
    given: ({ ids }) => ({ path: `/findings/${ids[CART]}/suppress`, body: { until: until(), reason: 'accepted' } }),
    send: ({ ids }) => ({ method: 'post', path: `/findings/${ids[CART]}/reopen`, body: {} }),
    summary: res => res.body.status,
    expected: decision({ status: 200, summary: 'active' }, 'sre'),
  },
  {
    route: 'POST /scans',
    variant: 'of the whole catalog',
    send: () => ({ method: 'post', path: '/scans', body: {} }),
    summary: res => typeof res.body.id,
    expected: { ...statuses(202), service: { status: 403 } },
  },
  {
    route: 'POST /scans',
    variant: 'of checkout',
    send: () => ({ method: 'post', path: '/scans', body: { entityRef: CHECKOUT } }),
    summary: res => typeof res.body.id,
    expected: { ...statuses(202), service: { status: 403 }, plainUser: { status: 404 } },
  },
];

/** A scan is accepted (202) for every user; the outcome table lists the exceptions after it. */
function statuses(status: number): Record<Role, Outcome> {
  return Object.fromEntries(
    ROLES.map(role => [role, role === 'anonymous' ? { status: 401 } : { status, summary: 'string' }]),
  ) as Record<Role, Outcome>;
}

/**
 * Finding data in a refusal that the request did not carry itself: a refusal must not tell a
 * caller anything about findings, not even that an entity has some.
 */
function disclosed(res: request.Response, sent: { path: string; body?: object }): string[] {
  if (res.status < 400) return [];
  const asked = `${decodeURIComponent(sent.path)} ${JSON.stringify(sent.body ?? {})}`;
  const keys = Object.keys(res.body).sort().join(',') === 'error,request,response' ? [] : ['unexpected body keys'];
  return [...keys, ...findingData.filter(data => res.text.includes(data) && !asked.includes(data))];
}

describe('the Driftwatch permission policy, on every drift route', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it('covers every route of the drift API', () => {
    const spec = parse(readFileSync(resolvePackagePath('@driftwatch/plugin-drift-backend', 'src/schema/openapi.yaml'), 'utf8'));
    const routes = Object.entries(spec.paths as Record<string, object>).flatMap(([path, operations]) =>
      Object.keys(operations).map(method => `${method.toUpperCase()} ${path}`),
    );
    const covered = new Set([...readCases, ...writeCases].map(c => c.route));
    expect(routes.filter(route => !covered.has(route))).toEqual([]);
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let server: any;
    const seed = {} as Seed;

    const send = (role: Role, req: { method: 'get' | 'post'; path: string; body?: object }) => {
      const call = request(server)[req.method](`/api/drift${req.path}`).set(headersOf(role));
      return req.method === 'post' ? call.send(req.body ?? {}) : call;
    };
    const scan = async (body: object) => {
      const started = await send('sre', { method: 'post', path: '/scans', body });
      if (started.status !== 202) throw new Error(`scan refused: ${started.status} ${started.text}`);
      for (let attempt = 0; attempt < 200; attempt++) {
        const res = await send('sre', { method: 'get', path: `/scans/${started.body.id}` });
        if (['succeeded', 'partial', 'failed'].includes(res.body.status)) return res.body;
        await new Promise(resolve => setTimeout(resolve, 50));
      }
      throw new Error(`scan ${started.body.id} did not finish`);
    };

    beforeAll(async () => {
      ({ server } = await startTestBackend({
        features: [
          driftPlugin,
          driftingCluster,
          catalog(),
          userInfo,
          policyPermissionsServiceFactory(root => new DriftwatchPermissionPolicy(readDriftwatchRoles(root))),
          mockServices.database.factory({ knex: await databases.init(databaseId) }),
          mockServices.rootConfig.factory({ data: config }),
        ],
      }));
      // GET /scans/{id} checks what this scan found, for every role.
      seed.catalogScan = (await scan({})).id;
      seed.checkoutScan = (await scan({ entityRef: CHECKOUT })).id;
      const findings = await send('security', { method: 'get', path: '/findings' });
      seed.ids = Object.fromEntries(findings.body.items.map((f: any) => [f.entityRef, f.id]));
    });

    const table = (cases: RouteCase[]) =>
      cases.flatMap(c =>
        ROLES.map(role => ({
          name: `${c.route}${c.variant ? ` (${c.variant})` : ''} as ${role}`,
          role,
          c,
        })),
      );

    /** What a role gets from a case, beside what the table expects. */
    const observe = async ({ role, c }: { role: Role; c: RouteCase }) => {
      const given = c.given?.(seed);
      if (given) {
        const res = await send('sre', { method: 'post', ...given });
        if (res.status !== 200) throw new Error(`${given.path} as the SRE: ${res.status} ${res.text}`);
      }
      const sent = c.send(seed, role);
      const res = await send(role, sent);
      return {
        observed: { status: res.status, summary: res.status < 300 ? c.summary(res) : undefined, disclosed: disclosed(res, sent) },
        expected: { status: c.expected[role].status, summary: c.expected[role].summary, disclosed: [] },
      };
    };

    it.each(table(readCases))('reads: $name', async row => {
      const { observed, expected } = await observe(row);
      expect(observed).toEqual(expected);
    });

    it.each(table(writeCases))('in order, decisions and what they record: $name', async row => {
      const { observed, expected } = await observe(row);
      expect(observed).toEqual(expected);
    });
  });
});
