import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { constants } from 'node:fs';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  parseLocationRef,
  type Entity,
} from '@backstage/catalog-model';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  NotModifiedError,
} from '@backstage/errors';
import type { EntityLocation } from './locations';

/** A `file:` location of an entity annotation. @public */
export type FileEntityLocation = Extract<EntityLocation, { type: 'file' }>;

/** One file read from a `file:` location. @public */
export interface FileLocationFile {
  /** `/`-separated path relative to the location; the file's own name for a file location. */
  path: string;
  content: Buffer;
}

/** Options of {@link FileLocationReader}. @public */
export interface FileLocationReaderOptions {
  /** Absolute folders that `file:` locations may read inside. */
  roots: string[];
  /** Absolute targets of the `file` locations of `catalog.locations`. */
  catalogFiles: string[];
  /** Largest total size, in bytes, of the files one location reads. */
  maxBytes: number;
}

/** The default of `drift.fileLocations.maxBytes`: 32 MiB. */
export const DEFAULT_FILE_LOCATION_MAX_BYTES = 32 * 1024 * 1024;

// Never follow a symbolic link swapped in after the checks, and never wait on a FIFO.
const OPEN_FLAGS =
  constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

function isUnder(root: string, target: string): boolean {
  try {
    resolveSafeChildPath(root, path.relative(root, target));
    return true;
  } catch (error) {
    if ((error as Error)?.name === 'NotAllowedError') return false;
    throw error;
  }
}

function size(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return mib >= 1 ? `${Math.round(mib * 10) / 10} MiB` : `${bytes} bytes`;
}

/**
 * Every regular file under `dir` that passes `filter`, as `/`-separated relative paths sorted
 * by path; hidden folders and symbolic links are skipped.
 */
async function listFiles(
  dir: string,
  filter?: (file: string) => boolean,
): Promise<string[]> {
  const files: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    const entries = await fs.readdir(path.join(dir, relative), {
      withFileTypes: true,
    });
    for (const entry of entries) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.')) await walk(child);
      } else if (entry.isFile() && (!filter || filter(child))) {
        files.push(child);
      }
    }
  };
  await walk('');
  return files.sort((a, b) => a.localeCompare(b));
}

/**
 * A cheap fingerprint of files under `dir` (`/`-separated relative paths): their paths, sizes,
 * modification and change times and inodes, without reading them. An edit, a `touch`, a file
 * replaced by a rename, added or removed all change it.
 *
 * @public
 */
export async function fingerprintFiles(
  dir: string,
  files: string[],
): Promise<string> {
  const hash = createHash('sha256').update(dir);
  for (const file of files) {
    const stat = await fs.lstat(path.join(dir, file), { bigint: true });
    hash.update(
      `\0${file}\0${stat.size}\0${stat.mtimeNs}\0${stat.ctimeNs}\0${stat.ino}`,
    );
  }
  return hash.digest('hex');
}

/**
 * Reads the `file:` locations of entity annotations (`driftwatch.io/source`,
 * `driftwatch.io/terraform-plan`) from the backend's file system, within what the operator
 * configured: only for entities registered from a `file` location of `catalog.locations` (or
 * from a catalog file inside a root), only inside `drift.fileLocations.roots`, only regular
 * files, and at most `drift.fileLocations.maxBytes` per location. A catalog author can name a
 * path, never widen what the backend reads.
 *
 * @public
 */
export class FileLocationReader {
  /** Reads `drift.fileLocations` and the `file` locations of `catalog.locations`. */
  static fromConfig(config: Config): FileLocationReader {
    const maxBytes =
      config.getOptionalNumber('drift.fileLocations.maxBytes') ??
      DEFAULT_FILE_LOCATION_MAX_BYTES;
    if (!Number.isInteger(maxBytes) || maxBytes < 1) {
      throw new InputError(
        `drift.fileLocations.maxBytes must be a positive integer, got ${maxBytes}`,
      );
    }
    const catalogFiles = (
      config.getOptionalConfigArray('catalog.locations') ?? []
    )
      .filter(location => location.getOptionalString('type') === 'file')
      .map(location => path.resolve(location.getString('target')));
    return new FileLocationReader({
      // Relative to the backend's working directory, as the catalog resolves its file locations.
      roots: (
        config.getOptionalStringArray('drift.fileLocations.roots') ?? []
      ).map(root => path.resolve(root)),
      catalogFiles,
      maxBytes,
    });
  }

  constructor(private readonly options: FileLocationReaderOptions) {}

  /**
   * The files of a `file:` location: the file itself, or every file under the folder that
   * passes `filter` (recursively; hidden folders and symbolic links are skipped), sorted by
   * path. Throws a `NotAllowedError` for an entity or a path outside what config allows, an
   * `InputError` for something that is not a regular file or folder or is too large, and a
   * `NotFoundError` when nothing is there.
   */
  async read(
    entity: Entity,
    location: FileEntityLocation,
    options: { filter?: (file: string) => boolean } = {},
  ): Promise<FileLocationFile[]> {
    const { real, isFile } = await this.open(entity, location);
    const files = isFile
      ? [path.basename(real)]
      : await listFiles(real, options.filter);
    return this.readAll(location, isFile ? path.dirname(real) : real, files);
  }

