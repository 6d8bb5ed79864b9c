// Against a real kube-apiserver (scripts/kube.sh): each edit a person makes with kubectl is
// found, classified, and attributed to the field manager the server recorded, and nothing else
// drifts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { stringify } from 'yaml';
import type { KubeObject, ResourceDiff } from '@driftwatch/plugin-drift-common';
import {
  configMap,
  deployment,
  linkedComponent,
  request,
  service,
} from '../__testUtils__/fixtures';
import {
  realTarget,
  startRealCluster,
  type RealCluster,
} from '../__testUtils__/realCluster';

jest.setTimeout(300_000);

const RUN = Math.random().toString(36).slice(2, 6);
const NAMESPACE = `edits-${RUN}`;
const labels = { 'app.kubernetes.io/name': 'cart', 'backstage.io/kubernetes-id': 'cart' };

function gitObjects(): KubeObject[] {
  const networkPolicy: KubeObject = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'cart', namespace: NAMESPACE, labels },
    spec: {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'cart' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { role: 'frontend' } } }] }],
    },
  };
  const serviceAccount: KubeObject = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'cart', namespace: NAMESPACE, labels },
  };
  return [
    deployment('cart', NAMESPACE, { image: 'registry.example.com/cart:1.14.2', labels }),
    service('cart', NAMESPACE),
    configMap('cart', NAMESPACE, labels, { LOG_LEVEL: 'info', CACHE_TTL: '60' }),
    networkPolicy,
    serviceAccount,
  ];
}

