import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import driftModuleKubernetes from '@driftwatch/plugin-drift-backend-module-kubernetes';
// The Kubernetes module does not export its fake API server; tests borrow it from its source.
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { FakeKubeApiServer } from '@driftwatch/plugin-drift-backend-module-kubernetes/src/__testUtils__/FakeKubeApiServer';
import {
  driftSourcesExtensionPoint,
  driftTargetsExtensionPoint,
  type DesiredStateSource,
  type LiveStateTarget,
} from '@driftwatch/plugin-drift-node';
import { FakeArgoCdServer } from './__testUtils__/FakeArgoCdServer';
import {
  cartApplication,
  cartDeployment,
  component,
} from './__testUtils__/fixtures';
import driftModuleArgoCd from './index';

/** Stands in for the drift backend plugin: it only owns the extension points. */
function recordingDriftPlugin() {
  const sources: DesiredStateSource[] = [];
  const targets: LiveStateTarget[] = [];
  const plugin = createBackendPlugin({
    pluginId: 'drift',
    register(env) {
      env.registerExtensionPoint(driftSourcesExtensionPoint, {
        addSource: (...added) => sources.push(...added),
      });
      env.registerExtensionPoint(driftTargetsExtensionPoint, {
        addTarget: (...added) => targets.push(...added),
      });
      env.registerInit({ deps: {}, async init() {} });
    },
  });
  return { plugin, sources, targets };
}

describe('driftModuleArgoCd', () => {
  let argocd: FakeArgoCdServer;
  let production: FakeKubeApiServer;
  let staging: FakeKubeApiServer;

  beforeEach(async () => {
    argocd = await FakeArgoCdServer.start('argocd-token');
    production = await FakeKubeApiServer.start({ token: 'prod-token' });
    staging = await FakeKubeApiServer.start({ token: 'staging-token' });
  });

  afterEach(async () => {
    await Promise.all([argocd.stop(), production.stop(), staging.stop()]);
  });

  it('finds drift Argo CD reports as Synced, in the destination cluster only', async () => {
    argocd.add(
      'cart-prod',
      cartApplication({ server: production.url, namespace: 'shop' }),
    );
    // Someone ran `kubectl scale` in production; Argo CD (without self-heal) still says Synced.
    const scaled = cartDeployment(5);
    production.add({
      ...scaled,
      metadata: { ...scaled.metadata, namespace: 'shop' },
    });
    const unrelated = cartDeployment(9);
    staging.add({
      ...unrelated,
      metadata: { ...unrelated.metadata, namespace: 'shop' },
    });
    const { plugin, sources, targets } = recordingDriftPlugin();

    await startTestBackend({
      features: [
        plugin,
        driftModuleKubernetes,
        driftModuleArgoCd,
        mockServices.rootConfig.factory({
          data: {
            argocd: {
              appLocatorMethods: [
                {
                  type: 'config',
                  instances: [
                    { name: 'main', url: argocd.url, token: 'argocd-token' },
                  ],
                },
              ],
            },
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'production',
                      url: production.url,
                      serviceAccountToken: 'prod-token',
                    },
                    {
                      name: 'staging',
                      url: staging.url,
                      serviceAccountToken: 'staging-token',
                    },
                  ],
                },
              ],
            },
            // The loopback test servers speak plain http.
            drift: {
              kubernetes: { allowInsecureHttp: ['production', 'staging'] },
            },
          },
        }),
      ],
    });

    expect(sources.map(s => s.id).sort()).toEqual([
      'argocd',
      'kubernetes-manifests',
    ]);
    const source = sources.find(s => s.id === 'argocd')!;
    const [target] = targets;
    const entity = component('cart', {
      'argocd/app-name': 'cart-prod',
      'backstage.io/kubernetes-id': 'cart',
    });
    const logger = mockServices.logger.mock();

    const desired = await source.readDesired(entity, { logger });
    const [result] = await target.compare(
      [{ entity, entityRef: 'component:default/cart', desired }],
      { logger },
    );

    expect(desired[0].externalStatus).toEqual(
      expect.objectContaining({ sync: 'Synced', health: 'Healthy' }),
    );
    expect(result.errors).toEqual([]);
    expect(
      result.resources.map(r => [r.location, r.diff.key, r.diff.status]),
    ).toEqual([['production', 'Deployment:shop:cart', 'drifted']]);
    expect(result.resources[0].diff.changes).toEqual([
      expect.objectContaining({
        field: 'spec.replicas',
        desired: 2,
        live: 5,
        category: 'Scaling',
      }),
    ]);
    expect(staging.lists).toEqual([]);
  });
});
