import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import type { ParsedManifest } from '@driftwatch/plugin-drift-common';
import { FileLocationReader } from '@driftwatch/plugin-drift-node';
import { listManifestFiles } from '../manifestFiles';
import { component } from '../__testUtils__/fixtures';
import { KubernetesManifestSource } from './KubernetesManifestSource';

const logger = mockServices.logger.mock();
const GIT = 'https://git.example.com/acme/deploy';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart
  namespace: shop
spec:
  replicas: 2
`;
const SERVICE_AND_CONFIG = `apiVersion: v1
kind: Service
metadata: {name: cart, namespace: shop}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cart-config, namespace: shop}
data: {LOG_LEVEL: info}
`;

/** A UrlReader over a directory standing in for a Git host: `tree/main/<dir>`, `blob/main/<file>`. */
function gitReader(root: string) {
  const local = (url: string, kind: 'tree' | 'blob') => {
    const prefix = `${GIT}/${kind}/main/`;
    if (!url.startsWith(prefix)) throw new NotFoundError(`${url} not found`);
    return path.join(root, url.slice(prefix.length));
  };
  return mockServices.urlReader.mock({
    async readUrl(url) {
      const file = local(url, 'blob');
      const buffer = await fs.readFile(file).catch(() => {
        throw new NotFoundError(`${url} not found`);
      });
      return { buffer: async () => buffer };
    },
    async readTree(url, options) {
      const dir = local(url, 'tree');
      const files = await listManifestFiles(dir).catch(() => {
        throw new NotFoundError(`${url} not found`);
      });
      return {
        etag: 'etag',
        files: async () =>
          files
            .filter(file => !options?.filter || options.filter(file))
            .map(file => ({
              path: file,
              content: () => fs.readFile(path.join(dir, file)),
            })),
        archive: async () => {
          throw new Error('not used');
        },
        dir: async () => dir,
      };
    },
  });
}

function names(documents: unknown[]): string[] {
  return (documents as ParsedManifest[]).map(
    d => `${d.id.kind}:${d.id.name}@${d.source.file}#${d.source.document}`,
  );
}

