import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { stringify } from 'yaml';
import { parseManifests } from '@driftwatch/plugin-drift-common';
import type { TargetResult } from '@driftwatch/plugin-drift-node';
import { ApiCluster } from '../clusters/ApiCluster';
import type { LiveCluster } from '../clusters/types';
import { SnapshotCluster } from '../snapshot/SnapshotCluster';
import { FakeKubeApiServer } from '../__testUtils__/FakeKubeApiServer';
import {
  appLabels,
  component,
  configMap,
  deployment,
  linkedComponent,
  live,
  request,
  secret,
  service,
} from '../__testUtils__/fixtures';
import { DEFAULT_SCOPE_RULES } from './entityScope';
import { KubernetesLiveTarget, type KindRef } from './KubernetesLiveTarget';

const TOKEN = 'sa-token-for-drift';
const logger = mockServices.logger.mock();
const options = { logger };

function apiCluster(
  name: string,
  url: string,
  settings: Partial<{
    pageSize: number;
    concurrency: number;
    requestTimeoutMs: number;
  }> = {},
  token = TOKEN,
) {
  return new ApiCluster(
    {
      name,
      url,
      auth: { type: 'serviceAccount', token },
      skipTLSVerify: false,
    },
    { pageSize: 500, concurrency: 4, requestTimeoutMs: 5000, ...settings },
  );
}

function statuses(
  result: TargetResult,
  location?: string,
): Record<string, string> {
  return Object.fromEntries(
    result.resources
      .filter(r => !location || r.location === location)
      .map(r => [r.diff.key, r.diff.status]),
  );
}

const KINDS: KindRef[] = [
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
];

