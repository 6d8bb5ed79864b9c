#!/usr/bin/env node
// `yarn bench:api`: the read routes' latency with a production volume of data, on SQLite and on
// PostgreSQL. For each database: seed it (scripts/seed.mjs), start the drift backend on it
// (bench/backend.ts), time every read route (a warm-up, then sequential samples), then hold a
// fixed rate of mixed requests with autocannon. Prints a table per database and, last, one
// summary line per database (PostgreSQL last).
//
// Options: --findings, --events, --entities (seed volume), --samples (per route, default 40),
// --rate (requests/s, default 200), --duration (s, default 60), --db sqlite,postgres,
// --reuse (keep a database seeded by an earlier run with the same volume).
// PostgreSQL comes from DRIFT_BENCH_POSTGRES_URL or BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
// (scripts/bench-api.sh starts one).
/* eslint-disable no-console */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connect, seed } from '../scripts/seed.mjs';

const PACKAGE = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCRATCH = resolve(PACKAGE, '../../.scratch/bench-api');
const DAY_MS = 86_400_000;

const { values: args } = parseArgs({
  options: {
    findings: { type: 'string', default: '200000' },
    events: { type: 'string', default: '2000000' },
    entities: { type: 'string', default: '5000' },
    samples: { type: 'string', default: '40' },
    rate: { type: 'string', default: '200' },
    duration: { type: 'string', default: '60' },
    db: { type: 'string', default: 'sqlite,postgres' },
    reuse: { type: 'boolean', default: false },
  },
});
const volume = { findings: Number(args.findings), events: Number(args.events), entities: Number(args.entities) };

const freePort = () =>
  new Promise((ok, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
    server.on('error', fail);
  });

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** Whether the database still holds what a run seeded (a throwaway PostgreSQL does not). */
async function holdsSeed(kind, target) {
  if (kind === 'sqlite' && !existsSync(target.sqlite)) return false;
  const db = await connect(target).catch(() => undefined);
  if (!db) return false;
  try {
    const [{ n }] = await db('drift_findings').count({ n: '*' });
    return Number(n) >= volume.findings;
  } catch {
    return false;
  } finally {
    await db.destroy();
  }
}

