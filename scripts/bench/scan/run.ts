// One database's run of the scan bench, in its own process: starts the drift backend with the
// Kubernetes module, scans the whole catalog twice over HTTP and reports times and peak RSS.
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import inspector from 'node:inspector';
import type { AddressInfo } from 'node:net';
import knexFactory, { type Knex } from 'knex';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import driftPlugin from '@driftwatch/plugin-drift-backend';
import { DriftStore } from '../../../plugins/drift-backend/src/store/DriftStore';
import driftModuleKubernetes from '@driftwatch/plugin-drift-backend-module-kubernetes';
import { KubernetesManifestSource } from '../../../plugins/drift-backend-module-kubernetes/src/source/KubernetesManifestSource';
import { KubernetesLiveTarget } from '../../../plugins/drift-backend-module-kubernetes/src/target/KubernetesLiveTarget';
import { ClusterComparison } from '../../../plugins/drift-backend-module-kubernetes/src/target/ClusterComparison';

export interface RunOptions {
  dir: string;
  clusters: Array<{ name: string; url: string }>;
}

export interface RunResult {
  fullMs: number;
  rescanMs: number;
  peakRssMb: number;
  resources: number;
  findings: number;
  fullProfile: Record<string, number>;
  rescanProfile: Record<string, number>;
}

/** Wall time spent inside some methods; the scanner awaits them one after another. */
const spent: Record<string, number> = {};
function measure(phase: string, prototype: any, method: string) {
  const original = prototype[method];
  prototype[method] = function measured(this: unknown, ...args: unknown[]) {
    const start = performance.now();
    const done = () =>
      (spent[phase] = (spent[phase] ?? 0) + performance.now() - start);
    const result = original.apply(this, args);
    if (result && typeof result.then === 'function')
      return result.finally(done);
    done();
    return result;
  };
}
measure('source read', KubernetesManifestSource.prototype, 'readDesired');
measure('LIST+diff', KubernetesLiveTarget.prototype, 'compare');
measure('diff', ClusterComparison.prototype, 'compareEntity');
measure('store', DriftStore.prototype, 'applyEntityResult');

function profile(): Record<string, number> {
  const { diff = 0, ...rest } = spent;
  const out = { ...rest, LIST: (rest['LIST+diff'] ?? 0) - diff, diff };
  delete (out as Record<string, number>)['LIST+diff'];
  for (const key of Object.keys(spent)) delete spent[key];
  return out;
}

async function connect(
  database: string,
  dir: string,
): Promise<{ knex: Knex; drop: () => Promise<void> }> {
  if (database === 'sqlite') {
    const filename = path.join(dir, `drift-${process.pid}.sqlite`);
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename },
      useNullAsDefault: true,
    });
    return { knex, drop: async () => fs.rmSync(filename, { force: true }) };
  }
  const url = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  if (!url)
    throw new Error(
      'PostgreSQL: BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is not set',
    );
  const name = `drift_bench_${process.pid}`;
  const admin = knexFactory({ client: 'pg', connection: url });
  await admin.raw(`CREATE DATABASE ${name}`);
  const connection = new URL(url);
  connection.pathname = `/${name}`;
  const knex = knexFactory({ client: 'pg', connection: connection.href });
  return {
    knex,
    drop: async () => {
      await admin.raw(`DROP DATABASE IF EXISTS ${name}`);
      await admin.destroy();
    },
  };
}

/**
 * With BENCH_MEMORY set (the process then runs with --expose-gc): the heap in use before and
 * after a full collection, which tells what the backend keeps from what it merely allocated.
 */
