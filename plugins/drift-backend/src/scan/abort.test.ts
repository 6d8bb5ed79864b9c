import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { diffResources, type KubeObject } from '@driftwatch/plugin-drift-common';
import type { DesiredStateSource, LiveStateTarget, ProviderCallOptions } from '@driftwatch/plugin-drift-node';
import { createTestDatabases } from '../__testUtils__/databases';
import { component, deployment } from '../__testUtils__/world';
import { DriftStore } from '../store/DriftStore';
import { connectDatabase } from '../store/migrations';
import { readDriftConfig } from './config';
import { DriftScanner } from './DriftScanner';
import { runScheduledScan } from './schedule';

jest.setTimeout(60_000);

const CART = 'component:default/cart';
const CHECKOUT = 'component:default/checkout';
const entities = [component('cart', 'group:default/team-shop'), component('checkout', 'group:default/team-pay')];

/**
 * Git says image `:1`; the cluster runs `live.image`. `abortIn` makes one entity's step (its
 * source read or its comparison) abort the scan and then fail, as a read cut short does; a
 * source read waits for `abortIn.after` first.
 */
function world() {
  const live = { image: '2' };
  const abortIn: { source?: string; target?: string; after?: Promise<void>; controller?: AbortController } = {};
  const signals: Array<AbortSignal | undefined> = [];
  const cutShort = (options: ProviderCallOptions) => {
    abortIn.controller!.abort();
    expect(options.signal?.aborted).toBe(true);
    throw new Error('GET /apis/apps/v1/namespaces/shop/deployments failed');
  };
  const source: DesiredStateSource = {
    id: 'git',
    appliesTo: () => true,
    async readDesired(entity, options) {
      signals.push(options.signal);
      if (abortIn.source === entity.metadata.name) {
        await abortIn.after;
        cutShort(options);
      }
      return [{ targetKind: 'kubernetes', location: 'git', documents: [deployment(entity.metadata.name, 'app:1')] }];
    },
  };
  const target: LiveStateTarget = {
    id: 'cluster',
    targetKind: 'kubernetes',
    async compare(requests, options) {
      signals.push(options.signal);
      if (requests.some(r => r.entity.metadata.name === abortIn.target)) cutShort(options);
      return requests.map(r => ({
        entityRef: r.entityRef,
        resources: diffResources(
          r.desired.flatMap(d => d.documents as KubeObject[]),
          [deployment(r.entity.metadata.name, `app:${live.image}`)],
          options.diffOptions,
        ).resources.map(diff => ({ location: 'prod', diff })),
        errors: [],
      }));
    },
  };
  return { source, target, live, abortIn, signals };
}

describe('aborted scans', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    async function setup() {
      const db = await connectDatabase(mockServices.database({ knex: await databases.init(databaseId) }));
      const store = new DriftStore(db);
      const w = world();
      const config = readDriftConfig(mockServices.rootConfig({ data: { drift: { batchSize: 1 } } }));
      const scanner = new DriftScanner({
        store,
        catalog: catalogServiceMock({ entities }),
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
        config,
        secretHashKey: 'k'.repeat(32),
        sources: () => [w.source],
        targets: () => [w.target],
      });
      // Both entities drift; then both are fixed live, which an aborted scan must not conclude.
      await scanner.scan({ trigger: 'manual' });
      w.live.image = '1';
      const findings = async () =>
        (await store.listFindings({ filter: {}, sort: 'severity', order: 'desc', limit: 10 })).items
          .map(f => [f.entityRef, f.status])
          .sort();
      expect(await findings()).toEqual([
        [CART, 'active'],
        [CHECKOUT, 'active'],
      ]);
      return { db, store, scanner, config, findings, ...w };
    }

    it('ends at the batch whose comparison was cut short, storing nothing of it', async () => {
      const { store, scanner, findings, abortIn, signals } = await setup();
      abortIn.controller = new AbortController();
      abortIn.target = 'cart';

      const scan = await store.getScan(
        await scanner.scan({ trigger: 'schedule', signal: abortIn.controller.signal }),
      );

      expect(scan).toMatchObject({ status: 'failed', entitiesDone: 0 });
      expect(scan.errors).toEqual([
        expect.objectContaining({ message: expect.stringMatching(/^Scan aborted after 0 of 2 entities/) }),
      ]);
      // Neither the cut-short batch nor the one never read resolved anything or turned unknown.
      expect(await findings()).toEqual([
        [CART, 'active'],
        [CHECKOUT, 'active'],
      ]);
      expect((await store.listResources({})).map(r => r.status)).toEqual(['drifted', 'drifted']);
      expect(signals.at(-1)).toBe(abortIn.controller.signal);
    });

    it('stops between batches, keeping what finished before the abort', async () => {
      const { store, scanner, findings, abortIn } = await setup();
      abortIn.controller = new AbortController();
      abortIn.source = 'checkout';
      // The second batch's source is read ahead, while the first is compared; its read is cut
      // short once the first batch is stored.
      let stored!: () => void;
      abortIn.after = new Promise<void>(resolve => (stored = resolve));
      const recordScanProgress = store.recordScanProgress.bind(store);
      jest.spyOn(store, 'recordScanProgress').mockImplementation(async (...args) => {
        await recordScanProgress(...args);
        stored();
      });

      const scan = await store.getScan(
        await scanner.scan({ trigger: 'schedule', signal: abortIn.controller.signal }),
      );

      expect(scan).toMatchObject({ status: 'failed', entitiesDone: 1, findingsResolved: 1 });
      expect(scan.errors[0].message).toMatch(/^Scan aborted after 1 of 2 entities/);
      expect(await findings()).toEqual([
        [CART, 'resolved'],
        [CHECKOUT, 'active'],
      ]);
      // A read the abort cut short is no failure of the source: it does not back off.
      expect((await store.sourceBackoff([CHECKOUT])).size).toBe(0);
    });

    it('runs no scheduled round once the scheduler aborted it', async () => {
      const { store, scanner, config, findings } = await setup();
      const controller = new AbortController();
      controller.abort();

      await runScheduledScan({ store, scanner, config, logger: mockServices.logger.mock(), signal: controller.signal });

      const latest = await store.latestScan();
      expect(latest).toMatchObject({ trigger: 'schedule', status: 'failed', entitiesDone: 0 });
      expect(latest!.errors[0].message).toMatch(/aborted/);
      expect(await findings()).toEqual([
        [CART, 'active'],
        [CHECKOUT, 'active'],
      ]);
    });
  });
});