/** The database a run uses: seeded now, or kept from an earlier run of the same volume. */
async function prepareDatabase(kind, dir) {
  const postgresUrl = process.env.DRIFT_BENCH_POSTGRES_URL ?? process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  if (kind === 'postgres' && !postgresUrl) {
    throw new Error('No PostgreSQL: run `yarn bench:api` from the repository root, or set DRIFT_BENCH_POSTGRES_URL');
  }
  // The backend's plugin database: backstage_plugin_drift on PostgreSQL, drift.sqlite in a directory on SQLite.
  const target =
    kind === 'sqlite'
      ? { sqlite: resolve(dir, 'sqlite/drift.sqlite') }
      : { postgres: new URL('/backstage_plugin_drift', postgresUrl).toString() };
  const marker = resolve(dir, 'seeded.json');
  const seededWith = existsSync(marker) ? readFileSync(marker, 'utf8') : '';
  if (!(args.reuse && seededWith === JSON.stringify(volume) && (await holdsSeed(kind, target)))) {
    rmSync(resolve(dir, 'sqlite'), { recursive: true, force: true });
    mkdirSync(resolve(dir, 'sqlite'), { recursive: true });
    if (kind === 'postgres') {
      const admin = await connect({ postgres: new URL('/postgres', postgresUrl).toString() });
      await admin.raw('drop database if exists backstage_plugin_drift with (force)');
      await admin.destroy();
    }
    const db = await connect(target);
    const started = Date.now();
    const counts = await seed(db, volume);
    await db.destroy();
    console.log(`${kind}: seeded ${JSON.stringify(counts)} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    writeFileSync(marker, JSON.stringify(volume));
  }
  const db = await connect(target);
  const entityRefs = (await db('drift_entities').select('entity_ref')).map(r => r.entity_ref);
  await db.destroy();
  const database =
    kind === 'sqlite'
      ? { client: 'better-sqlite3', connection: { directory: resolve(dir, 'sqlite') } }
      : { client: 'pg', connection: postgresUrl };
  return { database, entityRefs };
}

/** Starts bench/backend.ts on the database; resolves once the drift plugin answers. */
async function startBackend(dir, database, entityRefs) {
  const port = await freePort();
  const token = randomBytes(24).toString('hex');
  writeFileSync(resolve(dir, 'entities.json'), JSON.stringify(entityRefs));
  writeFileSync(
    resolve(dir, 'app-config.json'),
    JSON.stringify({
      backend: {
        baseUrl: `http://127.0.0.1:${port}`,
        listen: { host: '127.0.0.1', port },
        database,
        auth: { externalAccess: [{ type: 'static', options: { token, subject: 'drift-bench' } }] },
      },
      permission: { enabled: true },
      // Nothing to scan (no sources are installed); a round a day keeps the scheduler quiet.
      drift: { schedule: { frequency: { hours: 24 } } },
    }),
  );
  const transform = createRequire(import.meta.url).resolve('@backstage/cli-node/config/nodeTransform.cjs');
  const log = openSync(resolve(dir, 'backend.log'), 'w');
  const child = spawn(
    process.execPath,
    ['--require', transform, 'bench/backend.ts', '--config', resolve(dir, 'app-config.json')],
    {
      cwd: PACKAGE,
      env: { ...process.env, NODE_ENV: 'production', DRIFT_BENCH_ENTITIES: resolve(dir, 'entities.json') },
      stdio: ['ignore', log, log],
    },
  );
  const base = `http://127.0.0.1:${port}/api/drift`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The backend exited; see ${dir}/backend.log`);
    if (Date.now() > deadline) throw new Error(`The backend did not start; see ${dir}/backend.log`);
    const ok = await fetch(`${base}/findings?limit=1`, { headers: { authorization: `Bearer ${token}` } })
      .then(r => r.ok)
      .catch(() => false);
    if (ok) break;
    await new Promise(r => setTimeout(r, 1000));
  }
  return { base, token, stop: () => child.kill('SIGTERM') };
}

/** Every read route, with the filters and sorts its callers use. */
async function readRoutes(get) {
  const first = await get('/findings?limit=1');
  const finding = first.items[0];
  const page = await get('/findings?limit=50');
  const [kind, rest] = finding.entityRef.split(':');
  const [namespace, name] = rest.split('/');
  const entityPath = `/entities/${kind}/${namespace}/${name}`;
  const days = n => encodeURIComponent(new Date(Date.now() - n * DAY_MS).toISOString());
  const open = 'status=active&status=acknowledged&status=suppressed';
  const sorts = ['severity', 'firstDetected', 'lastSeen', 'slaDue', 'score'];
  const health = await get('/health');
  return [
    ['findings', '/findings'],
    ['findings open (tracker)', `/findings?${open}&limit=50`],
    ...sorts.flatMap(sort => [
      [`findings sort=${sort} desc`, `/findings?sort=${sort}&order=desc&limit=50`],
      [`findings sort=${sort} asc`, `/findings?sort=${sort}&order=asc&limit=50`],
    ]),
    ['findings next page', `/findings?limit=50&cursor=${encodeURIComponent(page.nextCursor)}`],
    ['findings owner', `/findings?owner=${encodeURIComponent(finding.owner)}&${open}`],
    ['findings entityRef', `/findings?entityRef=${encodeURIComponent(finding.entityRef)}`],
    ['findings tier=1', `/findings?tier=1&${open}`],
    ['findings severity=critical', `/findings?severity=critical&${open}`],
    ['findings category', '/findings?category=SecurityChange'],
    ['findings provider', '/findings?provider=terraform'],
    ['findings environment', '/findings?environment=staging'],
    ['findings location', '/findings?location=prod-eu-1&sort=slaDue&order=asc'],
    ['findings breached', `/findings?breached=true&${open}&limit=500`],
    ['finding', `/findings/${finding.id}`],
    ['resources', '/resources'],
    ['resources entityRef', `/resources?entityRef=${encodeURIComponent(finding.entityRef)}`],
    ['events', '/events'],
    ['events human', `/events?actor=human&type=acknowledged&type=suppressed&from=${days(30)}`],
    ['events entityRef', `/events?entityRef=${encodeURIComponent(finding.entityRef)}`],
    ...['day', 'owner', 'tier', 'category'].map(groupBy => [
      `statistics groupBy=${groupBy}`,
      `/statistics?groupBy=${groupBy}&from=${days(30)}`,
    ]),
    ['statistics owner filtered', `/statistics?groupBy=day&from=${days(30)}&owner=${encodeURIComponent(finding.owner)}`],
    ['surface', `/surface`],
    ['trends', '/trends'],
    ['report json', '/report'],
    ['report csv', '/report?format=csv'],
    ['report markdown', '/report?format=markdown'],
    ['entity summary', `${entityPath}/summary`],
    ['entity environments', `${entityPath}/environments`],
    ['routing policy', '/routing/policy'],
    ['routing summary', `/routing/summary?from=${days(30)}`],
    ['gate', `/gate?entityRef=${encodeURIComponent(finding.entityRef)}`],
    ['scan', `/scans/${health.lastScan.id}`],
    ['health', '/health'],
  ];
}

async function measure(base, token, routes, samples) {
  const headers = { authorization: `Bearer ${token}` };
  const results = [];
  for (const [name, path] of routes) {
    const times = [];
    let errors = 0;
    let bytes = 0;
    let first = 0;
    for (let i = 0; i < samples + 3; i++) {
      const started = performance.now();
      const response = await fetch(`${base}${path}`, { headers });
      const body = await response.arrayBuffer();
      const ms = performance.now() - started;
      if (!response.ok) {
        errors++;
        if (errors === 1) console.log(`  ${name}: ${response.status} ${Buffer.from(body).toString().slice(0, 200)}`);
      }
      bytes = body.byteLength;
      if (i === 0) first = ms;
      // The first requests warm caches (the catalog's answer, prepared statements, pages, the
      // store's answers); the first one's time is printed as what a reader meets after a change.
      if (i >= 3) times.push(ms);
    }
    times.sort((a, b) => a - b);
    results.push({ name, path, first, p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), errors, bytes });
  }
  return results;
}

/** A fixed rate of mixed requests (the pages' own mix) over loopback. */
async function load(base, token, routes, rate, duration) {
  const mix = routes.filter(([name]) => !name.startsWith('report') && name !== 'health').map(([, path]) => path);
  const url = new URL(base);
  const result = await autocannon({
    url: url.origin,
    // Clients enough that one slow answer does not hold back the rate offered.
    connections: 50,
    overallRate: rate,
    duration,
    headers: { authorization: `Bearer ${token}` },
    requests: mix.map(path => ({ method: 'GET', path: `${url.pathname}${path}` })),
  });
  const errors = result.errors + result.timeouts + result.non2xx;
  return { requests: result.requests.total, errors, p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max };
}

const pad = (value, width) => String(value).padEnd(width);
const ms = value => value.toFixed(1).padStart(8);

async function run(kind) {
  const dir = resolve(SCRATCH, kind);
  mkdirSync(dir, { recursive: true });
  const { database, entityRefs } = await prepareDatabase(kind, dir);
  const backend = await startBackend(dir, database, entityRefs);
  try {
    const get = path =>
      fetch(`${backend.base}${path}`, { headers: { authorization: `Bearer ${backend.token}` } }).then(async r => {
        if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
        return r.json();
      });
    const routes = await readRoutes(get);
    const results = await measure(backend.base, backend.token, routes, Number(args.samples));
    console.log(`\n${kind}: ${volume.findings} findings, ${volume.events} events, ${args.samples} samples per route`);
    console.log(`${pad('route', 32)} ${'first ms'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'kB'.padStart(8)} errors`);
    for (const r of results) {
      console.log(`${pad(r.name, 32)} ${ms(r.first)} ${ms(r.p50)} ${ms(r.p95)} ${ms(r.p99)} ${(r.bytes / 1024).toFixed(0).padStart(8)} ${r.errors}`);
    }
    const loaded = await load(backend.base, backend.token, routes, Number(args.rate), Number(args.duration));
    console.log(
      `load: ${args.rate} requests/s for ${args.duration} s: ${loaded.requests} requests, ${loaded.errors} errors, ` +
        `p50 ${loaded.p50} ms, p99 ${loaded.p99} ms, max ${loaded.max} ms`,
    );
    const worst = results.reduce((a, b) => (b.p95 > a.p95 ? b : a));
    const slowestFirst = results.reduce((a, b) => (b.first > a.first ? b : a));
    console.log(`first request after a change: slowest ${slowestFirst.name} ${slowestFirst.first.toFixed(1)} ms`);
    const errors = results.reduce((sum, r) => sum + r.errors, 0) + loaded.errors;
    return (
      `api: findings=${volume.findings} events=${volume.events} p95_ms=${worst.p95.toFixed(1)} worst=${worst.name.replace(/ /g, '_')} ` +
      `errors=${errors} load_p99_ms=${loaded.p99} db=${kind}`
    );
  } finally {
    backend.stop();
  }
}

const kinds = args.db.split(',').sort((a, b) => (a === 'postgres') - (b === 'postgres'));
const lines = [];
for (const kind of kinds) lines.push(await run(kind));
console.log('');
for (const line of lines) console.log(line);
