import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { readDriftKubernetesConfig } from './config';
import { DEFAULT_EXTRA_KINDS } from './target/KubernetesLiveTarget';

describe('readDriftKubernetesConfig', () => {
  it('has defaults', () => {
    expect(readDriftKubernetesConfig(new ConfigReader({}))).toEqual({
      pageSize: 500,
      concurrency: 4,
      requestTimeoutMs: 30_000,
      extraKinds: DEFAULT_EXTRA_KINDS,
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
