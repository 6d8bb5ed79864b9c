import path from 'node:path';
import type { Entity } from '@backstage/catalog-model';
import type { ScanWorkCounter } from '@driftwatch/plugin-drift-node';
import { isManifestFile } from '../manifestFiles';
import type { TreeFile } from '../render';
import { readLocationTree, type LocationReaders } from './locationTree';
import type { SourceLocation } from './sourceLocations';

/**
 * What a read fetched: one file by URL, a folder's manifests (and the files that make it a
 * chart or a kustomization), or a whole folder to render.
 */
export type ReadScope = 'file' | 'manifests' | 'tree';

/** One read behind a location's result, with the ETag it answered. */
export interface ReadStamp {
  location: SourceLocation;
  scope: ReadScope;
  etag: string;
}

/**
 * What a folder is read with first: its manifests, and the files that make it a chart or a
 * kustomization (`Chart.yaml` and most kustomization files are manifests by name already).
 */
export function isManifestOrMarker(file: string): boolean {
  return isManifestFile(file) || file === 'Kustomization';
}

function isNotModified(error: unknown): boolean {
  return (error as Error)?.name === 'NotModifiedError';
}

function whereOf(location: SourceLocation): string {
  return location.type === 'file'
    ? `file:${location.path}`
    : `url:${location.url}`;
}

/**
 * The reads of one location in one scan round. Each is recorded with its ETag, so the next
 * round can first ask the same reads whether anything changed (`unchanged`) and, when nothing
 * did, reuse what they gave without fetching, parsing or rendering again. A whole folder's
 * ETag covers its manifests too: the UrlReader's ETag is the tree's, whatever the filter, and a
 * file fingerprint of every file changes with any of them.
 */
export class LocationReads {
  private readonly stamps = new Map<string, ReadStamp>();
  /** Set once a read came without an ETag: the next round cannot tell what changed. */
  private untracked = false;
  /** A read that answered with content while `unchanged` asked it, for the reads that follow. */
  private fetched?: {
    location: SourceLocation;
    scope: ReadScope;
    files: TreeFile[];
    etag?: string;
  };

  constructor(
    private readonly readers: LocationReaders,
    private readonly entity: Entity,
    private readonly options: {
      signal?: AbortSignal;
      /** Most bytes a whole folder (to render) may hold. */
      maxBytes?: number;
      work?: ScanWorkCounter;
    },
  ) {}

  /**
   * Whether every read of an earlier round answers "not modified" for its ETag. The first that
   * does not has fetched its content, which the reads of this round then use.
   */
  async unchanged(previous: ReadStamp[]): Promise<boolean> {
    for (const stamp of previous) {
      try {
        const read = await this.fetch(stamp.location, stamp.scope, stamp.etag);
        this.fetched = {
          location: stamp.location,
          scope: stamp.scope,
          ...read,
        };
        return false;
      } catch (error) {
        if (!isNotModified(error)) throw error;
        this.options.work?.count('treesNotModified');
      }
    }
    for (const stamp of previous)
      this.record(stamp.location, stamp.scope, stamp.etag);
    return true;
  }

  /** The files of a read, fetched unless `unchanged` has them already. */
  async files(location: SourceLocation, scope: ReadScope): Promise<TreeFile[]> {
    const fetched = this.fetched;
    if (fetched && whereOf(fetched.location) === whereOf(location)) {
      if (fetched.scope === scope) {
        this.record(location, scope, fetched.etag);
        return fetched.files;
      }
      if (fetched.scope === 'tree' && scope === 'manifests') {
        // Taken from the whole folder: the folder's ETag is what the next round asks.
        this.record(location, 'tree', fetched.etag);
        return fetched.files.filter(file => isManifestOrMarker(file.path));
      }
    }
    const read = await this.fetch(location, scope);
    this.record(location, scope, read.etag);
    return read.files;
  }

  /** The reads of the round, for `unchanged` next round; undefined when one had no ETag. */
  recorded(): ReadStamp[] | undefined {
    if (this.untracked) return undefined;
    const stamps = [...this.stamps.values()];
    const trees = new Set(
      stamps.filter(s => s.scope === 'tree').map(s => whereOf(s.location)),
    );
    return stamps.filter(
      s => !(s.scope === 'manifests' && trees.has(whereOf(s.location))),
    );
  }

  private record(
    location: SourceLocation,
    scope: ReadScope,
    etag?: string,
  ): void {
    if (!etag) this.untracked = true;
    else
      this.stamps.set(`${scope}|${whereOf(location)}`, {
        location,
        scope,
        etag,
      });
  }

  private async fetch(
    location: SourceLocation,
    scope: ReadScope,
    etag?: string,
  ): Promise<{ files: TreeFile[]; etag?: string }> {
    const { signal, maxBytes, work } = this.options;
    let read: { files: TreeFile[]; etag?: string };
    if (scope === 'file' && location.type === 'url') {
      const response = await this.readers.urlReader.readUrl(location.url, {
        etag,
        signal,
      });
      read = {
        files: [
          {
            path: path.posix.basename(new URL(location.url).pathname),
            content: await response.buffer(),
          },
        ],
        etag: response.etag,
      };
    } else {
      read = await readLocationTree(this.readers, this.entity, location, {
        signal,
        etag,
        ...(scope === 'tree' ? { maxBytes } : { filter: isManifestOrMarker }),
      });
    }
    work?.count('treesRead');
    return read;
  }
}
