import {
  deployment,
  FixtureCluster,
  Replica,
  ReplicaWorld,
  storedState,
  waitFor,
} from '../__testUtils__/replicas/harness';

jest.setTimeout(240_000);

const NAMES = ['cart', 'checkout', 'ledger', 'search'];
/** Ledger runs what Git declares; the others run a newer image. */
const DRIFTED = NAMES.filter(n => n !== 'ledger');

describe('two replicas on one PostgreSQL', () => {
  let cluster: FixtureCluster;
  let world: ReplicaWorld;
  let a: Replica;
  let b: Replica;

  beforeAll(async () => {
    cluster = await FixtureCluster.start();
    for (const name of NAMES) {
      cluster.desired.set(name, [deployment(name, `${name}:1`)]);
      cluster.live.set(name, [deployment(name, name === 'ledger' ? `${name}:1` : `${name}:2`)]);
    }
    world = new ReplicaWorld(cluster, {
      schedule: { frequency: { seconds: 2 }, scanLease: { seconds: 6 } },
      tiers: [{ tier: 2, scanInterval: { seconds: 1 } }],
    });
    world.writeCatalog(NAMES);
    // One after the other: knex fails, rather than waits, while another process migrates.
    a = await Replica.start(world, 'a');
    b = await Replica.start(world, 'b');
    await waitFor('both catalogs to list the components', async () => {
      const [fromA, fromB] = await Promise.all([a.catalogNames(), b.catalogNames()]);
      return fromA.length === NAMES.length && fromB.length === NAMES.length ? true : undefined;
    });
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await world?.destroy();
    await cluster?.close();
  });

  const expectEachDriftStoredOnce = async () => {
    const state = await storedState(world.database());
    expect(state.findings.map(f => f.name).sort()).toEqual(DRIFTED);
    for (const finding of state.findings) {
      expect(state.eventCounts.get(`${finding.id} detected`)).toBe(1);
      expect(state.intentCounts.get(`${finding.id} notify-owner opened`)).toBe(1);
    }
    // Still the same drift: nothing changed, resolved or reopened, however many scans saw it.
    expect(state.events.map(e => e.type)).not.toEqual(expect.arrayContaining(['changed']));
    expect(state.events.filter(e => ['resolved', 'reopened'].includes(e.type))).toEqual([]);
    expect(state.intents).toHaveLength(DRIFTED.length);
    return state;
  };

  it('runs one scheduled scan per round and stores each drift, its event and its intent once', async () => {
    const db = world.database();
    const fullRounds = () =>
      db('drift_scans').where({ trigger: 'schedule', status: 'succeeded', entities_total: NAMES.length });
    await waitFor('three scheduled rounds over the whole catalog', async () =>
      (await fullRounds()).length >= 3 ? true : undefined,
    );

    const { scans } = await expectEachDriftStoredOnce();
    const scheduled = scans.filter(s => s.trigger === 'schedule' && s.started_at).sort((x, y) => x.started_at - y.started_at);
    // The scheduler's global task runs on one replica at a time: rounds never overlap.
    for (let i = 1; i < scheduled.length; i++) {
      expect(scheduled[i].started_at.getTime()).toBeGreaterThanOrEqual(scheduled[i - 1].finished_at.getTime());
    }
    expect(new Set(scheduled.map(s => s.lease_owner)).size).toBeGreaterThanOrEqual(1);
    expect(scheduled.every(s => typeof s.lease_owner === 'string')).toBe(true);
  });

  it('answers manual scans asked of both replicas at once with one scan', async () => {
    // Slow live reads keep the first scan running while the second request arrives.
    cluster.liveDelayMs = 400;
    const [fromA, fromB] = await Promise.all([
      a.request('POST', '/api/drift/scans', {}),
      b.request('POST', '/api/drift/scans', {}),
    ]);
    expect(fromA.status).toBe(202);
    expect(fromB.status).toBe(202);
    expect(fromB.body.id).toBe(fromA.body.id);

    const entityRef = 'component:default/cart';
    const [cartA, cartB] = await Promise.all([
      a.request('POST', '/api/drift/scans', { entityRef }),
      b.request('POST', '/api/drift/scans', { entityRef }),
    ]);
    expect(cartB.body.id).toBe(cartA.body.id);
    expect(cartA.body.id).not.toBe(fromA.body.id);

    const finished = (id: string) =>
      waitFor(`scan ${id}`, async () => {
        const { body } = await b.request('GET', `/api/drift/scans/${id}`);
        return ['succeeded', 'partial', 'failed'].includes(body.status) ? body : undefined;
      });
    const done = await Promise.all([finished(fromA.body.id), finished(cartA.body.id)]);
    expect(done.map(scan => scan.status)).toEqual(['succeeded', 'succeeded']);
    cluster.liveDelayMs = 0;

    const manual = await world.database()('drift_scans').where({ trigger: 'manual' });
    expect(manual).toHaveLength(2);
    expect(manual.every(s => s.active_coverage === null)).toBe(true);
    // The manual scans ran beside scheduled ones on the other replica; still one of each.
    await expectEachDriftStoredOnce();
  });
});
