// Against a real kube-apiserver (scripts/kube.sh) with the real helm and kustomize: a chart and
// an overlay are rendered, applied as rendered, and compare in sync; an edit of a rendered
// object is drift on that object, which says it was rendered.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { stringify } from 'yaml';
import type { ParsedManifest } from '@driftwatch/plugin-drift-common';
import { FileLocationReader, type TargetRequest } from '@driftwatch/plugin-drift-node';
import { component } from '../__testUtils__/fixtures';
import { realTarget, startRealCluster, type RealCluster } from '../__testUtils__/realCluster';
import { EXAMPLES, realRenderConfig } from '../__testUtils__/renderers';
import { KubernetesManifestSource } from '../source/KubernetesManifestSource';

jest.setTimeout(300_000);

const RUN = Math.random().toString(36).slice(2, 6);
const HELM_NS = `rendered-helm-${RUN}`;
const KUSTOMIZE_NS = `rendered-kustomize-${RUN}`;
const logger = mockServices.logger.mock();

describe('rendered desired state on a real API server', () => {
  let cluster: RealCluster;
  let root: string;
  let source: KubernetesManifestSource;
  let requests: TargetRequest[];

  beforeAll(async () => {
    cluster = await startRealCluster();
    // The demo's chart and overlays, with one more overlay that moves the production one into
    // this run's namespace.
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'drift-rendered-'));
    await fs.cp(path.join(EXAMPLES, 'gitops/reviews-api'), path.join(root, 'reviews-api'), { recursive: true });
    await fs.cp(path.join(EXAMPLES, 'gitops/inventory-service'), path.join(root, 'inventory-service'), {
      recursive: true,
    });
    await fs.mkdir(path.join(root, 'inventory-service/overlays/test'));
    await fs.writeFile(
      path.join(root, 'inventory-service/overlays/test/kustomization.yaml'),
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: ${KUSTOMIZE_NS}\nresources: [../production]\n`,
    );
    const catalogFile = path.join(root, 'catalog-info.yaml');
    const located = { 'backstage.io/managed-by-location': `file:${catalogFile}` };
    const entities = [
      component('reviews-api', {
        ...located,
        'driftwatch.io/source': 'file:reviews-api/chart',
        'backstage.io/kubernetes-id': 'reviews-api',
        'backstage.io/kubernetes-namespace': HELM_NS,
        'driftwatch.io/helm-values': 'values.yaml,values-production.yaml',
      }),
      component('inventory-service', {
        ...located,
        'driftwatch.io/source': 'file:inventory-service/overlays/test',
        'backstage.io/kubernetes-id': 'inventory-service',
        'backstage.io/kubernetes-namespace': KUSTOMIZE_NS,
      }),
    ];
    source = new KubernetesManifestSource({
      urlReader: mockServices.urlReader.mock(),
      files: new FileLocationReader({ roots: [root], catalogFiles: [], maxBytes: 1 << 20 }),
      render: realRenderConfig(),
    });
    requests = await Promise.all(
      entities.map(async entity => ({
        entity,
        entityRef: `component:default/${entity.metadata.name}`,
        desired: await source.readDesired(entity, { logger }),
      })),
    );

    for (const namespace of [HELM_NS, KUSTOMIZE_NS]) {
      await cluster.kubectl(['create', 'namespace', namespace]);
    }
    // What a GitOps controller applies: the rendered objects, as rendered.
    const rendered = requests.flatMap(r =>
      r.desired.flatMap(d => (d.documents as ParsedManifest[]).map(m => stringify(m.object))),
    );
    await cluster.kubectl(['apply', '-f', '-'], rendered.join('---\n'));
  });

  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  const scan = async () => {
    const results = await realTarget({ real: cluster }).compare(requests, {
      logger,
      diffOptions: { secretHashKey: 'rendered' },
    });
    for (const result of results) expect(result.errors).toEqual([]);
    return results.flatMap(result => result.resources);
  };

  it('compares the rendered chart and overlay in sync, then finds an edit of a rendered object', async () => {
    const before = await scan();
    expect(before.map(r => `${r.diff.key} ${r.diff.status}`).sort()).toEqual(
      [
        `ConfigMap:${HELM_NS}:reviews-api-config in-sync`,
        `Deployment:${HELM_NS}:reviews-api in-sync`,
        `Service:${HELM_NS}:reviews-api in-sync`,
        `ServiceAccount:${HELM_NS}:reviews-api in-sync`,
        `ConfigMap:${KUSTOMIZE_NS}:inventory-service-config in-sync`,
        `Deployment:${KUSTOMIZE_NS}:inventory-service in-sync`,
        `Service:${KUSTOMIZE_NS}:inventory-service in-sync`,
        `ServiceAccount:${KUSTOMIZE_NS}:inventory-service in-sync`,
      ].sort(),
    );
    for (const resource of before) {
      expect(resource.source).toEqual(expect.objectContaining({ rendered: true }));
    }

    await cluster.kubectl([
      '-n', HELM_NS, 'set', 'image', 'deployment/reviews-api', 'reviews-api=registry.example.com/reviews-api:2.8.0-hotfix',
    ]);
    await cluster.kubectl([
      '-n', KUSTOMIZE_NS, 'patch', 'configmap/inventory-service-config', '--type=merge',
      '-p', JSON.stringify({ data: { STOCK_SYNC_INTERVAL: '5s' } }),
    ]);

    const after = await scan();
    const drifted = after.filter(r => r.diff.status !== 'in-sync');
    expect(drifted.map(r => r.diff.key).sort()).toEqual(
      [`ConfigMap:${KUSTOMIZE_NS}:inventory-service-config`, `Deployment:${HELM_NS}:reviews-api`].sort(),
    );
    const deployment = drifted.find(r => r.diff.kind === 'Deployment')!;
    expect(deployment.diff.status).toBe('drifted');
    expect(deployment.diff.changes).toEqual([
      expect.objectContaining({
        path: '/spec/template/spec/containers/0/image',
        desired: 'registry.example.com/reviews-api:2.7.1',
        live: 'registry.example.com/reviews-api:2.8.0-hotfix',
        category: 'VersionChange',
        manager: 'kubectl-set',
      }),
    ]);
    expect(deployment.source).toEqual({
      location: 'file:reviews-api/chart',
      document: 4,
      rendered: true,
    });
    const configMap = drifted.find(r => r.diff.kind === 'ConfigMap')!;
    expect(configMap.diff.changes.map(c => [c.path, c.desired, c.live])).toEqual([
      ['/data/STOCK_SYNC_INTERVAL', '15s', '5s'],
    ]);
    expect(configMap.source).toEqual(expect.objectContaining({ location: 'file:inventory-service/overlays/test', rendered: true }));
  });
});
