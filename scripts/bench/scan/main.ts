// `yarn bench:scan`: a full scan and a rescan of a 5,000-service catalog (50,000 objects in three
// clusters served by the loopback Kubernetes API fixture) through the real backend plugin, on
// SQLite and on PostgreSQL, each in a fresh process so its peak RSS is its own. The clusters
// live in this process; the engine alone diffing the same pairs is the baseline.
/* eslint-disable no-console */
import { fork } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { diffResources, parseManifests } from '@driftwatch/plugin-drift-common';
import {
  BUILTIN_RESOURCES,
  FakeKubeApiServer,
} from '../../../plugins/drift-backend-module-kubernetes/src/__testUtils__/FakeKubeApiServer';
import { CLUSTERS, generateServices, type Service } from './generate';
import type { RunOptions, RunResult } from './run';

const ENTITIES = Number(process.env.BENCH_ENTITIES ?? 5000);
const DRIFT_RATE = Number(process.env.BENCH_DRIFT_RATE ?? 0.05);
const DATABASES = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',');
/**
 * The backend's heap limit, as a deployment sets it (README, "Memory"): in a container Node sizes
 * it from the memory limit, a quarter of it; 1024 MB is what a 4 GiB pod gets. Without a limit V8
 * sizes the heap from the machine and, on a large one, lets garbage grow to about four times the
 * live heap before a full collection. `BENCH_HEAP_MB=0` measures that default.
 */
const HEAP_MB = Number(process.env.BENCH_HEAP_MB ?? 1024);

/** Git keeps a service's objects in a few files, by what they are for. */
const FILES: Record<string, string[]> = {
  'app.yaml': [
    'Deployment',
    'Service',
    'HorizontalPodAutoscaler',
    'PodDisruptionBudget',
  ],
  'config.yaml': ['ConfigMap', 'Secret'],
  'rbac.yaml': ['ServiceAccount', 'Role', 'RoleBinding'],
  'network.yaml': ['NetworkPolicy'],
};

async function writeManifests(
  dir: string,
  services: Service[],
): Promise<number> {
  let bytes = 0;
  for (const service of services) {
    const folder = path.join(dir, 'manifests', service.name);
    await fs.mkdir(folder, { recursive: true });
    for (const [file, kinds] of Object.entries(FILES)) {
      const text = service.desired
        .filter(o => kinds.includes(o.kind))
        .map(o => stringify(o))
        .join('---\n');
      bytes += text.length;
      await fs.writeFile(path.join(folder, file), text);
    }
  }
  return bytes;
}

/** The engine alone on the same pairs: parsing the Git YAML, then diffing. */
function engineOnly(services: Service[], manifests: Map<string, string[]>) {
  const start = performance.now();
  const parsed = services.map(service =>
    manifests.get(service.name)!.flatMap(text => parseManifests(text)),
  );
  const parseMs = performance.now() - start;
  let drifted = 0;
  services.forEach((service, i) => {
    const report = diffResources(parsed[i], service.live, {
      secretHashKey: 'bench',
    });
    drifted += report.resources.filter(r => r.status !== 'in-sync').length;
  });
  return { parseMs, ms: performance.now() - start - parseMs, drifted };
}

function runIn(database: string, options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'run.ts'), [], {
      execArgv: [
        ...(HEAP_MB > 0 ? [`--max-old-space-size=${HEAP_MB}`] : []),
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        ...(process.env.BENCH_MEMORY ? ['--expose-gc'] : []),
        ...(process.env.BENCH_CPU_PROF
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
          : []),

      ],
      env: {
        ...process.env,
        BENCH_RUN: JSON.stringify({ ...options, database }),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: RunResult | undefined;
    child.on('message', message => (result = message as RunResult));
    child.on('error', reject);
    child.on('exit', code =>
      result
        ? resolve(result)
        : reject(new Error(`bench run on ${database} exited with ${code}`)),
    );
  });
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);

async function main() {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'drift-bench-scan-'));
  const catalogFile = path.join(dir, 'catalog-info.yaml');
  const servers: FakeKubeApiServer[] = [];
  try {
    const services = generateServices({
      entities: ENTITIES,
      driftRate: DRIFT_RATE,
      catalogFile,
    });
    const bytes = await writeManifests(dir, services);
    await fs.writeFile(
      catalogFile,
      '# entities are served by the catalog mock\n',
    );
    await fs.writeFile(
      path.join(dir, 'entities.json'),
      JSON.stringify(services.map(s => s.entity)),
    );

    for (const cluster of CLUSTERS) {
      const server = await FakeKubeApiServer.start({
        resources: [
          ...BUILTIN_RESOURCES,
          {
            group: 'policy',
            version: 'v1',
            kind: 'PodDisruptionBudget',
            plural: 'poddisruptionbudgets',
            namespaced: true,
          },
        ],
      });
      server.add(
        ...services.filter(s => s.cluster === cluster).flatMap(s => s.live),
      );
      servers.push(server);
    }
    const objects = services.reduce((sum, s) => sum + s.live.length, 0);
    const liveBytes = services.reduce(
      (sum, s) =>
        sum + s.live.reduce((n, o) => n + JSON.stringify(o).length, 0),
      0,
    );
    console.log(
      `bench: ${
        services.length
      } entities, ${objects} live objects (${Math.round(
        liveBytes / 2 ** 20,
      )} MiB JSON) in ` +
        `${CLUSTERS.length} clusters, ${Math.round(
          bytes / 2 ** 20,
        )} MiB of Git YAML, ` +
        `${services.reduce((n, s) => n + s.drifted, 0)} objects edited live; ` +
        `backend heap limit ${
          HEAP_MB > 0 ? `${HEAP_MB} MB` : "V8's default for this machine"
        }`,
    );

    const manifests = new Map<string, string[]>();
    for (const service of services) {
      const folder = path.join(dir, 'manifests', service.name);
      manifests.set(
        service.name,
        await Promise.all(
          Object.keys(FILES).map(file =>
            fs.readFile(path.join(folder, file), 'utf8'),
          ),
        ),
      );
    }
    const engine = engineOnly(services, manifests);
    console.log(
      `engine only: diff ${seconds(engine.ms)} s for ${objects} pairs (${
        engine.drifted
      } not in sync), ` + `YAML parse ${seconds(engine.parseMs)} s`,
    );
    manifests.clear();

    const options: RunOptions = {
      dir,
      clusters: CLUSTERS.map((name, i) => ({ name, url: servers[i].url })),
    };
    const lines: string[] = [];
    for (const database of DATABASES) {
      const result = await runIn(database, options);
      for (const [pass, profile] of [
        ['full', result.fullProfile],
        ['rescan', result.rescanProfile],
      ] as const) {
        console.log(
          `${database} ${pass}: ${Object.entries(profile)
            .map(([phase, ms]) => `${phase} ${seconds(ms)} s`)
            .join(', ')}`,
        );
      }
      console.log(
        `${database}: ${result.resources} resources, ${result.findings} findings open, ` +
          `${servers.reduce(
            (n, s) => n + s.lists.length,
            0,
          )} LISTs so far; full scan ` +
          `${(result.fullMs / engine.ms).toFixed(1)}x the engine alone`,
      );
      lines.push(
        `scan: entities=${services.length} objects=${objects} full_s=${seconds(
          result.fullMs,
        )} ` +
          `rescan_s=${seconds(result.rescanMs)} peak_rss_mb=${
            result.peakRssMb
          } db=${database}`,
      );
    }
    for (const line of lines) console.log(line);
  } finally {
    await Promise.all(servers.map(s => s.stop()));
    await fs.rm(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
