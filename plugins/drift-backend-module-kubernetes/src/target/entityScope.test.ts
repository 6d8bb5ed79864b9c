import { mockServices } from '@backstage/backend-test-utils';
import type { KubeObject } from '@driftwatch/plugin-drift-common';
import type { TargetResult } from '@driftwatch/plugin-drift-node';
import { ApiCluster } from '../clusters/ApiCluster';
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
} from '../__testUtils__/fixtures';
import { DEFAULT_SCOPE_RULES, type ScopeRules } from './entityScope';
import { KubernetesLiveTarget, type KindRef } from './KubernetesLiveTarget';

const TOKEN = 'sa-token-for-drift';
const options = {
  logger: mockServices.logger.mock(),
  diffOptions: { secretHashKey: 'fingerprint-key' },
};
const KINDS: KindRef[] = [
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Secret' },
];

function clusterRole(name: string, labels: Record<string, string>): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels },
    rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
  };
}

function byKey(result: TargetResult) {
  return Object.fromEntries(
    result.resources.map(r => [
      r.diff.key,
      r.error ? `${r.diff.status}: ${r.error}` : r.diff.status,
    ]),
  );
}

describe('entity scope', () => {
  let server: FakeKubeApiServer;

  beforeEach(async () => {
    server = await FakeKubeApiServer.start({ token: TOKEN });
  });

  afterEach(async () => {
    await server.stop();
  });

  function target(scope: Partial<ScopeRules> = {}, extraKinds = KINDS) {
    return new KubernetesLiveTarget({
      clusters: [
        new ApiCluster(
          {
            name: 'prod',
            url: server.url,
            auth: { type: 'serviceAccount', token: TOKEN },
            skipTLSVerify: false,
          },
          { pageSize: 500, concurrency: 4, requestTimeoutMs: 5000 },
        ),
      ],
      extraKinds,
      scope: { ...DEFAULT_SCOPE_RULES, ...scope },
    });
  }

  it("never reads another namespace's objects: a dummy kube-system ConfigMap gets nothing back", async () => {
    server.add(
      live(deployment('cart', 'shop')),
      live(
        configMap(
          'coredns',
          'kube-system',
          { 'k8s-app': 'kube-dns' },
          {
            Corefile: '.:53 { forward . 10.0.0.53 }',
            dummy: 'x',
          },
        ),
      ),
    );
    const desired = [
      deployment('cart', 'shop'),
      // Labelled as the live object is, so that a LIST without a selector would find it.
      configMap(
        'coredns',
        'kube-system',
        { 'k8s-app': 'kube-dns' },
        { dummy: 'x' },
      ),
    ];

    const [result] = await target().compare(
      [request(linkedComponent('cart', 'shop'), desired)],
      options,
    );

    expect(byKey(result)).toEqual({
      'Deployment:shop:cart': 'in-sync',
      'ConfigMap:kube-system:coredns':
        "unknown: outside the entity's scope: namespace kube-system (the entity's namespace is shop)",
    });
    expect(result.errors).toEqual([]);
    expect(JSON.stringify(result)).not.toContain('10.0.0.53');
    expect(server.lists.map(l => l.list!.namespace)).not.toContain(
      'kube-system',
    );
  });

  it('keeps entities without a namespace annotation out of the namespaces config denies or does not allow', async () => {
    server.add(
      live(deployment('cart', 'team-shop')),
      live(configMap('cart', 'kube-system', appLabels('cart'))),
      live(configMap('cart', 'payments', appLabels('cart'))),
    );
    const desired = [
      deployment('cart', 'team-shop'),
      configMap('cart', 'kube-system', appLabels('cart')),
      configMap('cart', 'payments', appLabels('cart')),
    ];

    const [defaults] = await target().compare(
      [request(linkedComponent('cart'), desired)],
      options,
    );
    const [allowList] = await target({
      allowedNamespaces: ['team-*'],
    }).compare([request(linkedComponent('cart'), desired)], options);

    expect(byKey(defaults)).toEqual({
      'Deployment:team-shop:cart': 'in-sync',
      'ConfigMap:kube-system:cart':
        "unknown: outside the entity's scope: namespace kube-system (not allowed by drift.kubernetes.namespaces)",
      'ConfigMap:payments:cart': 'in-sync',
    });
    expect(byKey(allowList)).toMatchObject({
      'Deployment:team-shop:cart': 'in-sync',
      'ConfigMap:payments:cart':
        "unknown: outside the entity's scope: namespace payments (not allowed by drift.kubernetes.namespaces)",
    });
    expect(new Set(server.lists.map(l => l.list!.namespace))).toEqual(
      new Set(['team-shop', 'payments']),
    );
  });

  it('never lets a guessed Secret read as in sync', async () => {
    const value = { PASSWORD: 'cGF5bWVudHMtcGFzc3dvcmQ=' };
    server.add(
      live(secret('payments-db', 'shop', appLabels('payments'), value)),
      live(secret('shop-shared', 'shop', { team: 'shop' }, value)),
    );
    const desired = [
      // Guessed with the entity's own labels: no such Secret is the entity's.
      secret('payments-db', 'shop', appLabels('cart'), value),
      // Guessed without them: outside the scope, never read.
      secret('shop-shared', 'shop', { team: 'shop' }, value),
    ];

    const [result] = await target().compare(
      [request(linkedComponent('cart', 'shop'), desired)],
      options,
    );

    expect(byKey(result)).toEqual({
      'Secret:shop:payments-db': 'missing',
      'Secret:shop:shop-shared':
        "unknown: outside the entity's scope: its labels do not match backstage.io/kubernetes-id=cart",
    });
    for (const list of server.lists) {
      expect(list.query.labelSelector).toBe('backstage.io/kubernetes-id=cart');
    }
  });

  it('reads only the kinds config allows, cluster-scoped kinds only where it lists them', async () => {
    server.add(
      live(clusterRole('cart-reader', appLabels('cart'))),
      live(clusterRole('cluster-admin', {})),
    );
    const desired = [
      clusterRole('cart-reader', appLabels('cart')),
      clusterRole('cluster-admin', appLabels('cart')),
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'cart',
          namespace: 'shop',
          labels: appLabels('cart'),
        },
      },
    ];
    const entity = linkedComponent('cart', 'shop');

    const [defaults] = await target().compare(
      [request(entity, desired)],
      options,
    );
    expect(byKey(defaults)).toEqual({
      'ClusterRole:cart-reader':
        "unknown: outside the entity's scope: cluster-scoped kind ClusterRole.rbac.authorization.k8s.io (not in drift.kubernetes.clusterScopedKinds)",
      'ClusterRole:cluster-admin':
        "unknown: outside the entity's scope: cluster-scoped kind ClusterRole.rbac.authorization.k8s.io (not in drift.kubernetes.clusterScopedKinds)",
      'Pod:shop:cart':
        "unknown: outside the entity's scope: kind Pod (not in drift.kubernetes.allowedKinds)",
    });
    expect(server.lists.map(l => l.list!.plural)).not.toContain('clusterroles');
    expect(server.lists.map(l => l.list!.plural)).not.toContain('pods');

    const [allowed] = await target({
      clusterScopedKinds: [
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
      ],
    }).compare([request(entity, desired)], options);
    // Listed through the entity's selector: a role without its labels is not its to read.
    expect(byKey(allowed)).toMatchObject({
      'ClusterRole:cart-reader': 'in-sync',
      'ClusterRole:cluster-admin': 'missing',
    });
    const roles = server.lists.filter(l => l.list!.plural === 'clusterroles');
    expect(roles.map(l => l.query.labelSelector)).toEqual([
      'backstage.io/kubernetes-id=cart',
    ]);
  });

  it('reads nothing for an entity that no annotation links to live objects', async () => {
    server.add(live(deployment('cart', 'shop')));

    const [result] = await target().compare(
      [request(component('cart'), [deployment('cart', 'shop')])],
      options,
    );

    expect(byKey(result)).toEqual({
      'Deployment:shop:cart':
        "unknown: outside the entity's scope: the entity has no backstage.io/kubernetes-id or backstage.io/kubernetes-label-selector annotation",
    });
    expect(server.lists).toEqual([]);
  });

  it('refuses a label selector that names no label value', async () => {
    const entity = component('cart', {
      'backstage.io/kubernetes-label-selector': '!nothing',
    });

    const [result] = await target().compare(
      [request(entity, [deployment('cart', 'shop')])],
      options,
    );

    expect(result.errors).toEqual([
      {
        location: 'prod',
        message:
          "component:default/cart: backstage.io/kubernetes-label-selector '!nothing' names no label value; include a key=value or key in (...) requirement",
      },
    ]);
    expect(server.requests).toEqual([]);
  });

  it('lists a namespace shared by differently linked entities once per selector, each seeing only its own objects', async () => {
    const web = { 'app.kubernetes.io/name': 'web' };
    server.add(
      live(configMap('cart', 'shop', appLabels('cart'))),
      live(configMap('web', 'shop', web)),
      live(configMap('web-debug', 'shop', web)),
      live(configMap('other', 'shop', { team: 'other' })),
    );
    const results = await target({}, []).compare(
      [
        request(linkedComponent('cart', 'shop'), [
          configMap('cart', 'shop', appLabels('cart')),
        ]),
        request(
          component('web', {
            'backstage.io/kubernetes-label-selector':
              'app.kubernetes.io/name=web',
            'backstage.io/kubernetes-namespace': 'shop',
          }),
          [configMap('web', 'shop', web)],
        ),
      ],
      options,
    );

    expect(results.map(byKey)).toEqual([
      { 'ConfigMap:shop:cart': 'in-sync' },
      { 'ConfigMap:shop:web': 'in-sync', 'ConfigMap:shop:web-debug': 'extra' },
    ]);
    expect(server.lists.map(l => l.query.labelSelector).sort()).toEqual([
      'app.kubernetes.io/name=web',
      'backstage.io/kubernetes-id=cart',
    ]);
  });

  it('lists Secrets as metadata only, and reads values only of the Secrets Git declares', async () => {
    const declared = secret('cart-db', 'shop', appLabels('cart'), {
      PASSWORD: 'Z2l0LXZhbHVl',
    });
    server.add(
      live(declared, s => (s.data.PASSWORD = 'bGl2ZS12YWx1ZQ==')),
      live(secret('cart-api-key', 'shop', appLabels('cart'), { KEY: 'a2V5' })),
      live(
        secret('search-db', 'shop', appLabels('search'), { PASSWORD: 'cw==' }),
      ),
    );

    const [cart, search] = await target().compare(
      [
        request(linkedComponent('cart', 'shop'), [declared]),
        request(linkedComponent('search', 'shop'), []),
      ],
      options,
    );

    expect(byKey(cart)).toEqual({
      'Secret:shop:cart-db': 'drifted',
      'Secret:shop:cart-api-key': 'extra',
    });
    expect(byKey(search)).toEqual({ 'Secret:shop:search-db': 'extra' });
    const secretLists = server.lists.filter(l => l.list!.plural === 'secrets');
    expect(
      secretLists.map(l => [
        l.query.labelSelector,
        l.query.fieldSelector,
        /as=PartialObjectMetadataList/.test(l.accept ?? ''),
      ]),
    ).toEqual([
      ['backstage.io/kubernetes-id=cart', 'metadata.name=cart-db', false],
      [
        'backstage.io/kubernetes-id in (cart,search)',
        'type!=kubernetes.io/service-account-token,type!=helm.sh/release.v1',
        true,
      ],
    ]);
  });
});
