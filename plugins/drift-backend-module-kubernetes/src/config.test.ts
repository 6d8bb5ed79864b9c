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
      environments: [],
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
        environments: [
          { name: 'production', clusters: ['demo'] },
          { name: 'staging', clusters: ['demo-staging'], tier: 3 },
        ],
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
      environments: [
        { name: 'production', clusters: ['demo'], tier: undefined },
        { name: 'staging', clusters: ['demo-staging'], tier: 3 },
      ],
    });
  });

  it('refuses an environment tier outside 1 to 3', () => {
    const config = new ConfigReader({
      drift: { environments: [{ name: 'staging', clusters: ['s'], tier: 4 }] },
    });
    expect(() => readDriftKubernetesConfig(config)).toThrow(
      "drift.environments: the tier of 'staging' must be 1, 2 or 3, got 4",
    );
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
