// Against real kube-apiservers (scripts/kube.sh), through the drift backend and its store:
// refused kinds, a revoked token and an API server that dies mid-scan never resolve a finding.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { KubeObject } from '@driftwatch/plugin-drift-common';
import driftPlugin from '@driftwatch/plugin-drift-backend';
import request from 'supertest';
import { stringify } from 'yaml';
import driftModuleKubernetes from '../index';
import { configMap, deployment, secret } from '../__testUtils__/fixtures';
import {
  clusterConfig,
  startRealCluster,
  type RealCluster,
} from '../__testUtils__/realCluster';

jest.setTimeout(300_000);

const RUN = Math.random().toString(36).slice(2, 6);
const NAMESPACE = `fail-${RUN}`;
const labels = { 'app.kubernetes.io/name': 'cart', 'backstage.io/kubernetes-id': 'cart' };

const entity = (source: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'cart',
    namespace: 'default',
    annotations: {
      'driftwatch.io/source': `url:${source}`,
      'driftwatch.io/tier': '2',
      'backstage.io/kubernetes-id': 'cart',
      'backstage.io/kubernetes-namespace': NAMESPACE,
    },
  },
  spec: { type: 'service', owner: 'group:default/team-shop', lifecycle: 'production' },
});

const desired: KubeObject[] = [
  deployment('cart', NAMESPACE, { labels }),
  configMap('cart', NAMESPACE, labels),
  secret('cart-db', NAMESPACE, labels, { PASSWORD: Buffer.from('s3cret-in-git').toString('base64') }),
];