/** A kubectl edit without a terminal: the "editor" is a sed script. */
async function kubectlEdit(cluster: RealCluster, target: string, sed: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-edit-'));
  const editor = path.join(dir, 'editor.sh');
  fs.writeFileSync(editor, `#!/bin/sh\nsed -i '${sed}' "$1"\n`, { mode: 0o755 });
  try {
    await cluster.kubectl(['edit', '-n', NAMESPACE, target], undefined, {
      KUBE_EDITOR: editor,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function change(diff: ResourceDiff | undefined, pointer: string) {
  return diff?.changes.find(c => c.path === pointer);
}

describe('kubectl edits on a real API server', () => {
  let cluster: RealCluster;
  const desired = gitObjects();
  const scan = async () => {
    const target = realTarget({ real: cluster });
    const [result] = await target.compare(
      [request(linkedComponent('cart', NAMESPACE), desired)],
      { logger: mockServices.logger.mock(), diffOptions: { secretHashKey: 'edits' } },
    );
    expect(result.errors).toEqual([]);
    return new Map(result.resources.map(r => [r.diff.key, r.diff]));
  };

  beforeAll(async () => {
    cluster = await startRealCluster();
    await cluster.kubectl(['create', 'namespace', NAMESPACE]);
    await cluster.kubectl(
      ['apply', '-f', '-'],
      desired.map(object => stringify(object)).join('---\n'),
    );
  });

  it('finds every edit with its category and field manager, and nothing else', async () => {
    const before = await scan();
    expect([...before.values()].map(d => `${d.key} ${d.status}`)).toEqual(
      desired.map(o => `${o.kind}:${NAMESPACE}:${o.metadata.name} in-sync`),
    );

    const editedFrom = new Date(Math.floor(Date.now() / 1000) * 1000);
    const k = (...args: string[]) => cluster.kubectl(['-n', NAMESPACE, ...args]);
    await k('scale', 'deployment/cart', '--replicas=5');
    await k('set', 'image', 'deployment/cart', 'cart=registry.example.com/cart:1.15.0-rc1');
    await k('set', 'env', 'deployment/cart', 'FEATURE_FLAGS=checkout-v2');
    await k('set', 'resources', 'deployment/cart', '-c', 'cart', '--limits=memory=1Gi');
    await k('label', 'deployment/cart', 'team=night-shift');
    await k('annotate', 'deployment/cart', 'oncall.example.com/pager=alice');
    await k(
      'patch', 'deployment/cart', '--type=strategic', '-p',
      JSON.stringify({
        spec: { template: { spec: { containers: [{ name: 'cart', securityContext: { privileged: true } }] } } },
      }),
    );
    await k(
      'patch', 'deployment/cart', '--type=json', '-p',
      JSON.stringify([
        {
          op: 'add',
          path: '/spec/template/spec/containers/-',
          value: { name: 'debug', image: 'busybox:1.36', command: ['sleep', 'infinity'], securityContext: { privileged: true } },
        },
      ]),
    );
    await kubectlEdit(cluster, 'configmap/cart', 's/CACHE_TTL: "60"/CACHE_TTL: "3600"/');
    await k(
      'patch', 'service/cart', '--type=json', '-p',
      JSON.stringify([{ op: 'replace', path: '/spec/ports/0/port', value: 8080 }]),
    );
    await k('delete', 'networkpolicy/cart');
    await cluster.kubectl(
      ['create', '-f', '-'],
      stringify({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'cart-debug', namespace: NAMESPACE, labels },
        spec: { selector: { 'app.kubernetes.io/name': 'cart' }, ports: [{ port: 9229 }] },
      }),
    );
    const editedTo = new Date(Date.now() + 1000);

    const after = await scan();
    const key = (kind: string, name = 'cart') => `${kind}:${NAMESPACE}:${name}`;
    expect(Object.fromEntries([...after].map(([k2, d]) => [k2, d.status]))).toEqual({
      [key('Deployment')]: 'drifted',
      [key('Service')]: 'drifted',
      [key('ConfigMap')]: 'drifted',
      [key('NetworkPolicy')]: 'missing',
      [key('ServiceAccount')]: 'in-sync',
      [key('Service', 'cart-debug')]: 'extra',
    });

    const deploy = after.get(key('Deployment'));
    // [path, category, manager, subresource]: as the server recorded them in managedFields.
    // `kubectl scale` writes through the scale subresource as manager `kubectl`, with no time.
    const expected: Array<[string, string, string, string?]> = [
      ['/spec/replicas', 'Scaling', 'kubectl', 'scale'],
      ['/spec/template/spec/containers/0/image', 'VersionChange', 'kubectl-set'],
      ['/spec/template/spec/containers/0/env/0', 'ConfigurationChange', 'kubectl-set'],
      ['/spec/template/spec/containers/0/resources/limits/memory', 'ResourceChange', 'kubectl-set'],
      ['/metadata/labels/team', 'LabelChange', 'kubectl-label'],
      ['/metadata/annotations/oncall.example.com~1pager', 'AnnotationChange', 'kubectl-annotate'],
      ['/spec/template/spec/containers/0/securityContext/privileged', 'SecurityChange', 'kubectl-patch'],
      ['/spec/template/spec/containers/1', 'SecurityChange', 'kubectl-patch'],
    ];
    const found = expected.map(([p]) => {
      const c = change(deploy, p);
      return c && [p, c.category, c.manager, ...(c.subresource ? [c.subresource] : [])];
    });
    expect(found).toEqual(expected);
    // Nothing but the edits: the rollouts they caused (revision annotations, new ReplicaSets,
    // status) are not drift.
    expect(deploy!.changes.map(c => c.path).sort()).toEqual(expected.map(([p]) => p).sort());
    for (const c of deploy!.changes) {
      if (c.subresource) continue;
      const at = new Date(c.time!).getTime();
      expect(at).toBeGreaterThanOrEqual(editedFrom.getTime());
      expect(at).toBeLessThanOrEqual(editedTo.getTime());
    }

    expect(after.get(key('ConfigMap'))!.changes).toEqual([
      expect.objectContaining({
        path: '/data/CACHE_TTL',
        desired: '60',
        live: '3600',
        category: 'ConfigurationChange',
        manager: 'kubectl-edit',
      }),
    ]);
    // Service ports are matched by port and protocol, their merge key: a new port number is
    // the old port gone and a new one added, owned by whoever patched it.
    expect(after.get(key('Service'))!.changes).toEqual([
      expect.objectContaining({
        op: 'removed',
        field: 'spec.ports[port=80,protocol=TCP]',
        category: 'PortChange',
      }),
      expect.objectContaining({
        op: 'added',
        field: 'spec.ports[port=8080,protocol=TCP]',
        category: 'PortChange',
        manager: 'kubectl-patch',
      }),
    ]);
  });
});