function logMemory(when: string) {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!process.env.BENCH_MEMORY || !gc) return;
  const mb = (n: number) => Math.round(n / 2 ** 20);
  const before = process.memoryUsage();
  gc();
  const after = process.memoryUsage();
  // eslint-disable-next-line no-console
  console.log(
    `memory ${when}: rss ${mb(before.rss)} MB, heap ${mb(before.heapTotal)} MB of which used ${mb(before.heapUsed)} MB, ` +
      `after a full collection ${mb(after.heapUsed)} MB (external ${mb(after.external)} MB, ` +
      `array buffers ${mb(after.arrayBuffers)} MB), peak rss ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
  );
}

/** With BENCH_MEMORY set: the heap and RSS every second, to see when the peak comes. */
function sampleMemory(label: string): () => void {
  if (!process.env.BENCH_MEMORY) return () => {};
  const mb = (n: number) => Math.round(n / 2 ** 20);
  const start = performance.now();
  const samples: string[] = [];
  const timer = setInterval(() => {
    const { rss, heapUsed, heapTotal } = process.memoryUsage();
    samples.push(`${Math.round((performance.now() - start) / 1000)}s ${mb(rss)}/${mb(heapTotal)}/${mb(heapUsed)}`);
  }, 1000);
  return () => {
    clearInterval(timer);
    // eslint-disable-next-line no-console
    console.log(`memory during the ${label} (rss/heap/used MB): ${samples.join(', ')}`);
  };
}

/**
 * With BENCH_HEAP_PROF set to a folder: where the full scan allocates what outlives the young
 * generation (kept, or collected only by a full collection: what grows the peak), as a sampled
 * heap profile (open it in Chrome's DevTools, Memory tab).
 */
async function profileAllocations(): Promise<() => Promise<void>> {
  const dir = process.env.BENCH_HEAP_PROF;
  if (!dir) return async () => {};
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post('HeapProfiler.startSampling', {
    samplingInterval: 64 * 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: false,
  });
  return async () => {
    const { profile: allocations } = await post('HeapProfiler.stopSampling');
    const file = path.join(dir, 'full-scan.heapprofile');
    fs.writeFileSync(file, JSON.stringify(allocations));
    session.disconnect();
    // eslint-disable-next-line no-console
    console.log(`allocation profile of the full scan: ${file}`);
  };
}

/** With BENCH_HEAP_SNAPSHOT set to a folder: what the backend keeps after a scan. */
function writeHeapSnapshot(when: string) {
  const dir = process.env.BENCH_HEAP_SNAPSHOT;
  if (!dir) return;
  // eslint-disable-next-line no-console
  console.log(`heap snapshot ${when}: ${v8.writeHeapSnapshot(path.join(dir, `${when}.heapsnapshot`))}`);
}

async function scan(base: string): Promise<number> {
  const start = performance.now();
  const created = await fetch(`${base}/api/drift/scans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (created.status !== 202)
    throw new Error(
      `POST /scans answered ${created.status}: ${await created.text()}`,
    );
  const { id } = await created.json();
  for (;;) {
    await new Promise(resolve => setTimeout(resolve, 100));
    const scanned = await (await fetch(`${base}/api/drift/scans/${id}`)).json();
    if (scanned.status === 'queued' || scanned.status === 'running') continue;
    if (scanned.status !== 'succeeded') {
      throw new Error(
        `scan ${scanned.status}: ${JSON.stringify(scanned.errors).slice(
          0,
          2000,
        )}`,
      );
    }
    return performance.now() - start;
  }
}

async function main() {
  const { database, dir, clusters } = JSON.parse(
    process.env.BENCH_RUN!,
  ) as RunOptions & { database: string };
  const entities = JSON.parse(
    fs.readFileSync(path.join(dir, 'entities.json'), 'utf8'),
  );
  const { knex, drop } = await connect(database, dir);
  const backend = await startTestBackend({
    features: [
      driftPlugin,
      driftModuleKubernetes,
      catalogServiceMock.factory({ entities }),
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            serviceLocatorMethod: { type: 'multiTenant' },
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: clusters.map(c => ({
                  name: c.name,
                  url: c.url,
                  authProvider: 'serviceAccount',
                  serviceAccountToken: 'bench',
                })),
              },
            ],
          },
          drift: {
            schedule: { frequency: { hours: 24 } },
            environments: clusters.map(c => ({
              name: c.name,
              clusters: [c.name],
            })),
            kubernetes: { allowInsecureHttp: clusters.map(c => c.name) },
            fileLocations: { roots: [dir] },
          },
        },
      }),
    ],
  });
  try {
    const base = `http://127.0.0.1:${
      (backend.server.address() as AddressInfo).port
    }`;
    let sampled = sampleMemory('full scan');
    const allocated = await profileAllocations();
    const fullMs = await scan(base);
    await allocated();
    sampled();
    const fullProfile = profile();
    logMemory('after the full scan');
    writeHeapSnapshot('full-scan');
    sampled = sampleMemory('rescan');
    const rescanMs = await scan(base);
    sampled();
    const rescanProfile = profile();
    logMemory('after the rescan');
    const [{ count: resources }] = await knex('drift_resources').count({
      count: '*',
    });
    const [{ count: findings }] = await knex('drift_findings')
      .where('status', 'active')
      .count({ count: '*' });
    const result: RunResult = {
      fullMs,
      rescanMs,
      // maxRSS is in kilobytes.
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      resources: Number(resources),
      findings: Number(findings),
      fullProfile,
      rescanProfile,
    };
    process.send!(result);
  } finally {
    await backend.stop();
    await knex.destroy();
    await drop();
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
