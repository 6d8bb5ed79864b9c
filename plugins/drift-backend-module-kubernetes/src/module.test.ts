import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { FakeKubeApiServer } from './__testUtils__/FakeKubeApiServer';
import { recordingDriftPlugin } from './__testUtils__/recordingDriftPlugin';
import { component, deployment, live } from './__testUtils__/fixtures';
import driftModuleKubernetes from './index';

describe('driftModuleKubernetes', () => {
  let server: FakeKubeApiServer;
  let dir: string;

  beforeEach(async () => {
    server = await FakeKubeApiServer.start({ token: 'prod-token' });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'drift-module-'));
  });

  afterEach(async () => {
    await server.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('registers the manifest source and the kubernetes target', async () => {
    const { plugin, added } = recordingDriftPlugin();

    await startTestBackend({ features: [plugin, driftModuleKubernetes] });

    expect(added.sources.map(s => s.id)).toEqual(['kubernetes-manifests']);
    expect(added.targets.map(t => [t.id, t.targetKind])).toEqual([
      ['kubernetes', 'kubernetes'],
    ]);
  });

  it('compares a file: source with a configured cluster and a snapshot cluster', async () => {
    const desired = deployment('cart', 'shop');
    await fs.mkdir(path.join(dir, 'gitops/cart'), { recursive: true });
    await fs.writeFile(
      path.join(dir, 'gitops/cart/deployment.json'),
      JSON.stringify(desired),
    );
    await fs.mkdir(path.join(dir, 'snapshot'));
    await fs.writeFile(
      path.join(dir, 'snapshot/export.json'),
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [live(desired, d => (d.spec.replicas = 7))],
      }),
    );
    server.add(live(desired));
    const { plugin, added } = recordingDriftPlugin();

    await startTestBackend({
      features: [
        plugin,
        driftModuleKubernetes,
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'production',
                      url: server.url,
                      authProvider: 'serviceAccount',
                      serviceAccountToken: 'prod-token',
                    },
                    { name: 'staging', url: 'https://staging.example.com' },
                  ],
                },
              ],
            },
            drift: {
              kubernetes: {
                clusters: ['production', 'demo'],
                // The loopback test server speaks plain http.
                allowInsecureHttp: ['production'],
                snapshots: [
                  { cluster: 'demo', directory: path.join(dir, 'snapshot') },
                ],
              },
              fileLocations: { roots: [dir] },
            },
          },
        }),
      ],
    });
    const [source] = added.sources;
    const [target] = added.targets;
    const entity = component('cart', {
      'driftwatch.io/source': 'file:../gitops/cart',
      'backstage.io/kubernetes-id': 'cart',
      'backstage.io/managed-by-location': `file:${path.join(
        dir,
        'catalog/catalog-info.yaml',
      )}`,
    });
    const logger = mockServices.logger.mock();

    const states = await source.readDesired(entity, { logger });
    const [result] = await target.compare(
      [{ entity, entityRef: 'component:default/cart', desired: states }],
      { logger },
    );

    expect(result.errors).toEqual([]);
    expect(
      result.resources.map(r => [r.location, r.diff.key, r.diff.status]),
    ).toEqual([
      ['production', 'Deployment:shop:cart', 'in-sync'],
      ['demo', 'Deployment:shop:cart', 'drifted'],
    ]);
    expect(result.resources[1].diff.changes).toEqual([
      expect.objectContaining({
        field: 'spec.replicas',
        desired: 2,
        live: 7,
        category: 'Scaling',
      }),
    ]);
    expect(result.resources[0].diff.desiredSource).toEqual({
      file: 'deployment.json',
      document: 1,
    });
    expect(server.lists.map(l => l.authorization)).toEqual(
      expect.arrayContaining(['Bearer prod-token']),
    );
  });

  it('never contacts a plain http cluster, nor sends the pod token to a cluster outside', async () => {
    const { plugin, added } = recordingDriftPlugin();
    await startTestBackend({
      features: [
        plugin,
        driftModuleKubernetes,
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'insecure',
                      url: server.url,
                      serviceAccountToken: 'prod-token',
                    },
                    { name: 'external', url: 'https://k8s.example.com' },
                  ],
                },
              ],
            },
          },
        }),
      ],
    });
    const [target] = added.targets;
    const entity = component('cart', { 'backstage.io/kubernetes-id': 'cart' });

    const [result] = await target.compare(
      [
        {
          entity,
          entityRef: 'component:default/cart',
          desired: [
            {
              targetKind: 'kubernetes',
              location: 'url:https://git.example.com/cart',
              documents: [deployment('cart', 'shop')],
            },
          ],
        },
      ],
      { logger: mockServices.logger.mock() },
    );

    expect(result.errors).toEqual([
      {
        location: 'insecure',
        message: expect.stringContaining(
          "Cluster 'insecure' is not read: its URL is plain http",
        ),
      },
      {
        location: 'external',
        message: expect.stringContaining(
          "the pod's own service account token is only sent to the in-cluster API",
        ),
      },
    ]);
    expect(result.resources.map(r => r.diff.status)).toEqual([
      'unknown',
      'unknown',
    ]);
    expect(server.requests).toEqual([]);
  });
});
