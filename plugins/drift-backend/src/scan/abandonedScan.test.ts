import {
  deployment,
  FixtureCluster,
  Replica,
  ReplicaWorld,
  storedState,
  waitFor,
} from '../__testUtils__/replicas/harness';

jest.setTimeout(240_000);

const NAMES = ['billing', 'cart', 'checkout', 'inventory', 'ledger', 'pricing', 'search', 'shipping'];

describe('a replica killed mid-scan', () => {
  let cluster: FixtureCluster;
  let world: ReplicaWorld;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    cluster = await FixtureCluster.start();
    for (const name of NAMES) {
      cluster.desired.set(name, [deployment(name, `${name}:1`)]);
      cluster.live.set(name, [deployment(name, `${name}:2`)]);
    }
    world = new ReplicaWorld(cluster, {
      // Scheduled rounds stay out of the way after the first; one entity per batch.
      schedule: { frequency: { hours: 1 }, scanLease: { seconds: 3 } },
      batchSize: 1,
    });
    world.writeCatalog(NAMES);
  });

  afterAll(async () => {
    await Promise.all(replicas.map(r => r.stop()));
    await world?.destroy();
    await cluster?.close();
  });

  const idle = async () => {
    const running = await world.database()('drift_scans').whereIn('status', ['queued', 'running']);
    return running.length === 0 ? true : undefined;
  };

  it('leaves a scan that the next replica fails for its expired lease, then scans without losing or repeating a finding', async () => {
    const db = world.database();
    const first = await Replica.start(world, 'first');
    replicas.push(first);
    await waitFor('the catalog', async () => ((await first.catalogNames()).length === NAMES.length ? true : undefined));
    await waitFor('the start-up round to end', idle);

    // Slow live reads: the scan takes seconds, and is killed after two entities.
    cluster.liveDelayMs = 600;
    const { body } = await first.request('POST', '/api/drift/scans', {});
    const abandonedId: string = body.id;
    await waitFor('two entities scanned', async () => {
      const scan = await db('drift_scans').where({ id: abandonedId }).first();
      return scan.entities_done >= 2 ? true : undefined;
    });
    await first.kill9();
    const killedAt = Date.now();
    const abandoned = await db('drift_scans').where({ id: abandonedId }).first();
    expect(abandoned.status).toBe('running');
    expect(abandoned.entities_done).toBeLessThan(NAMES.length);

    // While the first replica was away, one entity it had scanned was fixed and another
    // drifted further.
    const before = (await db('drift_findings').orderBy('name')).map(f => f.name as string);
    expect(before.length).toBeGreaterThanOrEqual(2);
    const [fixed, changed] = before;
    cluster.liveDelayMs = 0;
    cluster.live.set(fixed, [deployment(fixed, `${fixed}:1`)]);
    cluster.live.set(changed, [deployment(changed, `${changed}:3`)]);

    const second = await Replica.start(world, 'second');
    replicas.push(second);
    const failed = await waitFor('the abandoned scan to fail', async () => {
      const scan = await db('drift_scans').where({ id: abandonedId }).first();
      return scan.status === 'failed' ? scan : undefined;
    });
    expect(JSON.parse(failed.errors)[0].message).toMatch(/lease/);
    expect(failed.finished_at.getTime()).toBeGreaterThan(failed.lease_until.getTime());
    expect(failed.lease_until.getTime()).toBeGreaterThan(killedAt - 3_000);
    expect(failed.active_coverage).toBeNull();

    // The coverage is free again: a new scan, not the dead one.
    await waitFor('the start-up round to end', idle);
    const next = await second.request('POST', '/api/drift/scans', {});
    expect(next.body.id).not.toBe(abandonedId);
    const done = await waitFor('the next scan', async () => {
      const { body: scan } = await second.request('GET', `/api/drift/scans/${next.body.id}`);
      return ['succeeded', 'partial', 'failed'].includes(scan.status) ? scan : undefined;
    });
    expect(done).toMatchObject({ status: 'succeeded', entitiesDone: NAMES.length });

    const state = await storedState(db);
    expect(state.findings.map(f => f.name)).toEqual(NAMES);
    expect(new Set(state.findings.map(f => f.resource_key)).size).toBe(NAMES.length);
    const byName = new Map(state.findings.map(f => [f.name, f]));
    expect(byName.get(fixed).status).toBe('resolved');
    expect(state.findings.filter(f => f.status === 'active').map(f => f.name)).toEqual(NAMES.filter(n => n !== fixed));

    for (const finding of state.findings) {
      const events = state.events.filter(e => e.finding_id === finding.id);
      expect(events[0].type).toBe('detected');
      expect(events.filter(e => e.type === 'detected')).toHaveLength(1);
      // In the order they happened: ids grow with time.
      for (let i = 1; i < events.length; i++) {
        expect(Number(events[i].id)).toBeGreaterThan(Number(events[i - 1].id));
        expect(events[i].at.getTime()).toBeGreaterThanOrEqual(events[i - 1].at.getTime());
      }
    }
    // The lifecycle of each finding; routing records its deliveries beside it.
    const typesOf = (name: string) =>
      state.events.filter(e => e.finding_id === byName.get(name).id && e.type !== 'routed').map(e => e.type);
    expect(typesOf(fixed)).toEqual(['detected', 'resolved']);
    expect(typesOf(changed)).toEqual(['detected', 'changed']);
    for (const name of NAMES.filter(n => n !== fixed && n !== changed)) expect(typesOf(name)).toEqual(['detected']);
  });
});