/** Serves the manifests over loopback HTTP, read through Backstage's UrlReader. */
async function serveManifests(): Promise<{ url: string; host: string; close(): void }> {
  const body = desired.map(o => stringify(o)).join('---\n');
  const http = createServer((req, res) => {
    if (req.url !== '/deploy/cart.yaml') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/yaml' }).end(body);
  });
  await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/deploy/cart.yaml`,
    host: `127.0.0.1:${port}`,
    close: () => http.close(),
  };
}

describe('failures on real API servers', () => {
  let alpha: RealCluster;
  let beta: RealCluster;
  let betaDir: string;
  let server: any;
  let git: Awaited<ReturnType<typeof serveManifests>>;

  const scan = async () => {
    const started = await request(server).post('/api/drift/scans').send({});
    expect(started.status).toBe(202);
    return started.body.id as string;
  };
  const finished = async (id: string) => {
    for (let i = 0; i < 600; i++) {
      const res = await request(server).get(`/api/drift/scans/${id}`);
      if (['succeeded', 'partial', 'failed'].includes(res.body.status)) return res.body;
      await new Promise(r => setTimeout(r, 100));
    }
    throw new Error(`scan ${id} did not finish`);
  };
  const resources = async () => {
    const res = await request(server).get('/api/drift/resources').query({ entityRef: 'component:default/cart' });
    expect(res.status).toBe(200);
    return Object.fromEntries(
      res.body.items.map((r: any) => [`${r.location} ${r.kind}`, r.error ? `${r.status}: ${r.error}` : r.status]),
    );
  };
  const findings = async () => {
    const res = await request(server).get('/api/drift/findings').query({ entityRef: 'component:default/cart' });
    return res.body.items.map((f: any) => `${f.location} ${f.resourceKey} ${f.status}`).sort();
  };
  const applyTo = async (cluster: RealCluster) => {
    await cluster.kubectl(['create', 'namespace', NAMESPACE]);
    await cluster.kubectl(['apply', '-f', '-'], desired.map(o => stringify(o)).join('---\n'));
  };

  beforeAll(async () => {
    betaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-kube-beta-'));
    [alpha, beta] = await Promise.all([startRealCluster(), startRealCluster(betaDir)]);
    await Promise.all([applyTo(alpha), applyTo(beta)]);
    git = await serveManifests();
    ({ server } = await startTestBackend({
      features: [
        driftPlugin,
        driftModuleKubernetes,
        catalogServiceMock.factory({ entities: [entity(git.url)] }),
        mockServices.rootConfig.factory({
          data: {
            backend: { reading: { allow: [{ host: git.host }] } },
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [
                { type: 'config', clusters: [clusterConfig('alpha', alpha), clusterConfig('beta', beta)] },
              ],
            },
            drift: {
              schedule: { frequency: { hours: 24 } },
              secretFingerprintKey: 'failures-test-key-of-at-least-32-characters',
              kubernetes: { requestTimeout: { seconds: 5 } },
            },
          },
        }),
      ],
    }));
  });

  afterAll(async () => {
    git?.close();
    await beta?.script('down');
    fs.rmSync(betaDir, { recursive: true, force: true });
  });

  it('keeps findings open through refused Secrets, a revoked token and an API server stopped mid-scan', async () => {
    // The read-only identity may not list Secrets: only the Secret is unknown, naming the 403;
    // nothing is missing, and the rest is compared.
    const first = await finished(await scan());
    expect(first.status).toBe('succeeded');
    const forbidden = /^unknown: Cannot read cluster '(alpha|beta)': GET \/api\/v1\/namespaces\/fail-\w+\/secrets answered 403/;
    expect(await resources()).toEqual({
      'alpha Deployment': 'in-sync',
      'alpha ConfigMap': 'in-sync',
      'alpha Secret': expect.stringMatching(forbidden),
      'beta Deployment': 'in-sync',
      'beta ConfigMap': 'in-sync',
      'beta Secret': expect.stringMatching(forbidden),
    });

    // Drift in beta opens a finding.
    await beta.kubectl(['-n', NAMESPACE, 'scale', 'deployment/cart', '--replicas=4']);
    expect((await finished(await scan())).status).toBe('succeeded');
    expect(await findings()).toEqual([`beta Deployment:${NAMESPACE}:cart active`]);

    // beta revokes the token (restarts without it) and its drift is put back: the finding
    // must stay open, since beta can no longer be read; alpha still completes.
    await beta.kubectl(['-n', NAMESPACE, 'scale', 'deployment/cart', '--replicas=2']);
    await beta.script('revoke-token');
    await alpha.kubectl(['-n', NAMESPACE, 'set', 'image', 'deployment/cart', 'cart=registry.example.com/cart:2.0.0']);
    const revoked = await finished(await scan());
    expect(revoked.status).toBe('partial');
    expect(revoked.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ location: 'beta', message: expect.stringContaining('401') })]),
    );
    expect(await resources()).toMatchObject({
      'alpha Deployment': 'drifted',
      'beta Deployment': expect.stringMatching(/^unknown: .*401/),
      'beta ConfigMap': expect.stringMatching(/^unknown: .*401/),
    });
    expect(await findings()).toEqual([
      `alpha Deployment:${NAMESPACE}:cart active`,
      `beta Deployment:${NAMESPACE}:cart active`,
    ]);

    // beta's API server freezes while a scan waits on it, and is then stopped for good.
    await beta.script('restore-token');
    await beta.kubectl(['-n', NAMESPACE, 'scale', 'deployment/cart', '--replicas=4']);
    const pid = Number(fs.readFileSync(path.join(beta.dir, 'apiserver.pid'), 'utf8'));
    process.kill(pid, 'SIGSTOP');
    const id = await scan();
    await new Promise(r => setTimeout(r, 1500));
    expect((await request(server).get(`/api/drift/scans/${id}`)).body.status).toBe('running');
    process.kill(pid, 'SIGKILL');
    const stopped = await finished(id);
    expect(stopped.status).toBe('partial');
    expect(stopped.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ location: 'beta' })]),
    );
    const after = await resources();
    expect(after['alpha Deployment']).toBe('drifted');
    expect(after['beta Deployment']).toMatch(/^unknown: Cannot read cluster 'beta'/);
    expect(await findings()).toEqual([
      `alpha Deployment:${NAMESPACE}:cart active`,
      `beta Deployment:${NAMESPACE}:cart active`,
    ]);
  });
});
