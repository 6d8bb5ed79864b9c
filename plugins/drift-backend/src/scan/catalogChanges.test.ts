import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Entity } from '@backstage/catalog-model';
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
const cart = component('cart', 'group:default/team-shop');
const checkout = component('checkout', 'group:default/team-pay');

describe('DriftScanner and catalog changes', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    /** A cluster where every Deployment runs a newer image than Git; Git fails for `broken`. */
    async function setup() {
      const db = await connectDatabase(mockServices.database({ knex: await databases.init(databaseId) }));
      const store = new DriftStore(db);
      const broken = new Set<string>();
      const reads: string[] = [];
      const source: DesiredStateSource = {
        id: 'git',
        appliesTo: () => true,
        async readDesired(entity) {
          reads.push(entity.metadata.name);
          if (broken.has(entity.metadata.name)) throw new Error('HTTP 404 from the repository');
          return [{ targetKind: 'kubernetes', location: 'git', documents: [deployment(entity.metadata.name, 'app:1')] }];
        },
      };
      const target: LiveStateTarget = {
        id: 'cluster',
        targetKind: 'kubernetes',
        async compare(requests, options) {
          return requests.map(r => ({
            entityRef: r.entityRef,
            resources: diffResources(
              r.desired.flatMap(d => d.documents as KubeObject[]),
              [deployment(r.entity.metadata.name, 'app:2')],
              options.diffOptions,
            ).resources.map(diff => ({ location: 'prod', diff })),
            errors: [],
          }));
        },
      };
      const scannerOf = (entities: Entity[]) =>
        new DriftScanner({
          store,
          catalog: catalogServiceMock({ entities }),
          auth: mockServices.auth(),
          logger: mockServices.logger.mock(),
          config: readDriftConfig(mockServices.rootConfig({ data: {} })),
          secretHashKey: 'k'.repeat(32),
          sources: () => [source],
          targets: () => [target],
        });
      return { db, store, broken, reads, scannerOf };
    }

    it('closes the findings of an entity that left the catalog, in a catalog scan', async () => {
      const { db, store, scannerOf } = await setup();
      await scannerOf([cart, checkout]).scan({ trigger: 'manual' });
      expect(await db('drift_findings').whereNot('status', 'resolved').pluck('entity_ref')).toHaveLength(2);

      const unlinked: Entity = { ...checkout, metadata: { ...checkout.metadata, annotations: {} } };
      await scannerOf([cart]).scan({ trigger: 'manual' });
      const closed = await db('drift_findings').where({ entity_ref: CHECKOUT }).first();
      expect(closed).toMatchObject({ status: 'resolved', close_reason: 'entity-removed' });
      // The API says so too, apart from drift that was fixed.
      const { finding } = await store.getFinding(closed.id);
      expect(finding).toMatchObject({ status: 'resolved', closeReason: 'entity-removed' });
      expect(await store.listResources({ entityRef: CHECKOUT })).toEqual([]);
      expect(await db('drift_findings').where({ entity_ref: CART }).first()).toMatchObject({ status: 'active' });

      // Listed again without drift links: closed as unlinked, not removed.
      await scannerOf([cart, checkout]).scan({ trigger: 'manual' });
      await scannerOf([cart, unlinked]).scan({ trigger: 'manual' });
      expect(await db('drift_findings').where({ entity_ref: CHECKOUT }).first()).toMatchObject({
        status: 'resolved',
        close_reason: 'entity-unlinked',
      });
    });

    it('keeps what it knows when the catalog lists no linked entity at all', async () => {
      const { db, scannerOf } = await setup();
      await scannerOf([cart, checkout]).scan({ trigger: 'manual' });
      await scannerOf([]).scan({ trigger: 'manual' });
      expect(await db('drift_findings').where({ status: 'active' }).pluck('entity_ref')).toHaveLength(2);
      expect(await db('drift_resources').pluck('entity_ref')).toHaveLength(2);
    });

    it('backs off a source that keeps failing for an entity, and says so in the scan errors', async () => {
      const { store, broken, reads, scannerOf } = await setup();
      const scanner = scannerOf([cart, checkout]);
      broken.add('cart');
      const first = await store.getScan(await scanner.scan({ trigger: 'schedule' }));
      expect(first.status).toBe('partial');
      expect(first.errors).toEqual([
        {
          entityRef: CART,
          location: 'git',
          message: expect.stringMatching(/^HTTP 404 from the repository \(failed once; next attempt after \S+Z\)$/),
        },
      ]);

      reads.length = 0;
      const second = await store.getScan(await scanner.scan({ trigger: 'schedule' }));
      expect(reads).toEqual(['checkout']);
      expect(second.errors).toEqual([
        { entityRef: CART, location: 'git', message: expect.stringContaining('HTTP 404 from the repository (failed once') },
      ]);
      // Unknown, not resolved: the back-off is no verdict on the resources.
      expect((await store.listResources({ entityRef: CART })).map(r => r.status)).toEqual([]);

      // Someone scanning the entity itself retries at once; a success ends the back-off.
      await scanner.scan({ trigger: 'manual', entityRef: CART });
      expect(reads).toEqual(['checkout', 'cart']);
      expect((await store.sourceBackoff([CART])).get(`${CART}\u0000git`)).toMatchObject({ failures: 2 });
      broken.delete('cart');
      const fixed = await store.getScan(await scanner.scan({ trigger: 'manual', entityRef: CART }));
      expect(fixed.errors).toEqual([]);
      expect((await store.sourceBackoff([CART])).size).toBe(0);
    });
  });
});