  /**
   * As {@link read}, with a fingerprint of the files as `etag` (their paths, sizes, change
   * times and inodes, see {@link fingerprintFiles}). Given the `etag` of an earlier read that
   * still holds, it throws a `NotModifiedError` without opening a file, as Backstage's
   * `UrlReader.readTree` does for an unchanged tree. The fingerprint is taken before the files
   * are read: a file that changes while it is read makes the next fingerprint differ, so a
   * change can cost a second read but is never missed.
   */
  async readTree(
    entity: Entity,
    location: FileEntityLocation,
    options: { filter?: (file: string) => boolean; etag?: string } = {},
  ): Promise<{ files: FileLocationFile[]; etag: string }> {
    const { real, isFile } = await this.open(entity, location);
    const dir = isFile ? path.dirname(real) : real;
    const files = isFile
      ? [path.basename(real)]
      : await listFiles(real, options.filter);
    const etag = await fingerprintFiles(dir, files);
    if (options.etag === etag) {
      throw new NotModifiedError(`'${location.ref}' has not changed`);
    }
    return { files: await this.readAll(location, dir, files), etag };
  }

  private async readAll(
    location: FileEntityLocation,
    dir: string,
    files: string[],
  ): Promise<FileLocationFile[]> {
    const budget = { left: this.options.maxBytes };
    const read: FileLocationFile[] = [];
    for (const file of files) {
      read.push({
        path: file,
        content: await this.readCapped(location, path.join(dir, file), budget),
      });
    }
    return read;
  }

  /** The content of a `file:` location that must be one file; as {@link read} otherwise. */
  async readFile(
    entity: Entity,
    location: FileEntityLocation,
  ): Promise<Buffer> {
    const { real, isFile } = await this.open(entity, location);
    if (!isFile)
      throw new InputError(`'${location.ref}' is a folder, not a file`);
    return this.readCapped(location, real, { left: this.options.maxBytes });
  }

  /** Checks the entity and the path, and tells a regular file from a folder. */
  private async open(
    entity: Entity,
    location: FileEntityLocation,
  ): Promise<{ real: string; isFile: boolean }> {
    if (this.options.roots.length === 0) {
      throw new NotAllowedError(
        `'${location.ref}' is not read: no folder is configured in drift.fileLocations.roots`,
      );
    }
    this.checkEntity(entity, location);
    const target = this.contain(location);
    let real: string;
    try {
      real = await fs.realpath(target);
    } catch {
      throw new NotFoundError(`'${location.ref}' does not exist`);
    }
    const stat = await fs.stat(real);
    if (!stat.isFile() && !stat.isDirectory()) {
      throw new InputError(`'${location.ref}' is not a regular file or folder`);
    }
    return { real, isFile: stat.isFile() };
  }

  /** Only entities the operator's catalog configuration brought in may name files. */
  private checkEntity(entity: Entity, location: FileEntityLocation): void {
    const annotations = entity.metadata.annotations ?? {};
    const origin =
      annotations[ANNOTATION_ORIGIN_LOCATION] ??
      annotations[ANNOTATION_LOCATION];
    const ref = origin ? parseLocationRef(origin) : undefined;
    const registered =
      ref?.type === 'file' &&
      (this.options.catalogFiles.includes(path.resolve(ref.target)) ||
        this.options.roots.some(root =>
          isUnder(root, path.resolve(ref.target)),
        ));
    if (!registered) {
      throw new NotAllowedError(
        `'${location.ref}' is not read: file: locations are only read for entities registered ` +
          `from a file location of catalog.locations or inside drift.fileLocations.roots; ` +
          `use a url: location`,
      );
    }
  }

  private contain(location: FileEntityLocation): string {
    for (const root of this.options.roots) {
      if (isUnder(root, location.path)) {
        return resolveSafeChildPath(root, path.relative(root, location.path));
      }
    }
    throw new NotAllowedError(
      `'${location.ref}' is not read: it is outside the folders of drift.fileLocations.roots`,
    );
  }

  private async readCapped(
    location: FileEntityLocation,
    file: string,
    budget: { left: number },
  ): Promise<Buffer> {
    const handle = await fs.open(file, OPEN_FLAGS);
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) {
        throw new InputError(
          `'${location.ref}' holds something that is not a regular file`,
        );
      }
      if (stat.size > budget.left) {
        throw new InputError(
          `'${location.ref}' is larger than the ${size(
            this.options.maxBytes,
          )} ` + `limit of drift.fileLocations.maxBytes`,
        );
      }
      budget.left -= stat.size;
      const content = Buffer.alloc(stat.size);
      let offset = 0;
      while (offset < stat.size) {
        const { bytesRead } = await handle.read(
          content,
          offset,
          stat.size - offset,
          offset,
        );
        if (bytesRead === 0) break;
        offset += bytesRead;
      }
      return content.subarray(0, offset);
    } finally {
      await handle.close();
    }
  }
}
