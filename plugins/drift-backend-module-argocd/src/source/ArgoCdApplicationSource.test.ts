import { mockServices } from '@backstage/backend-test-utils';
import { FakeArgoCdServer } from '../__testUtils__/FakeArgoCdServer';
import {
  cartApplication,
  cartDeployment,
  component,
} from '../__testUtils__/fixtures';
import { ArgoCdApplicationSource } from './ArgoCdApplicationSource';

const logger = mockServices.logger.mock();
const clusters = [
  { name: 'production', url: 'https://k8s.example.com' },
  { name: 'staging', url: 'https://staging.k8s.example.com' },
];

describe('ArgoCdApplicationSource', () => {
  let main: FakeArgoCdServer;
  let other: FakeArgoCdServer;

  beforeEach(async () => {
    main = await FakeArgoCdServer.start('main-token');
    other = await FakeArgoCdServer.start('other-token');
  });

  afterEach(async () => {
    await Promise.all([main.stop(), other.stop()]);
  });

  const source = (requestTimeoutMs = 2000) =>
    new ArgoCdApplicationSource({
      instances: [
        { name: 'main', url: main.url, token: 'main-token' },
        { name: 'other', url: other.url, token: 'other-token' },
      ],
      clusters,
      requestTimeoutMs,
    });

  it('applies to entities with argocd/app-name', () => {
    expect(
      source().appliesTo(component('cart', { 'argocd/app-name': 'cart-prod' })),
    ).toBe(true);
    expect(
      source().appliesTo(component('cart', { 'argocd/app-name': ' ' })),
    ).toBe(false);
    expect(source().appliesTo(component('cart', {}))).toBe(false);
  });

  it("reads the rendered manifests, for the destination's cluster and namespace, with Argo CD's status", async () => {
    const clusterRole = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'cart-reader' },
      rules: [],
    };
    main.add(
      'cart-prod',
      cartApplication(
        { server: 'https://k8s.example.com/', namespace: 'shop' },
        [cartDeployment(), clusterRole],
      ),
    );

    const desired = await source().readDesired(
      component('cart', { 'argocd/app-name': 'cart-prod' }),
      { logger },
    );

    const deployment = cartDeployment();
    expect(desired).toEqual([
      {
        targetKind: 'kubernetes',
        location: 'argocd:main/cart-prod',
        cluster: 'production',
        documents: [
          {
            ...deployment,
            metadata: { ...deployment.metadata, namespace: 'shop' },
          },
          // The Kubernetes target drops it again for kinds served cluster-wide.
          { ...clusterRole, metadata: { name: 'cart-reader', namespace: 'shop' } },
        ],
        externalStatus: {
          source: 'argocd',
          app: 'cart-prod',
          sync: 'Synced',
          health: 'Healthy',
          revision: '4f1c2a9e',
        },
      },
    ]);
  });

  it('reads from the instance argocd/instance-name names', async () => {
    other.add('cart-prod', cartApplication({ name: 'staging' }));

    const [desired] = await source().readDesired(
      component('cart', {
        'argocd/app-name': 'cart-prod',
        'argocd/instance-name': 'other',
      }),
      { logger },
    );

    expect(desired.location).toBe('argocd:other/cart-prod');
    expect(desired.cluster).toBe('staging');
    expect(main.requests).toEqual([]);
    expect(other.requests.map(r => r.authorization)).toEqual([
      'Bearer other-token',
      'Bearer other-token',
    ]);
  });

  it('leaves the values Argo CD masks out of the comparison', async () => {
    main.add(
      'cart-prod',
      cartApplication({ name: 'production', namespace: 'shop' }, [
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'cart-db' },
          type: 'Opaque',
          data: { password: '++++++++' },
        },
      ]),
    );

    const [desired] = await source().readDesired(
      component('cart', { 'argocd/app-name': 'cart-prod' }),
      { logger },
    );

    expect(desired.documents).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: 'cart-db',
          namespace: 'shop',
          annotations: { 'driftwatch.io/ignore-paths': '/data,/stringData' },
        },
        type: 'Opaque',
      },
    ]);
  });

  it.each([
    [
      'an unknown instance',
      { 'argocd/instance-name': 'legacy' },
      "argocd/instance-name names 'legacy', which is not an instance of argocd.appLocatorMethods",
    ],
    [
      'an application Argo CD does not have (404)',
      { 'argocd/app-name': 'checkout' },
      "No Argo CD application 'checkout' at instance main",
    ],
  ])('fails clearly for %s', async (_name, annotations, message) => {
    main.add('cart-prod', cartApplication({ name: 'production' }));

    await expect(
      source().readDesired(
        component('cart', { 'argocd/app-name': 'cart-prod', ...annotations }),
        { logger },
      ),
    ).rejects.toThrow(message);
  });

  it('fails for a destination that is not a configured cluster', async () => {
    main.add('cart-prod', cartApplication({ server: 'https://elsewhere:6443' }));

    await expect(
      source().readDesired(
        component('cart', { 'argocd/app-name': 'cart-prod' }),
        { logger },
      ),
    ).rejects.toThrow(
      "Argo CD application 'cart-prod' deploys to https://elsewhere:6443, which is not the url of a cluster",
    );
  });

  it('fails for an instance that does not answer within the request timeout', async () => {
    main.add('cart-prod', cartApplication({ name: 'production' })).slow(1000);

    await expect(
      source(50).readDesired(
        component('cart', { 'argocd/app-name': 'cart-prod' }),
        { logger },
      ),
    ).rejects.toThrow(
      "Argo CD instance main did not answer within 50 ms for app 'cart-prod'",
    );
  });

  it('rejects a manifest that is not a Kubernetes object without quoting it', async () => {
    main.add(
      'cart-prod',
      cartApplication({ name: 'production' }, [{ password: 'hunter2' }]),
    );

    const error = await source()
      .readDesired(component('cart', { 'argocd/app-name': 'cart-prod' }), {
        logger,
      })
      .catch(e => e);

    expect(error.message).toBe(
      'argocd:main/cart-prod: manifest 1 is not a Kubernetes object',
    );
  });
});
