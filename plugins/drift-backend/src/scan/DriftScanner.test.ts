import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { diffResources, type KubeObject } from '@driftwatch/plugin-drift-common';
import type { DesiredStateSource, LiveStateTarget } from '@driftwatch/plugin-drift-node';
import { createTestDatabases } from '../__testUtils__/databases';
import { component, deployment } from '../__testUtils__/world';
import { DriftStore } from '../store/DriftStore';
import { connectDatabase } from '../store/migrations';
import { readDriftConfig } from './config';
import { DriftScanner } from './DriftScanner';

jest.setTimeout(60_000);

const CART = 'component:default/cart';
const CHECKOUT = 'component:default/checkout';
const entities = [component('cart', 'group:default/team-shop'), component('checkout', 'group:default/team-pay')];

/** A cluster where every entity's Deployment runs a newer image than Git says, once let through. */
function cluster() {
  let open!: () => void;
  const gate = new Promise<void>(resolve => {
    open = resolve;
  });
  const source: DesiredStateSource = {
    id: 'git',
    appliesTo: () => true,
    async readDesired(entity) {
      const name = entity.metadata.name;
      const state = { targetKind: 'kubernetes', location: 'git', documents: [deployment(name, `${name}:1`)] };
      // Cart is deployed by Argo CD, which believes it is in sync.
      return [name === 'cart' ? { ...state, externalStatus: { source: 'argocd', app: 'cart', sync: 'Synced' } } : state];
    },
  };
  const target: LiveStateTarget = {
    id: 'cluster',
    targetKind: 'kubernetes',
    async compare(requests, options) {
      await gate;
      return requests.map(r => ({
        entityRef: r.entityRef,
        resources: diffResources(
          r.desired.flatMap(d => d.documents as KubeObject[]),
          [deployment(r.entity.metadata.name, `${r.entity.metadata.name}:2`)],
          options.diffOptions,
        ).resources.map(diff => ({ location: 'prod', diff })),
        errors: [],
      }));
    },
  };
  return { source, target, open };
}

describe('DriftScanner', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    async function setup(store?: (db: Awaited<ReturnType<typeof connectDatabase>>) => DriftStore) {
      const db = await connectDatabase(mockServices.database({ knex: await databases.init(databaseId) }));
      const { source, target, open } = cluster();
      const driftStore = store ? store(db) : new DriftStore(db);
      const scanner = new DriftScanner({
        store: driftStore,
        catalog: catalogServiceMock({ entities }),
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
        config: readDriftConfig(mockServices.rootConfig({ data: {} })),
        secretHashKey: 'k'.repeat(32),
        sources: () => [source],
        targets: () => [target],
      });
      return { db, store: driftStore, scanner, open };
    }

    it('coalesces a scan requested while the same scan is queued or running', async () => {
      const { db, store, scanner, open } = await setup();
      const catalogScan = await scanner.trigger({ trigger: 'manual' });
      expect(await scanner.trigger({ trigger: 'manual', requestedBy: 'user:default/other' })).toBe(catalogScan);

      const cartScan = await scanner.trigger({ trigger: 'manual', entityRef: CART });
      expect(cartScan).not.toBe(catalogScan);
      expect(await scanner.trigger({ trigger: 'manual', entityRef: 'Component:default/Cart' })).toBe(cartScan);
      expect(await scanner.trigger({ trigger: 'manual', entityRef: CHECKOUT })).not.toBe(cartScan);

      open();
      await scanner.drain();
      expect(Number((await db('drift_scans').count({ n: '*' }))[0].n)).toBe(3);
      expect(await store.getScan(catalogScan)).toMatchObject({ status: 'succeeded', entitiesDone: 2 });

      // Once it is over, the next request starts a new scan.
      expect(await scanner.trigger({ trigger: 'manual' })).not.toBe(catalogScan);
      await scanner.drain();
    });

    it("keeps a deployment tool's status beside the scan's own findings", async () => {
      const { store, scanner, open } = await setup();
      open();
      const asOf = new Date('2026-12-04T10:00:00Z');
      await scanner.scan({ trigger: 'manual', asOf });

      expect(await store.externalStatus(CART)).toEqual([
        { source: 'argocd', app: 'cart', sync: 'Synced', at: asOf.toISOString() },
      ]);
      expect(await store.externalStatus(CHECKOUT)).toEqual([]);
      const findings = await store.listFindings({ filter: { entityRef: [CART] }, sort: 'severity', order: 'desc', limit: 10 });
      expect(findings.totalCount).toBe(1);
    });

    it('fails only the entity whose result cannot be stored', async () => {
      // Both ways of storing a result meet it: the batch of first sightings, which then rolls
      // back and is applied entity by entity, and the entity's own transaction.
      class FailingStore extends DriftStore {
        protected async applyFindingStates(...args: Parameters<DriftStore['applyFindingStates']>) {
          if (args[1].entity.entityRef === CART) throw new Error('value too long for type character varying(255)');
          return super.applyFindingStates(...args);
        }
      }
      const { store, scanner, open } = await setup(db => new FailingStore(db));
      open();
      const scan = await store.getScan(await scanner.scan({ trigger: 'manual' }));

      expect(scan).toMatchObject({ status: 'partial', entitiesDone: 2, findingsOpened: 1 });
      expect(scan.errors).toEqual([
        {
          entityRef: CART,
          location: 'kubernetes',
          message: 'Cannot store the result: value too long for type character varying(255)',
        },
      ]);
      const stored = await store.listFindings({ filter: {}, sort: 'severity', order: 'desc', limit: 10 });
      expect(stored.items.map(f => f.entityRef)).toEqual([CHECKOUT]);
    });
  });
});
