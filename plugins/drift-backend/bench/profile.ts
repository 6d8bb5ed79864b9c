/* eslint-disable no-console */
import knexFactory from 'knex';
import { DriftStore } from '../src/store/DriftStore';

// Times store reads directly on a seeded database:
// `node --require <transform> bench/profile.ts <sqlite file | postgres url> [case name prefix]`.
// DRIFT_PROFILE_QUERIES=1 prints each SQL statement's time; DRIFT_PROFILE_PRAGMAS='a=1;b=2' sets
// SQLite pragmas on the connection first.
async function main() {
  const target = process.argv[2];
  const db = target.startsWith('postgres')
    ? knexFactory({ client: 'pg', connection: target })
    : knexFactory({ client: 'better-sqlite3', connection: { filename: target }, useNullAsDefault: true });
  for (const pragma of (process.env.DRIFT_PROFILE_PRAGMAS ?? '').split(';').filter(Boolean)) await db.raw(`pragma ${pragma}`);
  let t = performance.now();
  await db.migrate.latest({ directory: `${__dirname}/../migrations`, tableName: 'drift_knex_migrations' });
  console.log('migrate', (performance.now() - t).toFixed(0));
  const refs = (await db('drift_entities').select('entity_ref')).map(r => r.entity_ref);
  // A store of its own per read: the queries themselves are timed, not the store's cache.
  const scoped = () => new DriftStore(db).withScope({ visibleEntityRefs: refs });
  const store = new Proxy({} as DriftStore, {
    get: (_, name) => {
      const fresh: any = scoped();
      return fresh[name].bind(fresh);
    },
  });
  const now = new Date();
  const from = new Date(now.getTime() - 30 * 86_400_000);
  const f = await store.listFindings({ filter: {}, sort: 'severity', order: 'desc', limit: 1 });
  const entityRef = f.items[0].entityRef;
  const cases: Array<[string, () => Promise<unknown>]> = [
    ['list open', () => store.listFindings({ filter: { status: ['active', 'acknowledged', 'suppressed'] }, sort: 'severity', order: 'desc', limit: 50 })],
    ['list provider', () => store.listFindings({ filter: { provider: ['terraform'] }, sort: 'severity', order: 'desc', limit: 50 })],
    ['list', () => store.listFindings({ filter: {}, sort: 'severity', order: 'desc', limit: 50 })],
    ['list category', () => store.listFindings({ filter: { category: ['SecurityChange'] }, sort: 'severity', order: 'desc', limit: 50 })],
    ['list env', () => store.listFindings({ filter: { environment: ['staging'] }, sort: 'severity', order: 'desc', limit: 50 })],
    ['stats day', () => store.statistics({ from, to: now, groupBy: 'day', filter: {} })],
    ['stats owner', () => store.statistics({ from, to: now, groupBy: 'owner', filter: {} })],
    ['stats category', () => store.statistics({ from, to: now, groupBy: 'category', filter: {} })],
    ['surface', () => store.surface({})],
    ['trends', () => store.trends({ from: new Date(now.getTime() - 90 * 86_400_000), to: now })],
    ['report', () => store.reviewReport(new Date(now.getTime() - 14 * 86_400_000), now)],
    ['routing', () => store.routingSummary(from, now)],
    ['events', () => store.events({ from: new Date(now.getTime() - 90 * 86_400_000), to: now, limit: 1000 })],
    ['events entity', () => store.events({ from: new Date(now.getTime() - 90 * 86_400_000), to: now, entityRef: [entityRef], limit: 1000 })],
    ['events human', () => store.events({ from, to: now, types: ['acknowledged', 'suppressed'], actor: 'human', limit: 1000 })],
  ];
  const only = process.argv[3];
  if (process.env.DRIFT_PROFILE_QUERIES) {
    const started = new Map<string, number>();
    db.on('query', q => started.set(q.__knexQueryUid, performance.now()));
    db.on('query-response', (_r, q) =>
      console.log('   ', (performance.now() - started.get(q.__knexQueryUid)!).toFixed(1), 'ms', q.sql.replace(/\$\d+|\?/g, '').slice(0, 150)),
    );
  }
  for (const [name, run] of cases) {
    if (only && !name.startsWith(only)) continue;
    await run();
    t = performance.now();
    for (let i = 0; i < 3; i++) await run();
    console.log(name.padEnd(16), ((performance.now() - t) / 3).toFixed(1), 'ms');
  }
  await db.destroy();
}
main();
