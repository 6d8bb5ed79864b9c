// Rescans: the ETag of each read is passed back, and what did not change is neither read,
// parsed nor rendered again.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { NotModifiedError } from '@backstage/errors';
import type { ParsedManifest } from '@driftwatch/plugin-drift-common';
import {
  FileLocationReader,
  ScanWorkCounts,
  SCAN_WORK,
} from '@driftwatch/plugin-drift-node';
import { component } from '../__testUtils__/fixtures';
import { EXAMPLES, realRenderConfig } from '../__testUtils__/renderers';
import { KubernetesManifestSource } from './KubernetesManifestSource';

jest.setTimeout(60_000);

const logger = mockServices.logger.mock();
const GIT = 'https://git.example.com/acme/deploy';

const deployment = (count: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop}
spec: {replicas: ${count}}
`;

/**
 * A Git host as Backstage's UrlReader sees it: every tree and file has the repository's
 * revision as ETag and answers NotModifiedError when given the current one.
 */
class FakeGit {
  revision = 1;
  files: Record<string, string> = {};
  /** The ETag of every request, `undefined` for a first read. */
  readonly asked: Array<{ url: string; etag?: string }> = [];
  /** Answer without an ETag, as some integrations do. */
  withoutEtags = false;

  commit(files: Record<string, string>) {
    this.files = { ...this.files, ...files };
    this.revision++;
  }

  reader() {
    const etag = () => (this.withoutEtags ? '' : `rev-${this.revision}`);
    const check = (url: string, given?: string) => {
      this.asked.push({ url, etag: given });
      if (given && given === etag()) throw new NotModifiedError();
    };
    return mockServices.urlReader.mock({
      readUrl: async (url, options) => {
        check(url, options?.etag);
        const text = this.files[url.slice(`${GIT}/blob/main/`.length)];
        return {
          buffer: async () => Buffer.from(text),
          ...(etag() && { etag: etag() }),
        };
      },
      readTree: async (url, options) => {
        check(url, options?.etag);
        const prefix = `${url.slice(`${GIT}/tree/main/`.length)}/`;
        const files = Object.keys(this.files)
          .filter(file => file.startsWith(prefix))
          .map(file => file.slice(prefix.length))
          .filter(file => !options?.filter || options.filter(file));
        return {
          etag: etag(),
          files: async () =>
            files.map(file => ({
              path: file,
              content: async () => Buffer.from(this.files[prefix + file]),
            })),
          archive: async () => {
            throw new Error('not used');
          },
          dir: async () => {
            throw new Error('not used');
          },
        };
      },
    });
  }
}

function replicas(documents: unknown[]): unknown[] {
  return (documents as ParsedManifest[]).map(d => (d.object.spec as { replicas?: number }).replicas);
}

function counts(work: ScanWorkCounts) {
  return Object.fromEntries(
    SCAN_WORK.map(({ work: name }) => [name, work.get(name)]).filter(
      ([, n]) => n !== 0,
    ),
  );
}

describe('KubernetesManifestSource rescans', () => {
  let root: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'drift-rescan-'));
    await fs.mkdir(path.join(root, 'apps/cart'), { recursive: true });
    await fs.mkdir(path.join(root, 'catalog'));
    await fs.writeFile(
      path.join(root, 'apps/cart/deployment.yaml'),
      deployment(2),
    );
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  function entity(locations: string, name = 'cart', catalogRoot = root) {
    const catalogFile = `file:${path.join(catalogRoot, 'catalog/all.yaml')}`;
    return component(name, {
      'driftwatch.io/source': locations,
      'backstage.io/managed-by-location': catalogFile,
      'backstage.io/managed-by-origin-location': catalogFile,
    });
  }

  function source(git: FakeGit, options: { maxEntries?: number } = {}) {
    return new KubernetesManifestSource({
      urlReader: git.reader(),
      files: new FileLocationReader({
        roots: [root, EXAMPLES],
        catalogFiles: [],
        maxBytes: 1 << 20,
      }),
      render: realRenderConfig(),
      cache: options,
    });
  }

  async function scan(
    s: KubernetesManifestSource,
    e: ReturnType<typeof entity>,
  ) {
    const work = new ScanWorkCounts();
    const states = await s.readDesired(e, { logger, work });
    return { states, work: counts(work) };
  }

  it('passes the ETag of a url: tree and file back, and reuses what was parsed when not modified', async () => {
    const git = new FakeGit();
    git.commit({
      'apps/cart/deployment.yaml': deployment(2),
      'apps/cart/README.md': '# cart',
      'apps/single.yaml': deployment(5),
    });
    const s = source(git);
    const e = entity(
      `url:${GIT}/tree/main/apps/cart, url:${GIT}/blob/main/apps/single.yaml`,
    );

    const first = await scan(s, e);
    expect(first.states.map(st => replicas(st.documents))).toEqual([[2], [5]]);
    expect(first.work).toEqual({ treesRead: 2, filesParsed: 2 });

    const second = await scan(s, e);
    expect(second.work).toEqual({ treesNotModified: 2 });
    expect(second.states).toEqual(first.states);
    expect(git.asked.slice(2)).toEqual([
      { url: `${GIT}/tree/main/apps/cart`, etag: 'rev-2' },
      { url: `${GIT}/blob/main/apps/single.yaml`, etag: 'rev-2' },
    ]);

    git.commit({ 'apps/cart/deployment.yaml': deployment(3) });
    const third = await scan(s, e);
    expect(third.states.map(st => replicas(st.documents))).toEqual([[3], [5]]);
    // The read that found the change is the read used: neither location is fetched twice.
    expect(third.work).toEqual({ treesRead: 2, filesParsed: 2 });
    expect(git.asked).toHaveLength(6);
  });

  it('reads again every time from a reader that gives no ETag', async () => {
    const git = new FakeGit();
    git.withoutEtags = true;
    git.commit({ 'apps/cart/deployment.yaml': deployment(2) });
    const s = source(git);
    const e = entity(`url:${GIT}/tree/main/apps/cart`);

    await scan(s, e);
    const second = await scan(s, e);
    expect(second.work).toEqual({ treesRead: 1, filesParsed: 1 });
    expect(git.asked.map(a => a.etag)).toEqual([undefined, undefined]);
  });

  it('reads a file: folder again only once a file in it is touched', async () => {
    const s = source(new FakeGit());
    const e = entity('file:../apps/cart');

    expect((await scan(s, e)).work).toEqual({ treesRead: 1, filesParsed: 1 });
    expect((await scan(s, e)).work).toEqual({ treesNotModified: 1 });

    // The same bytes, touched: the fingerprint is of sizes and times, not content.
    const file = path.join(root, 'apps/cart/deployment.yaml');
    const later = new Date(Date.now() + 60_000);
    await fs.utimes(file, later, later);
    expect((await scan(s, e)).work).toEqual({ treesRead: 1, filesParsed: 1 });

    await fs.writeFile(file, deployment(4));
    const edited = await scan(s, e);
    expect(edited.work).toEqual({ treesRead: 1, filesParsed: 1 });
    expect(replicas(edited.states[0].documents)).toEqual([4]);
    expect((await scan(s, e)).work).toEqual({ treesNotModified: 1 });
  });

  it('renders a chart and an overlay again only when their trees change', async () => {
    const s = source(new FakeGit());
    const chart = entity(
      'file:../gitops/reviews-api/chart',
      'reviews-api',
      EXAMPLES,
    );
    chart.metadata.annotations!['backstage.io/kubernetes-namespace'] =
      'reviews';
    chart.metadata.annotations!['driftwatch.io/helm-values'] =
      'values.yaml,values-production.yaml';
    const overlay = entity(
      'file:../gitops/inventory-service/overlays/production',
      'inventory-service',
      EXAMPLES,
    );

    const first = await scan(s, chart);
    // The chart's manifests are read first to tell it is a chart, then the whole folder.
    expect(first.work).toEqual({ treesRead: 2, rendersRun: 1 });
    const second = await scan(s, chart);
    expect(second.work).toEqual({ treesNotModified: 1, rendersSkipped: 1 });
    expect(second.states).toEqual(first.states);

    // The overlay reads its folder, then the folder above that holds its base.
    expect((await scan(s, overlay)).work).toMatchObject({ rendersRun: 1 });
    expect((await scan(s, overlay)).work).toEqual({
      treesNotModified: 2,
      rendersSkipped: 1,
    });
  });

  it('keeps a chart that fails to render failing, without rendering it again', async () => {
    const s = source(new FakeGit());
    const loyalty = entity(
      'file:../gitops/loyalty-api/chart',
      'loyalty-api',
      EXAMPLES,
    );
    const failure = 'image.tag must be set for each environment';

    const work = new ScanWorkCounts();
    await expect(s.readDesired(loyalty, { logger, work })).rejects.toThrow(
      failure,
    );
    expect(work.get('rendersRun')).toBe(1);

    const again = new ScanWorkCounts();
    await expect(
      s.readDesired(loyalty, { logger, work: again }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(failure),
    });
    expect(counts(again)).toEqual({ treesNotModified: 1, rendersSkipped: 1 });
  });

  it('forgets the least recently used location beyond its bounds', async () => {
    const s = source(new FakeGit(), { maxEntries: 1 });
    await fs.mkdir(path.join(root, 'apps/shop'));
    await fs.writeFile(
      path.join(root, 'apps/shop/deployment.yaml'),
      deployment(1),
    );
    const cart = entity('file:../apps/cart');
    const shop = entity('file:../apps/shop', 'shop');

    await scan(s, cart);
    await scan(s, shop);
    expect((await scan(s, cart)).work).toEqual({
      treesRead: 1,
      filesParsed: 1,
    });
    expect((await scan(s, cart)).work).toEqual({ treesNotModified: 1 });
  });

  it('reads again when the entity changes, since a chart renders with its annotations', async () => {
    const s = source(new FakeGit());
    const e = entity('file:../apps/cart');
    await scan(s, e);
    e.metadata.annotations!['driftwatch.io/helm-release'] = 'cart-2';
    expect((await scan(s, e)).work).toEqual({ treesRead: 1, filesParsed: 1 });
  });
});
