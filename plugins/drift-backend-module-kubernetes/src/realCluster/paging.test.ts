// Against a real kube-apiserver (scripts/kube.sh): a LIST larger than a page follows the
// server's continue tokens to the end.
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ApiCluster } from '../clusters/ApiCluster';
import { createClusters } from '../module';
import {
  clusterConfig,
  startRealCluster,
  type RealCluster,
} from '../__testUtils__/realCluster';

jest.setTimeout(300_000);

const RUN = Math.random().toString(36).slice(2, 6);
const NAMESPACE = `paging-${RUN}`;
const COUNT = 5000;

describe('paging on a real API server', () => {
  let cluster: RealCluster;

  beforeAll(async () => {
    cluster = await startRealCluster();
    await cluster.kubectl(['create', 'namespace', NAMESPACE]);
    const items = Array.from({ length: COUNT }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `settings-${i}`, labels: { 'backstage.io/kubernetes-id': 'bulk' } },
      data: { index: String(i), payload: 'x'.repeat(200) },
    }));
    await cluster.kubectl(
      ['create', '-n', NAMESPACE, '-f', '-'],
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
    );
  });

  it(`lists ${COUNT} ConfigMaps in pages of 500 with continue tokens`, async () => {
    const logger = mockServices.logger.mock();
    const [api] = createClusters(
      new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [{ type: 'config', clusters: [clusterConfig('real', cluster)] }],
        },
        drift: { kubernetes: { pageSize: 500 } },
      }),
      logger,
    );
    expect(api).toBeInstanceOf(ApiCluster);
    const get = jest.spyOn(api as ApiCluster, 'get');
    const view = await api.open({ logger });
    const kind = (await view.resolveKind('v1', 'ConfigMap'))!;

    const started = process.hrtime.bigint();
    const objects = await view.list({
      kind,
      namespace: NAMESPACE,
      labelSelector: 'backstage.io/kubernetes-id=bulk',
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;

    const pages = get.mock.calls.filter(([p]) => p.endsWith(`/namespaces/${NAMESPACE}/configmaps`));
    // eslint-disable-next-line no-console
    console.log(`paging: ${objects.length} ConfigMaps in ${pages.length} pages of 500 in ${ms.toFixed(0)} ms`);
    expect(objects).toHaveLength(COUNT);
    expect(new Set(objects.map(o => o.metadata.name)).size).toBe(COUNT);
    expect(pages).toHaveLength(COUNT / 500);
    expect(pages.map(([, query]) => query.continue !== undefined)).toEqual([
      false,
      ...Array(COUNT / 500 - 1).fill(true),
    ]);
  });
});
