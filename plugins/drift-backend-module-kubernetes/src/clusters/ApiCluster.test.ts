import { mockServices } from '@backstage/backend-test-utils';
import { FakeKubeApiServer } from '../__testUtils__/FakeKubeApiServer';
import {
  appLabels,
  configMap,
  deployment,
  live,
  secret,
} from '../__testUtils__/fixtures';
import { ApiCluster, KubernetesApiError } from './ApiCluster';
import { ConcurrencyLimiter } from './ConcurrencyLimiter';

const logger = mockServices.logger.mock();

describe('ApiCluster', () => {
  let server: FakeKubeApiServer;

  beforeEach(async () => {
    server = await FakeKubeApiServer.start({ token: 'token-1' });
  });

  afterEach(async () => {
    await server.stop();
  });

  function cluster(
    options: Partial<{
      pageSize: number;
      concurrency: number;
      timeout: number;
    }> = {},
  ) {
    return new ApiCluster(
      {
        name: 'prod',
        url: `${server.url}/`,
        auth: { type: 'serviceAccount', token: 'token-1' },
        skipTLSVerify: false,
      },
      {
        pageSize: options.pageSize ?? 500,
        concurrency: options.concurrency ?? 4,
        requestTimeoutMs: options.timeout ?? 5000,
      },
    );
  }

  it('resolves kinds through discovery, skipping subresources and unserved groups', async () => {
    const view = await cluster().open({ logger });

    await expect(view.resolveKind('apps/v1', 'Deployment')).resolves.toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      group: 'apps',
      plural: 'deployments',
      namespaced: true,
    });
    await expect(
      view.resolveKind('rbac.authorization.k8s.io/v1', 'ClusterRole'),
    ).resolves.toMatchObject({
      plural: 'clusterroles',
      namespaced: false,
    });
    await expect(view.resolveKind('apps/v1', 'Scale')).resolves.toBeUndefined();
    await expect(
      view.resolveKind('cert-manager.io/v1', 'Certificate'),
    ).resolves.toBeUndefined();
    await view.resolveKind('apps/v1', 'StatefulSet');
    // One discovery request per group version and round, the core group on opening.
    expect(server.requests.map(r => r.path)).toEqual([
      '/api/v1',
      '/apis/apps/v1',
      '/apis/rbac.authorization.k8s.io/v1',
      '/apis/cert-manager.io/v1',
    ]);
  });

  it('lists with the label selector and limit, following continue tokens', async () => {
    server.add(
      ...Array.from({ length: 5 }, (_, i) =>
        live(configMap(`cart-${i}`, 'shop', appLabels('cart'))),
      ),
      live(configMap('other', 'shop', appLabels('other'))),
      live(configMap('cart-elsewhere', 'core', appLabels('cart'))),
    );
    const view = await cluster({ pageSize: 2 }).open({ logger });
    const kind = (await view.resolveKind('v1', 'ConfigMap'))!;

    const objects = await view.list({
      kind,
      namespace: 'shop',
      labelSelector: 'backstage.io/kubernetes-id in (cart,profile)',
    });

    expect(objects.map(o => o.metadata.name)).toEqual([
      'cart-0',
      'cart-1',
      'cart-2',
      'cart-3',
      'cart-4',
    ]);
    // List items get the apiVersion and kind the API server leaves out.
    expect(objects[0]).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });
    expect(
      server.lists.map(l => [l.path, l.query.labelSelector, l.query.limit]),
    ).toEqual(
      Array(3).fill([
        '/api/v1/namespaces/shop/configmaps',
        'backstage.io/kubernetes-id in (cart,profile)',
        '2',
      ]),
    );
  });

  it('keeps fields the client models do not know, and timestamps as strings', async () => {
    server.add(
      live(deployment('cart', 'shop'), d => {
        d.spec.template.spec.futureField = { enabled: true };
        d.metadata.managedFields = [
          {
            manager: 'kubectl-edit',
            operation: 'Update',
            time: '2026-11-02T09:30:00Z',
            fieldsType: 'FieldsV1',
            fieldsV1: {},
          },
        ];
      }),
    );
    const view = await cluster().open({ logger });

    const [object] = await view.list({
      kind: (await view.resolveKind('apps/v1', 'Deployment'))!,
      namespace: 'shop',
    });

    expect((object.spec as any).template.spec.futureField).toEqual({
      enabled: true,
    });
    expect((object.metadata as any).managedFields[0].time).toBe(
      '2026-11-02T09:30:00Z',
    );
    expect(object.metadata.creationTimestamp).toBe('2026-11-01T10:00:00Z');
  });

  it('lists cluster-scoped kinds without a namespace', async () => {
    server.add({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'cart-reader', labels: appLabels('cart') },
      rules: [],
    });
    const view = await cluster().open({ logger });
    const kind = (await view.resolveKind(
      'rbac.authorization.k8s.io/v1',
      'ClusterRole',
    ))!;

    const objects = await view.list({ kind, namespace: 'ignored' });

    expect(objects.map(o => o.metadata.name)).toEqual(['cart-reader']);
    expect(server.lists[0].path).toBe(
      '/apis/rbac.authorization.k8s.io/v1/clusterroles',
    );
  });

  it.each(['serve', 'ignore', 'refuse'] as const)(
    'lists metadata only when asked, whatever the server does with the request (%s)',
    async metadataLists => {
      const other = await FakeKubeApiServer.start({
        token: 'token-1',
        metadataLists,
      });
      try {
        other.add(
          live(
            secret('cart-db', 'shop', appLabels('cart'), {
              PASSWORD: 'c2VjcmV0',
            }),
          ),
          live(
            secret('cart-token', 'shop', appLabels('cart'), {}),
            s => (s.type = 'kubernetes.io/service-account-token'),
          ),
        );
        const view = await new ApiCluster(
          {
            name: 'prod',
            url: other.url,
            auth: { type: 'serviceAccount', token: 'token-1' },
            skipTLSVerify: false,
          },
          { pageSize: 500, concurrency: 4, requestTimeoutMs: 5000 },
        ).open({ logger });
        const kind = (await view.resolveKind('v1', 'Secret'))!;

        const objects = await view.list({
          kind,
          namespace: 'shop',
          labelSelector: 'backstage.io/kubernetes-id=cart',
          fieldSelector: 'type!=kubernetes.io/service-account-token',
          metadataOnly: true,
        });

        expect(objects).toEqual([
          {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: expect.objectContaining({ name: 'cart-db' }),
          },
        ]);
        expect(other.lists[0].accept).toBe(
          'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1, application/json',
        );
        expect(other.lists[0].query.fieldSelector).toBe(
          'type!=kubernetes.io/service-account-token',
        );
        // A server that refuses the format is asked once more for plain JSON.
        expect(other.lists.map(l => l.accept)).toHaveLength(
          metadataLists === 'refuse' ? 2 : 1,
        );
      } finally {
        await other.stop();
      }
    },
  );

  it('never sends the pod service account token to a server that is not the in-cluster API', () => {
    expect(
      () =>
        new ApiCluster(
          {
            name: 'prod',
            url: 'https://k8s.example.com',
            auth: { type: 'serviceAccount' },
            skipTLSVerify: false,
          },
          { pageSize: 500, concurrency: 4, requestTimeoutMs: 5000 },
        ),
    ).toThrow(
      "Cluster 'prod' has no serviceAccountToken, and the pod's own token is only sent to the in-cluster API",
    );
    expect(
      () =>
        new ApiCluster(
          {
            name: 'in-cluster',
            url: 'https://kubernetes.default.svc',
            auth: { type: 'serviceAccount' },
            skipTLSVerify: false,
          },
          { pageSize: 500, concurrency: 4, requestTimeoutMs: 5000 },
        ),
    ).not.toThrow();
  });

  it('fails to open when the core API cannot be read', async () => {
    server.fault({ path: /^\/api\/v1$/, status: 404 });

    await expect(cluster().open({ logger })).rejects.toThrow(
      'GET /api/v1 answered 404',
    );
  });

  it('reports a failed LIST with its status and the API server message', async () => {
    server.fault({ path: /\/secrets$/, status: 403 });
    const view = await cluster().open({ logger });
    const kind = (await view.resolveKind('v1', 'Secret'))!;

    const failure = await view.list({ kind, namespace: 'shop' }).catch(e => e);

    expect(failure).toBeInstanceOf(KubernetesApiError);
    expect(failure.statusCode).toBe(403);
    expect(failure.message).toBe(
      'GET /api/v1/namespaces/shop/secrets answered 403 (injected 403 for /api/v1/namespaces/shop/secrets)',
    );
  });

  it('times out slow requests', async () => {
    server.fault({ path: /^\/api\/v1$/, delayMs: 1000 });

    await expect(cluster({ timeout: 100 }).open({ logger })).rejects.toThrow(
      'GET /api/v1 timed out after 0.1 s',
    );
  });

  const configMapGets = () =>
    server.requests.filter(r => r.path === '/api/v1/namespaces/shop/configmaps').length;

  it('sends a GET again when the connection breaks off mid-response', async () => {
    const view = await cluster().open({ logger });
    const kind = (await view.resolveKind('v1', 'ConfigMap'))!;
    server.add(configMap('cart', 'shop', { a: '1' }));
    server.fault({ path: /\/configmaps$/, cut: true, times: 2 });

    const objects = await view.list({ kind, namespace: 'shop' });

    expect(objects.map(o => o.metadata.name)).toEqual(['cart']);
    expect(configMapGets()).toBe(3);
  });

  it('gives up on a GET whose connection keeps breaking, naming the path and the attempts', async () => {
    const view = await cluster().open({ logger });
    const kind = (await view.resolveKind('v1', 'ConfigMap'))!;
    server.fault({ path: /\/configmaps$/, cut: true });

    const failure = await view.list({ kind, namespace: 'shop' }).catch(e => e);

    expect(failure).toBeInstanceOf(KubernetesApiError);
    expect(failure.message).toMatch(
      /^GET \/api\/v1\/namespaces\/shop\/configmaps failed \(3 attempts\); caused by .*Premature close$/,
    );
    expect(failure.statusCode).toBeUndefined();
    expect(configMapGets()).toBe(3);
  });

  it('does not send a GET again when the server answered with an error', async () => {
    const view = await cluster().open({ logger });
    const kind = (await view.resolveKind('v1', 'ConfigMap'))!;
    server.fault({ path: /\/configmaps$/, status: 500 });

    await expect(view.list({ kind, namespace: 'shop' })).rejects.toThrow(
      'answered 500',
    );
    expect(configMapGets()).toBe(1);
  });

  it('never has more requests in flight than its concurrency', async () => {
    server.fault({ path: /\/configmaps$/, delayMs: 50 });
    const view = await cluster({ concurrency: 2 }).open({ logger });
    const kind = (await view.resolveKind('v1', 'ConfigMap'))!;
    let inFlight = 0;
    let peak = 0;
    const original = (server as any).handle.bind(server);
    (server as any).handle = async (...args: unknown[]) => {
      peak = Math.max(peak, ++inFlight);
      try {
        return await original(...args);
      } finally {
        inFlight--;
      }
    };

    await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map(namespace =>
        view.list({ kind, namespace }),
      ),
    );

    expect(server.lists).toHaveLength(5);
    expect(peak).toBe(2);
  });

  it('reuses its connections from request to request', async () => {
    const view = await cluster({ concurrency: 2 }).open({ logger });
    const kind = (await view.resolveKind('v1', 'ConfigMap'))!;

    for (const namespace of ['a', 'b', 'c', 'd', 'e', 'f']) {
      await Promise.all([
        view.list({ kind, namespace }),
        view.list({ kind, namespace: `${namespace}2` }),
      ]);
    }

    expect(server.lists).toHaveLength(12);
    expect(server.connections).toBeLessThanOrEqual(2);
  });

  it('stops its requests when the scan is aborted', async () => {
    server.fault({ path: /\/configmaps$/, delayMs: 2000 });
    const controller = new AbortController();
    const view = await cluster().open({ logger, signal: controller.signal });
    const kind = (await view.resolveKind('v1', 'ConfigMap'))!;

    const listing = view.list({ kind, namespace: 'shop' });
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();

    await expect(listing).rejects.toThrow(
      'GET /api/v1/namespaces/shop/configmaps failed',
    );
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe('ConcurrencyLimiter', () => {
  it('runs tasks in order and releases slots after failures', async () => {
    const limiter = new ConcurrencyLimiter(1);
    const order: string[] = [];
    const first = limiter.run(async () => {
      order.push('first');
      throw new Error('boom');
    });
    const second = limiter.run(async () => {
      order.push('second');
      return 2;
    });

    await expect(first).rejects.toThrow('boom');
    await expect(second).resolves.toBe(2);
    expect(order).toEqual(['first', 'second']);
  });
});