describe('KubernetesManifestSource', () => {
  let root: string;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'drift-source-'));
    await fs.mkdir(path.join(root, 'apps/cart/base'), { recursive: true });
    await fs.writeFile(
      path.join(root, 'apps/cart/deployment.yaml'),
      DEPLOYMENT,
    );
    await fs.writeFile(
      path.join(root, 'apps/cart/base/service.yml'),
      SERVICE_AND_CONFIG,
    );
    // A kustomization below the location's top is someone else's build: its file is skipped.
    await fs.mkdir(path.join(root, 'apps/cart/overlays/dev'), { recursive: true });
    await fs.writeFile(
      path.join(root, 'apps/cart/overlays/dev/kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nmetadata: {name: cart}\nresources: [../../deployment.yaml]\n',
    );
    await fs.writeFile(
      path.join(root, 'apps/cart/README.md'),
      '# not a manifest',
    );
    await fs.mkdir(path.join(root, 'catalog'), { recursive: true });
  });

  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  function files() {
    return new FileLocationReader({
      roots: [root],
      catalogFiles: [],
      maxBytes: 1 << 20,
    });
  }

  function source() {
    return new KubernetesManifestSource({
      urlReader: gitReader(root),
      files: files(),
    });
  }

  function entity(locations: string) {
    return component('cart', {
      'driftwatch.io/source': locations,
      'backstage.io/managed-by-location': `file:${path.join(
        root,
        'catalog/catalog-info.yaml',
      )}`,
      'backstage.io/managed-by-origin-location': `file:${path.join(
        root,
        'catalog/all.yaml',
      )}`,
    });
  }

  it('applies to entities with a driftwatch.io/source annotation', () => {
    expect(source().appliesTo(entity('file:../apps/cart'))).toBe(true);
    expect(source().appliesTo(component('cart'))).toBe(false);
    expect(
      source().appliesTo(component('cart', { 'driftwatch.io/source': ' ' })),
    ).toBe(false);
  });

  it('reads a file: folder relative to the catalog file, recursively, leaving out nested kustomize files', async () => {
    const [state] = await source().readDesired(entity('file:../apps/cart'), {
      logger,
    });

    expect(state.targetKind).toBe('kubernetes');
    expect(state.location).toBe('file:../apps/cart');
    expect(names(state.documents)).toEqual([
      'Service:cart@base/service.yml#1',
      'ConfigMap:cart-config@base/service.yml#2',
      'Deployment:cart@deployment.yaml#1',
    ]);
  });

  it('reads a url: tree through readTree and a url: file through readUrl, from several locations', async () => {
    const reader = gitReader(root);
    const states = await new KubernetesManifestSource({
      urlReader: reader,
      files: files(),
    }).readDesired(
      entity(
        `url:${GIT}/tree/main/apps/cart/base,\n  url:${GIT}/blob/main/apps/cart/deployment.yaml`,
      ),
      { logger },
    );

    expect(states.map(s => [s.location, names(s.documents)])).toEqual([
      [
        `url:${GIT}/tree/main/apps/cart/base`,
        ['Service:cart@service.yml#1', 'ConfigMap:cart-config@service.yml#2'],
      ],
      [
        `url:${GIT}/blob/main/apps/cart/deployment.yaml`,
        ['Deployment:cart@deployment.yaml#1'],
      ],
    ]);
    expect(reader.readTree).toHaveBeenCalledWith(
      `${GIT}/tree/main/apps/cart/base`,
      expect.anything(),
    );
    expect(reader.readUrl).toHaveBeenCalledWith(
      `${GIT}/blob/main/apps/cart/deployment.yaml`,
      expect.anything(),
    );
  });

  it('names the entity, location, file and document of a malformed manifest', async () => {
    await fs.writeFile(
      path.join(root, 'apps/cart/broken.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: [oops\n',
    );

    await expect(
      source().readDesired(entity('file:../apps/cart'), { logger }),
    ).rejects.toThrow(
      'component:default/cart: cannot parse file:../apps/cart: broken.yaml: document 2: ',
    );
  });

  it('names the entity and location it cannot read', async () => {
    const error = await source()
      .readDesired(entity(`url:${GIT}/tree/main/apps/missing`), { logger })
      .catch(e => e);
    expect(error.name).toBe('NotFoundError');
    expect(error.message).toContain(
      `component:default/cart: cannot read url:${GIT}/tree/main/apps/missing`,
    );

    await expect(
      source().readDesired(entity('file:../nowhere'), { logger }),
    ).rejects.toThrow(
      "component:default/cart: cannot read file:../nowhere; caused by NotFoundError: 'file:../nowhere' does not exist",
    );
  });

  it('rejects locations it does not understand', async () => {
    await expect(
      source().readDesired(entity('git@github.com:acme/deploy'), { logger }),
    ).rejects.toThrow(
      "component:default/cart: driftwatch.io/source location 'git@github.com:acme/deploy' must start with 'url:' or 'file:'",
    );
    const fromGit = component('cart', {
      'driftwatch.io/source': 'file:./deploy',
      'backstage.io/managed-by-location': `url:${GIT}/blob/main/catalog-info.yaml`,
    });
    await expect(source().readDesired(fromGit, { logger })).rejects.toThrow(
      'use a url: location instead',
    );
  });

  it('refuses absolute file: paths and escapes out of the configured roots', async () => {
    for (const target of ['/dev/zero', '/', path.join(root, 'apps/cart')]) {
      await expect(
        source().readDesired(entity(`file:${target}`), { logger }),
      ).rejects.toThrow(
        `component:default/cart: driftwatch.io/source location 'file:${target}' is an absolute path`,
      );
    }
    const error = await source()
      .readDesired(entity('file:../../../../../../etc'), { logger })
      .catch(e => e);
    expect(error.name).toBe('NotAllowedError');
    expect(error.message).toContain(
      'outside the folders of drift.fileLocations.roots',
    );
  });

  it('reads file: locations only for entities registered from file locations', async () => {
    const fromGit = component('cart', {
      'driftwatch.io/source': 'file:../apps/cart',
      'backstage.io/managed-by-location': `file:${path.join(
        root,
        'catalog/catalog-info.yaml',
      )}`,
      'backstage.io/managed-by-origin-location': `url:${GIT}/blob/main/catalog-info.yaml`,
    });

    await expect(source().readDesired(fromGit, { logger })).rejects.toThrow(
      'file: locations are only read for entities registered from a file location of catalog.locations',
    );
  });
});