describe('KubernetesLiveTarget', () => {
  let server: FakeKubeApiServer;

  beforeEach(async () => {
    server = await FakeKubeApiServer.start({ token: TOKEN });
  });

  afterEach(async () => {
    await server.stop();
  });

  it('finds a changed image as drift and the rest in sync, authenticating with the bearer token', async () => {
    const desired = [deployment('cart', 'shop'), service('cart', 'shop')];
    server.add(
      live(desired[0], d => {
        d.spec.template.spec.containers[0].image =
          'registry.example.com/cart:1.1.0-hotfix';
      }),
      live(desired[1]),
    );
    const target = new KubernetesLiveTarget({
      clusters: [apiCluster('prod', server.url)],
      extraKinds: KINDS,
    });

    const [result] = await target.compare(
      [request(linkedComponent('cart', 'shop'), desired)],
      options,
    );

    expect(result.errors).toEqual([]);
    expect(statuses(result)).toEqual({
      'Deployment:shop:cart': 'drifted',
      'Service:shop:cart': 'in-sync',
    });
    const drifted = result.resources.find(r => r.diff.status === 'drifted')!;
    expect(drifted.location).toBe('prod');
    expect(drifted.diff.changes).toEqual([
      expect.objectContaining({
        field: 'spec.template.spec.containers[name=cart].image',
        op: 'changed',
        category: 'VersionChange',
        desired: 'registry.example.com/cart:1.0.0',
        live: 'registry.example.com/cart:1.1.0-hotfix',
      }),
    ]);
    expect(server.requests.length).toBeGreaterThan(0);
    for (const recorded of server.requests) {
      expect(recorded.authorization).toBe(`Bearer ${TOKEN}`);
    }
  });

  it('says where Git declares each compared object: location, file and document', async () => {
    const cart = deployment('cart', 'shop');
    const web = service('cart', 'shop');
    const config = configMap('cart-config', 'shop', appLabels('cart'));
    const location = 'url:https://github.com/acme/deploy/tree/main/cart';
    const documents = [
      ...parseManifests(`${stringify(config)}---\n${stringify(cart)}`, {
        file: 'app.yaml',
      }),
      ...parseManifests(stringify({ apiVersion: 'v1', kind: 'List', items: [web] }), {
        file: 'list.yaml',
      }),
    ];
    server.add(
      live(cart, d => (d.spec.replicas = 7)),
      live(web),
      live(configMap('cart-extra', 'shop', appLabels('cart'))),
    );
    const target = new KubernetesLiveTarget({
      clusters: [apiCluster('prod', server.url)],
      extraKinds: KINDS,
    });

    const [result] = await target.compare(
      [
        {
          entity: linkedComponent('cart', 'shop'),
          entityRef: 'component:default/cart',
          desired: [{ targetKind: 'kubernetes', location, documents }],
        },
      ],
      options,
    );

    const sources = Object.fromEntries(
      result.resources.map(r => [`${r.diff.key} ${r.diff.status}`, r.source]),
    );
    expect(sources).toEqual({
      'Deployment:shop:cart drifted': {
        location,
        file: 'app.yaml',
        document: 2,
        rendered: false,
      },
      'ConfigMap:shop:cart-config missing': {
        location,
        file: 'app.yaml',
        document: 1,
        rendered: false,
      },
      // A List item has no document of its own to edit.
      'Service:shop:cart in-sync': { location, file: 'list.yaml', rendered: false },
      'ConfigMap:shop:cart-extra extra': undefined,
    });
  });

  it("applies the scan's engine options, such as ignore rules", async () => {
    const desired = [deployment('cart', 'shop', { replicas: 2 })];
    server.add(live(desired[0], d => (d.spec.replicas = 9)));
    const target = new KubernetesLiveTarget({
      clusters: [apiCluster('prod', server.url)],
      extraKinds: [],
    });
    const requests = [request(linkedComponent('cart', 'shop'), desired)];

    const [plain] = await target.compare(requests, options);
    const [ignoring] = await target.compare(requests, {
      ...options,
      diffOptions: {
        ignore: [{ kind: 'Deployment', paths: ['/spec/replicas'] }],
      },
    });

    expect(statuses(plain)).toEqual({ 'Deployment:shop:cart': 'drifted' });
    expect(statuses(ignoring)).toEqual({ 'Deployment:shop:cart': 'in-sync' });
    expect(ignoring.resources[0].diff.ignoredChanges).toBe(1);
  });

  it('sends one LIST per namespace and kind for many entities, with a set-based selector', async () => {
    const apps = ['booking', 'pricing', 'search', 'cart', 'profile'];
    const namespaceOf = (app: string) =>
      app === 'cart' || app === 'profile' ? 'shop' : 'core';
    const requests = apps.map(app => {
      const objects = [
        deployment(app, namespaceOf(app)),
        service(app, namespaceOf(app)),
        configMap(`${app}-config`, namespaceOf(app), appLabels(app)),
      ];
      server.add(...objects.map(o => live(o)));
      return request(linkedComponent(app, namespaceOf(app)), objects);
    });
    // Someone else's objects in the same namespaces are never fetched for these entities.
    server.add(
      live(
        deployment('other', 'core', {
          labels: { 'backstage.io/kubernetes-id': 'other' },
        }),
      ),
    );
    const target = new KubernetesLiveTarget({
      clusters: [apiCluster('prod', server.url)],
      extraKinds: [...KINDS, { apiVersion: 'v1', kind: 'Secret' }],
    });

    const results = await target.compare(requests, options);

    for (const result of results) {
      expect(result.errors).toEqual([]);
      expect(Object.values(statuses(result))).toEqual([
        'in-sync',
        'in-sync',
        'in-sync',
      ]);
    }
    // 2 namespaces x 4 kinds (3 desired, 1 only for extras), whatever the number of entities.
    const lists = server.lists;
    expect(lists).toHaveLength(8);
    expect(
      new Set(lists.map(l => `${l.list!.namespace}/${l.list!.plural}`)).size,
    ).toBe(8);
    expect(
      lists.find(
        l => l.list!.namespace === 'core' && l.list!.plural === 'deployments',
      )!.query,
    ).toMatchObject({
      labelSelector: 'backstage.io/kubernetes-id in (booking,pricing,search)',
    });
    expect(
      lists.find(
        l => l.list!.namespace === 'shop' && l.list!.plural === 'services',
      )!.query,
    ).toMatchObject({
      labelSelector: 'backstage.io/kubernetes-id in (cart,profile)',
    });
    // Never a GET of a single object.
    expect(
      server.requests.filter(
        r => !r.list && !/^\/apis?\/[^/]+(\/[^/]+)?$/.test(r.path),
      ),
    ).toEqual([]);
  });

  it('follows continue tokens across pages', async () => {
    const objects = Array.from({ length: 5 }, (_, i) =>
      configMap(`cart-${i}`, 'shop', appLabels('cart')),
    );
    server.add(...objects.map(o => live(o)));
    const target = new KubernetesLiveTarget({
      clusters: [apiCluster('prod', server.url, { pageSize: 2 })],
      extraKinds: [],
    });

    const [result] = await target.compare(
      [request(linkedComponent('cart', 'shop'), objects)],
      options,
    );

    expect(result.errors).toEqual([]);
    expect(Object.values(statuses(result))).toEqual(Array(5).fill('in-sync'));
    const pages = server.lists;
    expect(pages.map(p => [p.query.limit, Boolean(p.query.continue)])).toEqual([
      ['2', false],
      ['2', true],
      ['2', true],
    ]);
  });

  it('starts a LIST over once when its continue token expires, and gives up on a second expiry', async () => {
    const objects = Array.from({ length: 3 }, (_, i) =>
      configMap(`cart-${i}`, 'shop', appLabels('cart')),
    );
    server.add(...objects.map(o => live(o)));
    const target = new KubernetesLiveTarget({
      clusters: [apiCluster('prod', server.url, { pageSize: 2 })],
      extraKinds: [],
    });
    const requests = [request(linkedComponent('cart', 'shop'), objects)];

    server.expireContinueTokens(1);
    const [recovered] = await target.compare(requests, options);
    expect(recovered.errors).toEqual([]);
    expect(Object.values(statuses(recovered))).toEqual([
      'in-sync',
      'in-sync',
      'in-sync',
    ]);

    server.expireContinueTokens();
    const [expired] = await target.compare(requests, options);
    expect(Object.values(statuses(expired))).toEqual([
      'unknown',
      'unknown',
      'unknown',
    ]);
    expect(expired.errors).toEqual([
      { location: 'prod', message: expect.stringContaining('410') },
    ]);
  });

  it('selects objects with the label-selector annotation', async () => {
    const labels = { 'app.kubernetes.io/name': 'cart', tier: 'web' };
    const desired = [deployment('cart', 'shop', { labels })];
    server.add(
      live(desired[0]),
      // Live only, with the selected labels: extra.
      live(configMap('cart-feature-flags', 'shop', labels)),
      // Another tier of the same app: not selected.
      live(
        configMap('cart-worker', 'shop', {
          'app.kubernetes.io/name': 'cart',
          tier: 'worker',
        }),
      ),
    );
    const entity = component('cart', {
      'backstage.io/kubernetes-label-selector':
        'app.kubernetes.io/name=cart,tier in (web)',
      'backstage.io/kubernetes-namespace': 'shop',
    });
    const target = new KubernetesLiveTarget({
      clusters: [apiCluster('prod', server.url)],
      extraKinds: KINDS,
    });

    const [result] = await target.compare([request(entity, desired)], options);

    expect(result.errors).toEqual([]);
    expect(statuses(result)).toEqual({
      'Deployment:shop:cart': 'in-sync',
      'ConfigMap:shop:cart-feature-flags': 'extra',
    });
    expect(new Set(server.lists.map(l => l.query.labelSelector))).toEqual(
      new Set(['app.kubernetes.io/name=cart,tier in (web)']),
    );
  });

  it('reports labelled live objects Git lacks as extra, never objects with an owner', async () => {
    const desired = [deployment('cart', 'shop')];
    server.add(
      live(desired[0]),
      live(deployment('cart-debug', 'shop', { labels: appLabels('cart') })),
      live(configMap('cart-generated', 'shop', appLabels('cart')), c => {
        c.metadata.ownerReferences = [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'cart',
            uid: 'uid-1',
            controller: true,
          },
        ];
      }),
      live(configMap('profile-config', 'shop', appLabels('profile'))),
    );
    const target = new KubernetesLiveTarget({
      clusters: [apiCluster('prod', server.url)],
      extraKinds: KINDS,
    });

    const [result] = await target.compare(
      [request(linkedComponent('cart', 'shop'), desired)],
      options,
    );

    expect(statuses(result)).toEqual({
      'Deployment:shop:cart': 'in-sync',
      'Deployment:shop:cart-debug': 'extra',
    });
  });

  it('never logs or returns Secret values', async () => {
    const desired = [
      secret('cart-db', 'shop', appLabels('cart'), {
        PASSWORD: 'c2VjcmV0LWluLWdpdA==',
      }),
    ];
    server.add(
      live(
        secret('cart-db', 'shop', appLabels('cart'), {
          PASSWORD: 'bGl2ZS1zZWNyZXQtdmFsdWU=',
        }),
      ),
    );
    const log = mockServices.logger.mock();
    const target = new KubernetesLiveTarget({
      clusters: [apiCluster('prod', server.url)],
      extraKinds: [],
    });

    const [result] = await target.compare(
      [request(linkedComponent('cart', 'shop'), desired)],
      {
        logger: log,
        diffOptions: { secretHashKey: 'test-key' },
      },
    );

    expect(statuses(result)).toEqual({ 'Secret:shop:cart-db': 'drifted' });
    const text = JSON.stringify(result);
    for (const value of [
      'c2VjcmV0LWluLWdpdA==',
      'secret-in-git',
      'bGl2ZS1zZWNyZXQtdmFsdWU=',
      'live-secret-value',
    ]) {
      expect(text).not.toContain(value);
      expect(
        JSON.stringify([
          log.info.mock.calls,
          log.warn.mock.calls,
          log.debug.mock.calls,
        ]),
      ).not.toContain(value);
    }
  });

  it('makes an unreachable cluster unknown for every entity while another cluster completes', async () => {
    const closed = await FakeKubeApiServer.start();
    const refusedUrl = closed.url;
    await closed.stop();
    const desired = [deployment('cart', 'shop')];
    server.add(live(desired[0]));
    const target = new KubernetesLiveTarget({
      clusters: [apiCluster('prod', server.url), apiCluster('dr', refusedUrl)],
      extraKinds: KINDS,
    });

    const [result] = await target.compare(
      [request(linkedComponent('cart', 'shop'), desired)],
      options,
    );

    expect(statuses(result, 'prod')).toEqual({
      'Deployment:shop:cart': 'in-sync',
    });
    expect(statuses(result, 'dr')).toEqual({
      'Deployment:shop:cart': 'unknown',
    });
    expect(result.errors).toEqual([
      {
        location: 'dr',
        message: expect.stringMatching(
          /Cannot read cluster 'dr'.*ECONNREFUSED/,
        ),
      },
    ]);
  });

  it('makes only the entities that needed a failed (500) LIST unknown', async () => {
    const cart = [deployment('cart', 'shop')];
    const booking = [deployment('booking', 'core')];
    server.add(live(cart[0]), live(booking[0]));
    server.fault({ path: /\/namespaces\/shop\/deployments$/, status: 500 });
    const target = new KubernetesLiveTarget({
      clusters: [apiCluster('prod', server.url)],
      extraKinds: KINDS,
    });

    const [cartResult, bookingResult] = await target.compare(
      [
        request(linkedComponent('cart', 'shop'), cart),
        request(linkedComponent('booking', 'core'), booking),
      ],
      options,
    );

    expect(statuses(cartResult)).toEqual({ 'Deployment:shop:cart': 'unknown' });
    expect(cartResult.errors).toEqual([
      { location: 'prod', message: expect.stringContaining('answered 500') },
    ]);
    expect(statuses(bookingResult)).toEqual({
      'Deployment:core:booking': 'in-sync',
    });
    expect(bookingResult.errors).toEqual([]);
  });

  it('makes a cluster that answers too slowly unknown', async () => {
    const desired = [deployment('cart', 'shop')];
    server.add(live(desired[0]));
    server.fault({ path: /\/deployments$/, delayMs: 1500 });
    const target = new KubernetesLiveTarget({
      clusters: [apiCluster('prod', server.url, { requestTimeoutMs: 200 })],
      extraKinds: KINDS,
    });

    const [result] = await target.compare(
      [request(linkedComponent('cart', 'shop'), desired)],
      options,
    );

    expect(statuses(result)).toEqual({ 'Deployment:shop:cart': 'unknown' });
    expect(result.errors).toEqual([
      {
        location: 'prod',
        message: expect.stringContaining('timed out after 0.2 s'),
      },
    ]);
  });

  it('makes a cluster that rejects the credentials (401) unknown', async () => {
    const desired = [deployment('cart', 'shop')];
    server.add(live(desired[0]));
    const target = new KubernetesLiveTarget({
      clusters: [apiCluster('prod', server.url, {}, 'expired-token')],
      extraKinds: KINDS,
    });

    const [result] = await target.compare(
      [request(linkedComponent('cart', 'shop'), desired)],
      options,
    );

    expect(statuses(result)).toEqual({ 'Deployment:shop:cart': 'unknown' });
    expect(result.errors[0].message).toContain('answered 401');
  });

  it('skips extra detection for a kind it may not list (403); Git objects of that kind alone become unknown', async () => {
    const desired = [deployment('cart', 'shop')];
    server.add(live(desired[0]));
    server.fault({ path: /\/secrets$/, status: 403 });
    const log = mockServices.logger.mock();
    const target = new KubernetesLiveTarget({
      clusters: [apiCluster('prod', server.url)],
      extraKinds: [...KINDS, { apiVersion: 'v1', kind: 'Secret' }],
    });

    const [result] = await target.compare(
      [request(linkedComponent('cart', 'shop'), desired)],
      {
        logger: log,
      },
    );
    expect(result.errors).toEqual([]);
    expect(statuses(result)).toEqual({ 'Deployment:shop:cart': 'in-sync' });
    // Reported, so extras of that kind found before are not taken for deleted.
    expect(result.unreadKinds).toEqual([{ location: 'prod', kind: 'Secret' }]);
    expect(log.warn).toHaveBeenCalledWith(
      expect.stringContaining('forbids listing v1 Secret'),
    );

    const withSecret = [
      ...desired,
      secret('cart-db', 'shop', appLabels('cart'), { A: 'Yg==' }),
    ];
    const [blocked] = await target.compare(
      [request(linkedComponent('cart', 'shop'), withSecret)],
      {
        logger: log,
      },
    );
    expect(statuses(blocked)).toEqual({
      'Deployment:shop:cart': 'in-sync',
      'Secret:shop:cart-db': 'unknown',
    });
    const unread = blocked.resources.find(r => r.diff.kind === 'Secret')!;
    expect(unread.error).toMatch(/GET \/api\/v1\/namespaces\/shop\/secrets answered 403/);
    // Not a location error: the cluster was read, only that kind was refused.
    expect(blocked.errors).toEqual([]);
    expect(blocked.unreadKinds).toEqual([{ location: 'prod', kind: 'Secret' }]);
  });

  it('treats a LIST that fails with a server error as an outage of the cluster for the entity', async () => {
    const desired = [deployment('cart', 'shop'), configMap('cart', 'shop', appLabels('cart'))];
    server.add(live(desired[0]));
    server.add(live(desired[1]));
    server.fault({ path: /\/configmaps$/, status: 500 });
    const target = new KubernetesLiveTarget({
      clusters: [apiCluster('prod', server.url)],
      extraKinds: KINDS,
    });

    const [result] = await target.compare(
      [request(linkedComponent('cart', 'shop'), desired)],
      options,
    );

    expect(statuses(result)).toEqual({
      'Deployment:shop:cart': 'unknown',
      'ConfigMap:shop:cart': 'unknown',
    });
    expect(result.errors).toEqual([
      { location: 'prod', message: expect.stringContaining('answered 500') },
    ]);
  });

  it('compares objects of a kind the cluster does not serve as absent, without an error', async () => {
    const certificate = {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: {
        name: 'cart-tls',
        namespace: 'shop',
        labels: appLabels('cart'),
      },
      spec: { secretName: 'cart-tls', dnsNames: ['cart.example.com'] },
    };
    const desired = [deployment('cart', 'shop'), certificate];
    server.add(live(desired[0]));
    const target = new KubernetesLiveTarget({
      clusters: [apiCluster('prod', server.url)],
      extraKinds: [
        ...KINDS,
        { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' },
      ],
      scope: {
        ...DEFAULT_SCOPE_RULES,
        allowedKinds: [
          ...DEFAULT_SCOPE_RULES.allowedKinds,
          { apiVersion: 'cert-manager.io/v1', kind: 'Certificate' },
        ],
      },
    });

    const [result] = await target.compare(
      [request(linkedComponent('cart', 'shop'), desired)],
      options,
    );

    expect(result.errors).toEqual([]);
    expect(statuses(result)).toEqual({
      'Deployment:shop:cart': 'in-sync',
      'Certificate:shop:cart-tls': 'missing',
    });
    expect(server.requests.map(r => r.path)).toEqual(
      expect.arrayContaining([
        '/apis/cert-manager.io/v1',
        '/apis/argoproj.io/v1alpha1',
      ]),
    );
    expect(server.lists.map(l => l.list!.plural)).not.toContain('certificates');
  });

  it('never lists without a selector, even when Git does not label an object as the entity', async () => {
    const unlabelled = configMap('cart-config', 'shop', { team: 'shop' });
    const desired = [deployment('cart', 'shop'), unlabelled];
    server.add(live(desired[0]), live(unlabelled));
    const target = new KubernetesLiveTarget({
      clusters: [apiCluster('prod', server.url)],
      extraKinds: KINDS,
    });

    const [result] = await target.compare(
      [request(linkedComponent('cart', 'shop'), desired)],
      options,
    );

    expect(statuses(result)).toEqual({
      'Deployment:shop:cart': 'in-sync',
      'ConfigMap:shop:cart-config': 'unknown',
    });
    expect(result.resources.find(r => r.diff.kind === 'ConfigMap')!.error).toBe(
      "outside the entity's scope: its labels do not match backstage.io/kubernetes-id=cart",
    );
    for (const list of server.lists) {
      expect(list.query.labelSelector).toBe('backstage.io/kubernetes-id=cart');
    }
  });

  it('puts objects Git leaves without a namespace in the entity namespace', async () => {
    const desired = deployment('cart', 'shop');
    delete desired.metadata.namespace;
    server.add(live(deployment('cart', 'shop')));
    const target = new KubernetesLiveTarget({
      clusters: [apiCluster('prod', server.url)],
      extraKinds: [],
    });

    const [result] = await target.compare(
      [request(linkedComponent('cart', 'shop'), [desired])],
      options,
    );

    expect(statuses(result)).toEqual({ 'Deployment:shop:cart': 'in-sync' });
  });

  it('reports an invalid kubernetes-id in every cluster instead of sending a bad selector', async () => {
    const entity = component('cart', {
      'backstage.io/kubernetes-id': 'not a label value!',
    });
    const target = new KubernetesLiveTarget({
      clusters: [apiCluster('prod', server.url)],
      extraKinds: KINDS,
    });

    const [result] = await target.compare(
      [request(entity, [deployment('cart', 'shop')])],
      options,
    );

    expect(statuses(result)).toEqual({ 'Deployment:shop:cart': 'unknown' });
    expect(result.errors).toEqual([
      {
        location: 'prod',
        message: expect.stringContaining('not a valid label value'),
      },
    ]);
    expect(server.requests).toEqual([]);
  });

  it('compares a desired state that names its cluster only there', async () => {
    const other = await FakeKubeApiServer.start({ token: TOKEN });
    try {
      const desired = [deployment('cart', 'shop')];
      server.add(live(desired[0], d => (d.spec.replicas = 5)));
      other.add(live(desired[0]));
      const target = new KubernetesLiveTarget({
        clusters: [apiCluster('prod', server.url), apiCluster('dr', other.url)],
        extraKinds: KINDS,
      });
      const pinned = request(linkedComponent('cart', 'shop'), desired);
      pinned.desired[0].cluster = 'prod';
      const elsewhere = request(linkedComponent('cart', 'shop'), desired);
      elsewhere.desired[0].cluster = 'staging';

      const [result, unknownCluster] = await target.compare(
        [pinned, elsewhere],
        options,
      );

      expect(result.errors).toEqual([]);
      expect(result.resources.map(r => [r.location, r.diff.status])).toEqual([
        ['prod', 'drifted'],
      ]);
      expect(other.lists).toEqual([]);
      expect(unknownCluster.resources).toEqual([]);
      expect(unknownCluster.errors).toEqual([
        {
          location: 'staging',
          message:
            "url:https://git.example.com/deploy/tree/main/cart deploys to cluster 'staging', which drift detection does not compare",
        },
      ]);
    } finally {
      await other.stop();
    }
  });

  it('reports every entity when no cluster is configured', async () => {
    const target = new KubernetesLiveTarget({ clusters: [] });

    const [result] = await target.compare(
      [request(linkedComponent('cart'), [])],
      options,
    );

    expect(result.errors).toEqual([
      {
        location: '*',
        message: 'No Kubernetes cluster is configured for drift detection',
      },
    ]);
  });

  describe('with a snapshot cluster', () => {
    let dir: string;

    beforeEach(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'drift-snapshot-'));
    });

    afterEach(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    async function writeExport(folder: string, objects: object[]) {
      await fs.mkdir(path.join(dir, folder), { recursive: true });
      await fs.writeFile(
        path.join(dir, folder, 'export.yaml'),
        stringify({
          apiVersion: 'v1',
          kind: 'List',
          metadata: { resourceVersion: '' },
          items: objects,
        }),
      );
    }

    it('compares with the export as of a past time, or the youngest one', async () => {
      const desired = [deployment('cart', 'shop', { replicas: 3 })];
      await writeExport('13d', [live(desired[0])]);
      await writeExport('6d', [live(desired[0], d => (d.spec.replicas = 10))]);
      await writeExport('0d', [live(desired[0], d => (d.spec.replicas = 5))]);
      const now = new Date('2026-11-20T12:00:00Z');
      const clusters: LiveCluster[] = [
        new SnapshotCluster('demo', dir, () => now),
      ];
      const target = new KubernetesLiveTarget({ clusters, extraKinds: KINDS });
      const requests = [request(linkedComponent('cart', 'shop'), desired)];
      const replicas = (result: TargetResult) =>
        result.resources[0].diff.changes.find(c => c.field === 'spec.replicas')
          ?.live;

      const [current] = await target.compare(requests, options);
      expect(replicas(current)).toBe(5);

      const daysAgo = (days: number) =>
        new Date(now.getTime() - days * 86_400_000);
      const [sixDaysAgo] = await target.compare(requests, {
        ...options,
        asOf: daysAgo(6),
      });
      expect(replicas(sixDaysAgo)).toBe(10);

      const [tenDaysAgo] = await target.compare(requests, {
        ...options,
        asOf: daysAgo(10),
      });
      expect(statuses(tenDaysAgo)).toEqual({
        'Deployment:shop:cart': 'in-sync',
      });

      const [beforeHistory] = await target.compare(requests, {
        ...options,
        asOf: daysAgo(20),
      });
      expect(statuses(beforeHistory)).toEqual({
        'Deployment:shop:cart': 'unknown',
      });
      expect(beforeHistory.errors[0]).toEqual({
        location: 'demo',
        message: expect.stringContaining('has no export as old as'),
      });
    });

    it('compares the same entity in a live and a snapshot cluster', async () => {
      const desired = [deployment('cart', 'shop')];
      await writeExport('.', [
        live(
          desired[0],
          d => (d.spec.template.spec.containers[0].image = 'x:2'),
        ),
      ]);
      server.add(live(desired[0]));
      const target = new KubernetesLiveTarget({
        clusters: [
          apiCluster('prod', server.url),
          new SnapshotCluster('audit', dir),
        ],
        extraKinds: KINDS,
      });

      const [result] = await target.compare(
        [request(linkedComponent('cart', 'shop'), desired)],
        options,
      );

      expect(result.errors).toEqual([]);
      expect(statuses(result, 'prod')).toEqual({
        'Deployment:shop:cart': 'in-sync',
      });
      expect(statuses(result, 'audit')).toEqual({
        'Deployment:shop:cart': 'drifted',
      });
    });
  });
});
