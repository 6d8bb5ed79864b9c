import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import { FileLocationReader } from './fileLocations';
import { readEntityLocations, type EntityLocation } from './locations';

const ANNOTATION = 'driftwatch.io/source';

describe('FileLocationReader', () => {
  let dir: string;
  let root: string;
  let catalogFile: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'drift-files-'));
    root = path.join(dir, 'repo');
    catalogFile = path.join(root, 'catalog', 'components.yaml');
    await fs.mkdir(path.join(root, 'catalog'), { recursive: true });
    await fs.mkdir(path.join(root, 'gitops', 'cart', 'base'), {
      recursive: true,
    });
    await fs.mkdir(path.join(root, 'gitops', 'cart', '.git'));
    await fs.writeFile(catalogFile, 'kind: Component');
    await fs.writeFile(
      path.join(root, 'gitops', 'cart', 'deployment.yaml'),
      'kind: Deployment',
    );
    await fs.writeFile(
      path.join(root, 'gitops', 'cart', 'base', 'service.yaml'),
      'kind: Service',
    );
    await fs.writeFile(
      path.join(root, 'gitops', 'cart', 'README.md'),
      '# cart',
    );
    await fs.writeFile(
      path.join(root, 'gitops', 'cart', '.git', 'config.yaml'),
      'hidden',
    );
    await fs.writeFile(path.join(dir, 'outside.yaml'), 'kind: Secret');
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  function entity(annotation: string, origin = `file:${catalogFile}`): Entity {
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'cart',
        annotations: {
          [ANNOTATION]: annotation,
          'backstage.io/managed-by-location': `file:${catalogFile}`,
          'backstage.io/managed-by-origin-location': origin,
        },
      },
    };
  }

  function fileLocation(e: Entity) {
    const [location] = readEntityLocations(e, ANNOTATION);
    return location as Extract<EntityLocation, { type: 'file' }>;
  }

  function reader(
    options: Partial<ConstructorParameters<typeof FileLocationReader>[0]> = {},
  ) {
    return new FileLocationReader({
      roots: [root],
      catalogFiles: [],
      maxBytes: 1024,
      ...options,
    });
  }

  async function read(
    annotation: string,
    files = reader(),
    e = entity(annotation),
  ) {
    return files.read(e, fileLocation(e), {
      filter: file => file.endsWith('.yaml'),
    });
  }

  it('reads a folder inside a root, skipping hidden folders and unmatched files', async () => {
    const files = await read('file:../gitops/cart');

    expect(files.map(f => [f.path, f.content.toString()])).toEqual([
      ['base/service.yaml', 'kind: Service'],
      ['deployment.yaml', 'kind: Deployment'],
    ]);
  });

  it('reads a single file', async () => {
    const files = await read('file:../gitops/cart/deployment.yaml');

    expect(files.map(f => f.path)).toEqual(['deployment.yaml']);
  });

  describe('readTree', () => {
    const yaml = (file: string) => file.endsWith('.yaml');

    async function readTree(annotation: string, etag?: string) {
      const e = entity(annotation);
      return reader().readTree(e, fileLocation(e), { filter: yaml, etag });
    }

    it('answers NotModifiedError for the fingerprint of an unchanged folder', async () => {
      const first = await readTree('file:../gitops/cart');
      expect(first.files.map(f => f.path)).toEqual([
        'base/service.yaml',
        'deployment.yaml',
      ]);

      await expect(
        readTree('file:../gitops/cart', first.etag),
      ).rejects.toMatchObject({
        name: 'NotModifiedError',
        message: "'file:../gitops/cart' has not changed",
      });
    });

    it('reads again once a file is touched, edited, added or removed', async () => {
      const cart = path.join(root, 'gitops', 'cart');
      const changes: Array<() => Promise<void>> = [
        // Same content, new modification time.
        () =>
          fs.utimes(
            path.join(cart, 'deployment.yaml'),
            new Date(),
            new Date(2001, 1, 1),
          ),
        () =>
          fs.writeFile(
            path.join(cart, 'base', 'service.yaml'),
            'kind: Servic3',
          ),
        () =>
          fs.writeFile(
            path.join(cart, 'base', 'config.yaml'),
            'kind: ConfigMap',
          ),
        () => fs.rm(path.join(cart, 'base', 'config.yaml')),
      ];
      let { etag } = await readTree('file:../gitops/cart');
      for (const change of changes) {
        await change();
        const again = await readTree('file:../gitops/cart', etag);
        expect(again.etag).not.toBe(etag);
        etag = again.etag;
      }
      const last = await readTree('file:../gitops/cart');
      expect(last.etag).toBe(etag);
      expect(last.files.map(f => [f.path, f.content.toString()])).toEqual([
        ['base/service.yaml', 'kind: Servic3'],
        ['deployment.yaml', 'kind: Deployment'],
      ]);
    });

    it('ignores files the filter leaves out', async () => {
      const { etag } = await readTree('file:../gitops/cart');
      await fs.writeFile(
        path.join(root, 'gitops', 'cart', 'README.md'),
        '# changed',
      );

      await expect(readTree('file:../gitops/cart', etag)).rejects.toMatchObject(
        {
          name: 'NotModifiedError',
        },
      );
    });

    it('fingerprints a single file location by that file alone', async () => {
      const { etag, files } = await readTree(
        'file:../gitops/cart/deployment.yaml',
      );
      expect(files.map(f => f.path)).toEqual(['deployment.yaml']);
      await fs.writeFile(
        path.join(root, 'gitops', 'cart', 'other.yaml'),
        'kind: Other',
      );
      await expect(
        readTree('file:../gitops/cart/deployment.yaml', etag),
      ).rejects.toMatchObject({ name: 'NotModifiedError' });
    });

    it('checks the entity and the path before answering not modified', async () => {
      const { etag } = await readTree('file:../gitops/cart');
      const e = entity(
        'file:../gitops/cart',
        'url:https://example.com/catalog-info.yaml',
      );
      await expect(
        reader().readTree(e, fileLocation(e), { etag }),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
    });
  });

  it('refuses absolute paths, so neither file:/dev/zero nor file:/ can be read', () => {
    for (const target of ['/dev/zero', '/', path.join(root, 'gitops')]) {
      expect(() =>
        readEntityLocations(entity(`file:${target}`), ANNOTATION),
      ).toThrow(
        `${ANNOTATION} location 'file:${target}' is an absolute path; a file: location is relative to the entity's catalog file`,
      );
    }
  });

  it('refuses .. escapes out of the roots', async () => {
    await expect(read('file:../../outside.yaml')).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        "'file:../../outside.yaml' is not read: it is outside the folders of drift.fileLocations.roots",
    });
    await expect(read('file:../../../../../../../../dev/zero')).rejects.toThrow(
      'outside the folders of drift.fileLocations.roots',
    );
  });

  it('refuses a symbolic link that leads out of the roots', async () => {
    await fs.symlink(
      path.join(dir, 'outside.yaml'),
      path.join(root, 'gitops', 'link.yaml'),
    );
    await fs.symlink('/dev/zero', path.join(root, 'gitops', 'zero'));

    await expect(read('file:../gitops/link.yaml')).rejects.toThrow(
      'outside the folders of drift.fileLocations.roots',
    );
    await expect(read('file:../gitops/zero')).rejects.toThrow(
      'outside the folders of drift.fileLocations.roots',
    );
  });

  it('refuses what is not a regular file or folder', async () => {
    execFileSync('mkfifo', [path.join(root, 'gitops', 'pipe.yaml')]);

    await expect(read('file:../gitops/pipe.yaml')).rejects.toMatchObject({
      name: 'InputError',
      message: "'file:../gitops/pipe.yaml' is not a regular file or folder",
    });
    // Inside a folder, a FIFO is skipped rather than waited on.
    await expect(read('file:../gitops')).resolves.toHaveLength(2);
  });

  it('caps the total size of a location', async () => {
    await fs.writeFile(
      path.join(root, 'gitops', 'cart', 'big.yaml'),
      'x'.repeat(1000),
    );

    await expect(read('file:../gitops/cart/big.yaml')).resolves.toHaveLength(1);
    await expect(read('file:../gitops/cart')).rejects.toMatchObject({
      name: 'InputError',
      message:
        "'file:../gitops/cart' is larger than the 1024 bytes limit of drift.fileLocations.maxBytes",
    });
  });

  it('reads one file, refusing a folder, for locations that must be a file', async () => {
    const e = entity('file:../gitops/cart/deployment.yaml');
    await expect(reader().readFile(e, fileLocation(e))).resolves.toEqual(
      Buffer.from('kind: Deployment'),
    );
    const folder = entity('file:../gitops/cart');
    await expect(
      reader().readFile(folder, fileLocation(folder)),
    ).rejects.toThrow("'file:../gitops/cart' is a folder, not a file");
  });

  it('names a location that does not exist', async () => {
    await expect(read('file:../gitops/nowhere')).rejects.toMatchObject({
      name: 'NotFoundError',
      message: "'file:../gitops/nowhere' does not exist",
    });
  });

  it('reads only for entities registered from a configured file location or inside a root', async () => {
    const elsewhere = path.join(dir, 'elsewhere', 'catalog-info.yaml');
    const fromElsewhere = entity('file:../gitops/cart', `file:${elsewhere}`);
    const fromUrl = entity(
      'file:../gitops/cart',
      'url:https://github.com/acme/cart/blob/main/catalog-info.yaml',
    );

    for (const e of [fromElsewhere, fromUrl]) {
      await expect(read('', reader(), e)).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          'file: locations are only read for entities registered from a file location of catalog.locations',
        ),
      });
    }
    // A location of catalog.locations may live outside the roots.
    await expect(
      read('', reader({ catalogFiles: [elsewhere] }), fromElsewhere),
    ).resolves.toHaveLength(2);
  });

  it('reads nothing without a configured root', async () => {
    await expect(
      read('file:../gitops/cart', reader({ roots: [] })),
    ).rejects.toThrow(
      "'file:../gitops/cart' is not read: no folder is configured in drift.fileLocations.roots",
    );
  });

  it('reads its settings and the catalog file locations from config', async () => {
    const files = FileLocationReader.fromConfig(
      new ConfigReader({
        catalog: {
          locations: [
            {
              type: 'file',
              target: path.relative(
                process.cwd(),
                path.join(dir, 'elsewhere', 'a.yaml'),
              ),
            },
            {
              type: 'url',
              target:
                'https://github.com/acme/cart/blob/main/catalog-info.yaml',
            },
          ],
        },
        drift: {
          fileLocations: {
            roots: [path.relative(process.cwd(), root)],
            maxBytes: 20,
          },
        },
      }),
    );
    const e = entity(
      'file:../gitops/cart',
      `file:${path.join(dir, 'elsewhere', 'a.yaml')}`,
    );

    await expect(files.read(e, fileLocation(e))).rejects.toThrow(
      'limit of drift.fileLocations.maxBytes',
    );
    expect(() =>
      FileLocationReader.fromConfig(
        new ConfigReader({ drift: { fileLocations: { maxBytes: 0 } } }),
      ),
    ).toThrow('drift.fileLocations.maxBytes must be a positive integer, got 0');
  });
});
