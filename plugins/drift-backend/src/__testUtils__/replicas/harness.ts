import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { KubeObject } from '@driftwatch/plugin-drift-common';
import knexFactory, { type Knex } from 'knex';
import { stringify } from 'yaml';

// Real Driftwatch backends in child processes on one PostgreSQL database, against a fixture
// cluster served from the test process.

const ENTRY = path.resolve(__dirname, 'replicaBackend.ts');
const PACKAGE_DIR = path.resolve(__dirname, '../../..');

/** The PostgreSQL server of the tests; replica tests need one, as replicas share a database. */
export function postgresConnection(): string {
  const connection = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  if (!connection) {
    throw new Error(
      'Replica tests run backends on a shared PostgreSQL: start one with ' +
        '`source scripts/lib/postgres.sh && start_postgres` (scripts/test.sh does)',
    );
  }
  return connection;
}

/** Desired and live objects per entity name, served to every replica; live reads can be slowed. */
export class FixtureCluster {
  readonly desired = new Map<string, KubeObject[]>();
  readonly live = new Map<string, KubeObject[]>();
  liveDelayMs = 0;
  liveReads = 0;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FixtureCluster> {
    let cluster: FixtureCluster | undefined = undefined;
    const server = http.createServer((req, res) => {
      const match = /^\/entities\/([^/]+)\/(desired|live)$/.exec(req.url ?? '');
      if (!match || !cluster) {
        res.writeHead(404).end();
        return;
      }
      const [, name, side] = match;
      const send = () => {
        const objects = (side === 'desired' ? cluster!.desired : cluster!.live).get(decodeURIComponent(name)) ?? [];
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(objects));
      };
      if (side === 'live') {
        cluster.liveReads++;
        setTimeout(send, cluster.liveDelayMs);
      } else {
        send();
      }
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    cluster = new FixtureCluster(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return cluster;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise(resolve => this.server.close(resolve));
  }
}

export const deployment = (name: string, image: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop', labels: { 'backstage.io/kubernetes-id': name } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } },
  },
});

