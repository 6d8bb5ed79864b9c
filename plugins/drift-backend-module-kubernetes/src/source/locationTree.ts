import path from 'node:path';
import type { UrlReaderService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { FileLocationReader } from '@driftwatch/plugin-drift-node';
import type { TreeFile } from '../render';
import type { SourceLocation } from './sourceLocations';

/** How locations are read: Backstage's UrlReader and the configured file roots. */
export interface LocationReaders {
  urlReader: UrlReaderService;
  files: FileLocationReader;
}

/**
 * The files of a folder location, sorted by path, and the ETag they were read at: through
 * `readTree` for `url:`, through the FileLocationReader (inside its roots, with a fingerprint
 * of the files as ETag) for `file:`. Given the `etag` of an earlier read that still holds, it
 * throws a `NotModifiedError` instead. At most `maxBytes` are loaded.
 */
export async function readLocationTree(
  readers: LocationReaders,
  entity: Entity,
  location: SourceLocation,
  options: {
    filter?: (file: string) => boolean;
    signal?: AbortSignal;
    maxBytes?: number;
    etag?: string;
  },
): Promise<{ files: TreeFile[]; etag?: string }> {
  const { filter, signal, maxBytes = Infinity, etag } = options;
  const tooLarge = () =>
    new InputError(
      `'${location.ref}' is larger than the ${maxBytes} bytes of drift.render.maxInputBytes`,
    );
  let files: TreeFile[];
  let read: string | undefined;
  if (location.type === 'file') {
    const tree = await readers.files.readTree(entity, location, { filter, etag });
    files = tree.files.map(({ path: file, content }) => ({ path: file, content }));
    read = tree.etag;
    if (files.reduce((sum, f) => sum + f.content.length, 0) > maxBytes) throw tooLarge();
  } else {
    const tree = await readers.urlReader.readTree(location.url, { signal, filter, etag });
    read = tree.etag || undefined;
    files = [];
    let total = 0;
    for (const entry of await tree.files()) {
      const content = await entry.content();
      total += content.length;
      if (total > maxBytes) throw tooLarge();
      files.push({ path: entry.path, content });
    }
  }
  return { files: files.sort((a, b) => a.path.localeCompare(b.path)), etag: read };
}

/**
 * The folder `levels` above a location, and the location's path inside it: where a
 * kustomization's `../../base` is found. A `url:` goes up its URL path (a GitHub `tree/<ref>/...`
 * URL stays in its repository while the path has folders left); a `file:` stays subject to the
 * FileLocationReader's roots.
 */
export function ancestorLocation(
  location: SourceLocation,
  levels: number,
): { location: SourceLocation; subdir: string } {
  if (location.type === 'file') {
    const parent = path.resolve(location.path, ...Array(levels).fill('..'));
    const target = location.ref.slice('file:'.length).trim();
    return {
      location: {
        ...location,
        ref: `file:${path.posix.normalize(`${target}/${'../'.repeat(levels)}`).replace(/\/$/, '')}`,
        path: parent,
      },
      subdir: path.relative(parent, location.path).split(path.sep).join('/'),
    };
  }
  const url = new URL(location.url);
  const segments = url.pathname.replace(/\/+$/, '').split('/');
  // Keep at least the host's first segments (an owner and repository) above the folder.
  if (segments.length - levels < 3) {
    throw new InputError(`'${location.ref}' has no folder ${levels} levels above it`);
  }
  url.pathname = segments.slice(0, segments.length - levels).join('/');
  const subdir = segments.slice(segments.length - levels).join('/');
  return {
    location: { ...location, ref: `url:${url.href}`, url: url.href },
    subdir,
  };
}
