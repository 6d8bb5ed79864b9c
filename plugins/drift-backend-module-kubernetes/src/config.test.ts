import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { readDriftKubernetesConfig } from './config';
import { DEFAULT_SCOPE_RULES } from './target/entityScope';
import { DEFAULT_EXTRA_KINDS } from './target/KubernetesLiveTarget';

describe('readDriftKubernetesConfig', () => {
  it('has defaults', () => {
    expect(readDriftKubernetesConfig(new ConfigReader({}))).toEqual({
      pageSize: 500,
      concurrency: 4,
      requestTimeoutMs: 30_000,
      extraKinds: DEFAULT_EXTRA_KINDS,
      scope: DEFAULT_SCOPE_RULES,
      allowInsecureHttp: [],
      snapshots: [],
    });
  });

  it('reads every key', () => {
    const config = new ConfigReader({
      drift: {
        kubernetes: {
          clusters: ['demo'],
          pageSize: 100,
          concurrency: 2,
          requestTimeout: '10s',
          extraKinds: [{ apiVersion: 'apps/v1', kind: 'Deployment' }],
          allowedKinds: [
            { apiVersion: 'cert-manager.io/v1', kind: 'Certificate' },
          ],
          clusterScopedKinds: [
            { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
          ],
          namespaces: { allow: ['team-*'], deny: ['team-secret'] },
          allowInsecureHttp: ['dev'],
          snapshots: [
            { cluster: 'demo', directory: 'examples/snapshots/demo' },
          ],
        },
      },
    });

    expect(readDriftKubernetesConfig(config)).toEqual({
      clusters: ['demo'],
      pageSize: 100,
      concurrency: 2,
      requestTimeoutMs: 10_000,
      extraKinds: [{ apiVersion: 'apps/v1', kind: 'Deployment' }],
      scope: {
        allowedKinds: [
          { apiVersion: 'cert-manager.io/v1', kind: 'Certificate' },
        ],
        clusterScopedKinds: [
          { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
        ],
        allowedNamespaces: ['team-*'],
        deniedNamespaces: ['team-secret'],
      },
      allowInsecureHttp: ['dev'],
      snapshots: [
        { cluster: 'demo', directory: path.resolve('examples/snapshots/demo') },
      ],
    });
  });

  it('accepts a duration object and rejects a page size of zero', () => {
    const read = (kubernetes: object) =>
      readDriftKubernetesConfig(new ConfigReader({ drift: { kubernetes } }));

    expect(read({ requestTimeout: { minutes: 1 } }).requestTimeoutMs).toBe(
      60_000,
    );
    expect(read({ extraKinds: [] }).extraKinds).toEqual([]);
    expect(() => read({ pageSize: 0 })).toThrow(
      'drift.kubernetes.pageSize must be a positive integer',
    );
  });
});
