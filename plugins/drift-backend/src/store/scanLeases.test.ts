import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { DriftStore } from './DriftStore';
import { connectDatabase } from './migrations';

jest.setTimeout(60_000);

const t0 = new Date('2026-12-05T10:00:00Z');
const seconds = (n: number) => new Date(t0.getTime() + n * 1000);

describe('scan leases', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    async function createStore() {
      const knex = await databases.init(databaseId);
      const db = await connectDatabase(mockServices.database({ knex }));
      return { db, store: new DriftStore(db) };
    }
    const lease = (owner: string, until: Date) => ({ owner, until });
    const inFuture = () => new Date(Date.now() + 60_000);

    it('gives replicas asking for the same coverage at once one scan', async () => {
      const { db, store } = await createStore();
      const asked = await Promise.all(
        ['a', 'b', 'c', 'd'].map(owner =>
          store.joinOrCreateScan({ trigger: 'manual', coverage: 'catalog', lease: lease(owner, inFuture()) }),
        ),
      );
      expect(new Set(asked.map(a => a.id)).size).toBe(1);
      expect(asked.filter(a => a.created)).toHaveLength(1);
      const other = await store.joinOrCreateScan({ trigger: 'manual', coverage: 'entity:component:default/cart', lease: lease('a', inFuture()) });
      expect(other).toMatchObject({ created: true });
      expect(other.id).not.toBe(asked[0].id);
      expect(Number((await db('drift_scans').count({ n: '*' }))[0].n)).toBe(2);

      // Once it ends, the coverage is free.
      await store.finishScan(asked[0].id, 'succeeded', []);
      const next = await store.joinOrCreateScan({ trigger: 'manual', coverage: 'catalog', lease: lease('b', inFuture()) });
      expect(next.created).toBe(true);
    });

    it('replaces a scan whose replica stopped renewing its lease', async () => {
      const { store } = await createStore();
      const dead = await store.joinOrCreateScan({ trigger: 'manual', coverage: 'catalog', lease: lease('dead', new Date(Date.now() - 1000)) });
      const next = await store.joinOrCreateScan({ trigger: 'manual', coverage: 'catalog', lease: lease('alive', inFuture()) });
      expect(next).toMatchObject({ created: true });
      expect(next.id).not.toBe(dead.id);
      expect(await store.getScan(dead.id)).toMatchObject({
        status: 'failed',
        errors: [{ message: expect.stringMatching(/stopped renewing its lease/) }],
      });
      // The dead replica, were it only stalled, can neither renew nor finish it.
      expect(await store.renewScanLease(dead.id, lease('dead', inFuture()))).toBe(false);
      await store.finishScan(dead.id, 'succeeded', [], new Date(), 'dead');
      expect((await store.getScan(dead.id)).status).toBe('failed');
    });

    it('fails only scans whose lease ran out, not those other replicas are running', async () => {
      const { store } = await createStore();
      const running = await store.createScan({ trigger: 'schedule', lease: lease('a', seconds(30)) });
      const abandoned = await store.createScan({ trigger: 'schedule', lease: lease('b', seconds(10)) });
      await store.startScan(running, 3, t0);
      await store.startScan(abandoned, 3, t0);

      expect(await store.failExpiredScans(seconds(5))).toBe(0);
      expect(await store.renewScanLease(running, lease('a', seconds(60)))).toBe(true);
      expect(await store.renewScanLease(running, lease('b', seconds(60)))).toBe(false);
      expect(await store.failExpiredScans(seconds(40))).toBe(1);
      expect((await store.getScan(running)).status).toBe('running');
      expect((await store.getScan(abandoned)).status).toBe('failed');

      await store.finishScan(running, 'succeeded', [], seconds(45), 'a');
      expect((await store.getScan(running)).status).toBe('succeeded');
      expect(await store.renewScanLease(running, lease('a', seconds(90)))).toBe(false);
    });
  });
});