/** A catalog file, the databases' prefix and the drift settings the replicas of one test share. */
export class ReplicaWorld {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'drift-replicas-'));
  readonly prefix = `drift_replicas_${randomBytes(4).toString('hex')}_`;
  private drift?: Knex;

  constructor(
    readonly cluster: FixtureCluster,
    private readonly driftConfig: Record<string, unknown>,
  ) {}

  /** Writes the catalog file: tier-2 components linked to desired state. */
  writeCatalog(names: string[]) {
    const entity = (name: string) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name, annotations: { 'driftwatch.io/source': `file:./${name}`, 'driftwatch.io/tier': '2' } },
      spec: { type: 'service', owner: 'group:default/team-shop', lifecycle: 'production' },
    });
    writeFileSync(path.join(this.dir, 'catalog-info.yaml'), names.map(n => stringify(entity(n))).join('---\n'));
  }

  configFor(port: number): Record<string, unknown> {
    return {
      app: { baseUrl: 'http://127.0.0.1:3000' },
      backend: {
        baseUrl: `http://127.0.0.1:${port}`,
        listen: { host: '127.0.0.1', port },
        database: { client: 'pg', connection: postgresConnection(), prefix: this.prefix },
      },
      auth: { environment: 'development', providers: { guest: { dangerouslyAllowOutsideDevelopment: true } } },
      catalog: {
        rules: [{ allow: ['Component', 'Location'] }],
        locations: [{ type: 'file', target: path.join(this.dir, 'catalog-info.yaml') }],
      },
      drift: this.driftConfig,
      driftFixture: { url: this.cluster.url },
    };
  }

  /** The drift plugin's database, as the replicas share it. */
  database(): Knex {
    if (!this.drift) {
      const url = new URL(postgresConnection());
      url.pathname = `/${this.prefix}drift`;
      this.drift = knexFactory({ client: 'pg', connection: url.toString(), pool: { min: 0, max: 2 } });
    }
    return this.drift;
  }

  /** Drops the test's databases and files. */
  async destroy(): Promise<void> {
    await this.drift?.destroy();
    const admin = knexFactory({ client: 'pg', connection: postgresConnection(), pool: { min: 0, max: 1 } });
    try {
      const rows: Array<{ datname: string }> = (
        await admin.raw('select datname from pg_database where datname like ?', [`${this.prefix}%`])
      ).rows;
      for (const { datname } of rows) await admin.raw('drop database if exists ?? with (force)', [datname]);
    } finally {
      await admin.destroy();
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

/** Polls `probe` until it returns a value; generous, as other test suites share the machine. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

/** One backend process. */
export class Replica {
  private output: string[] = [];
  private token?: string;
  readonly exited: Promise<number | null>;

  private constructor(
    readonly name: string,
    readonly url: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 400) this.output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise(resolve => child.once('exit', code => resolve(code)));
  }

  static async start(world: ReplicaWorld, name: string): Promise<Replica> {
    const port = await freePort();
    const configFile = path.join(world.dir, `app-config.${name}.yaml`);
    writeFileSync(configFile, stringify(world.configFor(port)));
    const child = spawn(
      process.execPath,
      ['--require', require.resolve('@backstage/cli/config/nodeTransform.cjs'), ENTRY, '--config', configFile],
      {
        cwd: PACKAGE_DIR,
        env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info' },
        // The IPC channel closes with the test process: the replica then exits (replicaBackend.ts).
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      },
    );
    const replica = new Replica(name, `http://127.0.0.1:${port}`, child);
    let exitCode: number | null | undefined = undefined;
    replica.exited.then(code => {
      exitCode = code;
    });
    try {
      await waitFor(`${name} to be ready`, async () => {
        if (exitCode !== undefined) throw new Error(`exited with ${exitCode}`);
        const res = await fetch(`${replica.url}/.backstage/health/v1/readiness`);
        return res.ok ? true : undefined;
      });
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(`Replica ${name} did not start: ${error}\n${replica.logs()}`);
    }
    return replica;
  }

  logs(): string {
    return this.output.join('').split('\n').slice(-60).join('\n');
  }

  /** A guest user's token, for the routes that act for a person. */
  async userToken(): Promise<string> {
    if (!this.token) {
      const res = await fetch(`${this.url}/api/auth/guest/refresh?env=development`, {
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      });
      if (!res.ok) throw new Error(`guest sign-in on ${this.name}: HTTP ${res.status} ${await res.text()}`);
      this.token = ((await res.json()) as any).backstageIdentity.token as string;
    }
    return this.token!;
  }

  async request(method: 'GET' | 'POST', route: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${await this.userToken()}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  /** The components the catalog of this replica lists. */
  async catalogNames(): Promise<string[]> {
    const { body } = await this.request('GET', '/api/catalog/entities?filter=kind=component');
    return (body as Array<{ metadata: { name: string } }>).map(e => e.metadata.name).sort();
  }

  /** Dies at once, as with `kill -9`: no shutdown hook runs. */
  async kill9(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** What the shared database holds, for the assertions of replica tests. */
export async function storedState(db: Knex) {
  const scans = await db('drift_scans').orderBy('queued_at');
  const findings = await db('drift_findings').orderBy('resource_key');
  const events = await db('drift_events').whereNotNull('finding_id').orderBy('id');
  const intents = await db('drift_routing_outbox').orderBy('id');
  const count = <T>(items: T[], key: (item: T) => string) => {
    const counts = new Map<string, number>();
    for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
    return counts;
  };
  return {
    scans,
    findings,
    events,
    intents,
    /** Lifecycle events of each finding, by finding id and type. */
    eventCounts: count(events, e => `${e.finding_id} ${e.type}`),
    /** Routing intents, by finding, action and outcome. */
    intentCounts: count(intents, i => `${i.finding_id} ${i.action} ${i.outcome}`),
  };
}
