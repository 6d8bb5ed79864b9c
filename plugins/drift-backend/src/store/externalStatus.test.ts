import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { DriftStore } from './DriftStore';
import { connectDatabase } from './migrations';

jest.setTimeout(60_000);

const t0 = new Date('2026-12-04T10:00:00Z');
const t1 = new Date('2026-12-04T11:00:00Z');

describe('external status', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    async function store() {
      const knex = await databases.init(databaseId);
      return new DriftStore(await connectDatabase(mockServices.database({ knex })));
    }

    it("keeps each entity's latest status, and forgets it when a scan reads none", async () => {
      const drift = await store();
      const argo = { source: 'argocd', app: 'cart-prod', sync: 'Synced', health: 'Healthy' };
      await drift.recordExternalStatus('component:default/cart', [{ ...argo, revision: 'aaa' }], t0);
      await drift.recordExternalStatus('component:default/cart', [{ ...argo, sync: 'OutOfSync', revision: 'bbb' }], t1);
      await drift.recordExternalStatus('component:default/booking', [{ source: 'argocd', app: 'booking' }], t1);

      expect(await drift.externalStatus('component:default/cart')).toEqual([
        { ...argo, sync: 'OutOfSync', revision: 'bbb', at: t1.toISOString() },
      ]);
      expect(await drift.externalStatus('component:default/booking')).toEqual([
        { source: 'argocd', app: 'booking', at: t1.toISOString() },
      ]);

      await drift.recordExternalStatus('component:default/cart', [], t1);
      expect(await drift.externalStatus('component:default/cart')).toEqual([]);
    });

    it('shows only the entities the caller may read', async () => {
      const drift = await store();
      await drift.recordExternalStatus('component:default/cart', [{ source: 'argocd', app: 'cart-prod' }], t0);

      const scoped = drift.withScope({ visibleEntityRefs: ['component:default/booking'] });
      expect(await scoped.externalStatus('component:default/cart')).toEqual([]);
    });
  });
});
