// Rescans: an entity whose Git objects and live objects' versions are as at its last
// comparison in a cluster keeps that comparison; any change on either side compares it again.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { stringify } from 'yaml';
import type { KubeObject } from '@driftwatch/plugin-drift-common';
import {
  ScanWorkCounts,
  type TargetRequest,
} from '@driftwatch/plugin-drift-node';
import { ApiCluster } from '../clusters/ApiCluster';
import type { LiveCluster } from '../clusters/types';
import { SnapshotCluster } from '../snapshot/SnapshotCluster';
import { FakeKubeApiServer } from '../__testUtils__/FakeKubeApiServer';
import {
  deployment,
  linkedComponent,
  live,
  request,
  service,
} from '../__testUtils__/fixtures';
import type { ComparisonCacheLimits } from './comparisonCache';
import { KubernetesLiveTarget, type KindRef } from './KubernetesLiveTarget';

const TOKEN = 'sa-token-for-drift';
const logger = mockServices.logger.mock();
const KINDS: KindRef[] = [
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'v1', kind: 'Service' },
];

function target(cluster: LiveCluster, comparisons?: ComparisonCacheLimits) {
  return new KubernetesLiveTarget({
    clusters: [cluster],
    extraKinds: KINDS,
    comparisons,
  });
}

async function compare(t: KubernetesLiveTarget, requests: TargetRequest[]) {
  const work = new ScanWorkCounts();
  const results = await t.compare(requests, {
    logger,
    work,
    diffOptions: { secretHashKey: 'k' },
  });
  const statuses = Object.fromEntries(
    results.flatMap(r => r.resources.map(x => [x.diff.key, x.diff.status])),
  );
  return {
    results,
    statuses,
    computed: work.get('diffsComputed'),
    skipped: work.get('diffsSkipped'),
  };
}

describe('KubernetesLiveTarget rescans', () => {
  describe('an API cluster', () => {
    let server: FakeKubeApiServer;
    let cluster: ApiCluster;
    const cart = [deployment('cart', 'shop'), service('cart', 'shop')];
    const cartRequest = () => request(linkedComponent('cart', 'shop'), cart);

    beforeEach(async () => {
      server = await FakeKubeApiServer.start({ token: TOKEN });
      server.add(...cart.map(o => live(o)));
      cluster = new ApiCluster(
        {
          name: 'prod',
          url: server.url,
          auth: { type: 'serviceAccount', token: TOKEN },
          skipTLSVerify: false,
        },
        { pageSize: 500, concurrency: 4, requestTimeoutMs: 5000 },
      );
    });
    afterEach(() => server.stop());

    it('reuses the comparison while nothing changed, still listing the live objects', async () => {
      const t = target(cluster);
      const first = await compare(t, [cartRequest()]);
      expect(first).toMatchObject({ computed: 2, skipped: 0 });
      const lists = server.requests.length;

      const second = await compare(t, [cartRequest()]);
      expect(second).toMatchObject({ computed: 0, skipped: 2 });
      expect(second.results).toEqual(first.results);
      // The versions come from this round's LISTs: live state is always read.
      expect(server.requests.length).toBeGreaterThan(lists);
    });

    it('compares again an object written live, by its new resourceVersion', async () => {
      const t = target(cluster);
      await compare(t, [cartRequest()]);

      server.add(
        live(cart[0], d => {
          d.spec.replicas = 5;
        }),
      );
      const changed = await compare(t, [cartRequest()]);
      expect(changed).toMatchObject({ computed: 2, skipped: 0 });
      expect(changed.statuses['Deployment:shop:cart']).toBe('drifted');

      // Written back with the same content: a new version, compared again, and in sync.
      server.add(live(cart[0]));
      const reverted = await compare(t, [cartRequest()]);
      expect(reverted).toMatchObject({ computed: 2, skipped: 0 });
      expect(reverted.statuses['Deployment:shop:cart']).toBe('in-sync');
      expect(await compare(t, [cartRequest()])).toMatchObject({
        computed: 0,
        skipped: 2,
      });
    });

    it('compares again when Git changes', async () => {
      const t = target(cluster);
      await compare(t, [cartRequest()]);

      const bumped = request(linkedComponent('cart', 'shop'), [
        deployment('cart', 'shop', {
          image: 'registry.example.com/cart:2.0.0',
        }),
        cart[1],
      ]);
      const changed = await compare(t, [bumped]);
      expect(changed).toMatchObject({ computed: 2, skipped: 0 });
      expect(changed.statuses['Deployment:shop:cart']).toBe('drifted');
    });

    it('compares again an extra object that appears live', async () => {
      const t = target(cluster);
      await compare(t, [cartRequest()]);

      server.add(
        live(
          service(
            'cart-debug',
            'shop',
            cart[1].metadata.labels as Record<string, string>,
          ),
        ),
      );
      const changed = await compare(t, [cartRequest()]);
      expect(changed).toMatchObject({ computed: 3, skipped: 0 });
      expect(changed.statuses['Service:shop:cart-debug']).toBe('extra');
    });

    it('keeps at most its bounds of comparisons, the least recently used forgotten', async () => {
      const shop = [deployment('shop', 'shop')];
      server.add(live(shop[0]));
      const t = target(cluster, { maxEntries: 1 });
      const shopRequest = request(linkedComponent('shop', 'shop'), shop);

      expect(await compare(t, [cartRequest(), shopRequest])).toMatchObject({
        computed: 3,
      });
      // Only the comparison stored last (shop's) is left.
      expect(await compare(t, [shopRequest])).toMatchObject({
        computed: 0,
        skipped: 1,
      });
      expect(await compare(t, [cartRequest()])).toMatchObject({
        computed: 2,
        skipped: 0,
      });
    });
  });

  describe('a snapshot cluster', () => {
    let dir: string;
    const cart = [deployment('cart', 'shop')];
    const write = (objects: KubeObject[]) =>
      fs.writeFile(
        path.join(dir, 'cart.yaml'),
        stringify({ apiVersion: 'v1', kind: 'List', items: objects }),
      );

    beforeEach(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'drift-snapshot-'));
      await write(cart.map(o => live(o)));
    });
    afterEach(() => fs.rm(dir, { recursive: true, force: true }));

    it('reuses comparisons while the export is unchanged, and compares again once it is re-exported', async () => {
      const t = target(new SnapshotCluster('demo', dir));
      const cartRequest = request(linkedComponent('cart', 'shop'), cart);
      expect(await compare(t, [cartRequest])).toMatchObject({ computed: 1 });
      expect(await compare(t, [cartRequest])).toMatchObject({
        computed: 0,
        skipped: 1,
      });

      // A hand edit keeps the exported resourceVersion: the file's fingerprint tells.
      await write(
        cart.map(o =>
          live(o, d => {
            d.spec.replicas = 9;
          }),
        ),
      );
      const edited = await compare(t, [cartRequest]);
      expect(edited).toMatchObject({ computed: 1, skipped: 0 });
      expect(edited.statuses['Deployment:shop:cart']).toBe('drifted');
    });
  });
});
