// Against a real kube-apiserver (scripts/kube.sh): custom resources whose CRD defaults fields
// compare in sync, with the defaults read from the cluster and refreshed when the CRD changes.
import fs from 'node:fs';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { parse, stringify } from 'yaml';
import type { KubeObject } from '@driftwatch/plugin-drift-common';
import { component, request } from '../__testUtils__/fixtures';
import { DEFAULT_ALLOWED_KINDS } from '../target/entityScope';
import {
  realTarget,
  startRealCluster,
  type RealCluster,
} from '../__testUtils__/realCluster';

jest.setTimeout(120_000);

const CRD_FILE = path.resolve(__dirname, '../../../../examples/crds/backups.yaml');
const RUN = Math.random().toString(36).slice(2, 6);
const NAMESPACE = `crd-${RUN}`;

const READER_RBAC = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: driftwatch-reader-backups }
rules:
  - { apiGroups: [ops.driftwatch.io], resources: [backupschedules], verbs: [get, list] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: driftwatch-reader-backups }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: driftwatch-reader-backups }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: User, name: driftwatch }]
`;

const schedule: KubeObject = {
  apiVersion: 'ops.driftwatch.io/v1',
  kind: 'BackupSchedule',
  metadata: { name: 'nightly', namespace: NAMESPACE, labels: { 'backstage.io/kubernetes-id': 'orders' } },
  spec: {
    schedule: '0 2 * * *',
    targets: [{ name: 'orders-db', tags: ['pg', 'critical'] }, { name: 'carts-db' }],
  },
};

describe('custom resources on a real API server', () => {
  let cluster: RealCluster;

  beforeAll(async () => {
    cluster = await startRealCluster();
    await cluster.kubectl(['apply', '-f', CRD_FILE]);
    await cluster.kubectl([
      'wait', '--for=condition=Established', '--timeout=60s',
      'crd/backupschedules.ops.driftwatch.io',
    ]);
    await cluster.kubectl(['create', 'namespace', NAMESPACE]);
    await cluster.kubectl(['apply', '-f', '-'], READER_RBAC);
    await cluster.kubectl(['apply', '-f', '-'], stringify(schedule));
  });

  it('reads the CRD schema defaults from the cluster and follows changes to the CRD', async () => {
    const live = JSON.parse(
      await cluster.kubectl(['get', '-n', NAMESPACE, 'backupschedule/nightly', '-o', 'json']),
    );
    // The server did default what Git left out.
    expect(live.spec.retention).toEqual({ keepLast: 7, keepDaily: 14 });
    expect(live.spec.targets[1]).toEqual({ name: 'carts-db', timeoutSeconds: 300, compression: 'gzip' });

    // Custom kinds are read only where the operator allows them, in Driftwatch and in RBAC.
    const target = realTarget(
      { real: cluster },
      { allowedKinds: [...DEFAULT_ALLOWED_KINDS.map(({ apiVersion, kind }) => ({ apiVersion, kind })), { apiVersion: 'ops.driftwatch.io/v1', kind: 'BackupSchedule' }] },
    );
    const compare = async () => {
      const [result] = await target.compare(
        [request(component('orders', { 'backstage.io/kubernetes-id': 'orders', 'backstage.io/kubernetes-namespace': NAMESPACE }), [schedule])],
        { logger: mockServices.logger.mock() },
      );
      expect(result.errors).toEqual([]);
      return result.resources.map(r => r.diff);
    };

    expect((await compare()).map(d => [d.key, d.status])).toEqual([
      [`BackupSchedule:${NAMESPACE}:nightly`, 'in-sync'],
    ]);

    // A new defaulted field: the server applies it when it reads the stored object, so the
    // cached schema must follow the CRD's new resourceVersion for the CR to stay in sync.
    const crd = parse(fs.readFileSync(CRD_FILE, 'utf8'));
    crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.priority = {
      type: 'string',
      default: 'normal',
    };
    await cluster.kubectl(['apply', '-f', '-'], stringify(crd));
    let defaulted: string | undefined;
    for (let i = 0; i < 50 && defaulted !== 'normal'; i++) {
      await new Promise(resolve => setTimeout(resolve, 200));
      defaulted = JSON.parse(
        await cluster.kubectl(['get', '-n', NAMESPACE, 'backupschedule/nightly', '-o', 'json']),
      ).spec.priority;
    }
    expect(defaulted).toBe('normal');
    expect((await compare()).map(d => d.status)).toEqual(['in-sync']);

    // A real edit of a defaulted field is drift.
    await cluster.kubectl([
      'patch', '-n', NAMESPACE, 'backupschedule/nightly', '--type=merge',
      '-p', JSON.stringify({ spec: { retention: { keepLast: 3 } } }),
    ]);
    const [edited] = await compare();
    expect(edited.status).toBe('drifted');
    expect(edited.changes).toEqual([
      expect.objectContaining({ path: '/spec/retention/keepLast', live: 3, manager: 'kubectl-patch' }),
    ]);
  });
});
