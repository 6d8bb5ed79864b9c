import path from 'node:path';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  parseLocationRef,
  type Entity,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { DRIFT_SOURCE_ANNOTATION } from '@driftwatch/plugin-drift-common';

/** One location of `driftwatch.io/source`. */
export type SourceLocation =
  /** Read through Backstage's UrlReader (any configured integration). */
  | { type: 'url'; ref: string; url: string }
  /** A path on the backend's file system, resolved against the entity's catalog file. */
  | { type: 'file'; ref: string; path: string };

/** The locations of an entity's `driftwatch.io/source`, separated by commas or newlines. */
export function readSourceLocations(entity: Entity): SourceLocation[] {
  const value = entity.metadata.annotations?.[DRIFT_SOURCE_ANNOTATION] ?? '';
  const refs = value
    .split(/[,\n]/)
    .map(ref => ref.trim())
    .filter(Boolean);
  return refs.map(ref => {
    if (ref.startsWith('url:')) {
      const url = ref.slice('url:'.length).trim();
      if (!/^https?:\/\//.test(url)) {
        throw new InputError(
          `${DRIFT_SOURCE_ANNOTATION} location '${ref}' is not an http(s) URL`,
        );
      }
      return { type: 'url', ref, url };
    }
    if (ref.startsWith('file:')) {
      return {
        type: 'file',
        ref,
        path: resolveFile(entity, ref.slice('file:'.length).trim()),
      };
    }
    throw new InputError(
      `${DRIFT_SOURCE_ANNOTATION} location '${ref}' must start with 'url:' or 'file:'`,
    );
  });
}

/**
 * Resolves a `file:` target against the directory of the entity's catalog file: the location
 * that defines the entity (`backstage.io/managed-by-location`), else the one it was registered
 * through (`backstage.io/managed-by-origin-location`).
 */
function resolveFile(entity: Entity, target: string): string {
  if (!target)
    throw new InputError(
      `${DRIFT_SOURCE_ANNOTATION} has an empty file: location`,
    );
  if (path.isAbsolute(target)) return path.normalize(target);
  const annotations = entity.metadata.annotations ?? {};
  const catalogFile =
    annotations[ANNOTATION_LOCATION] ?? annotations[ANNOTATION_ORIGIN_LOCATION];
  if (!catalogFile) {
    throw new InputError(
      `${DRIFT_SOURCE_ANNOTATION} location 'file:${target}' is relative, but the entity has no ` +
        `${ANNOTATION_LOCATION} annotation to resolve it against`,
    );
  }
  const location = parseLocationRef(catalogFile);
  if (location.type !== 'file') {
    throw new InputError(
      `${DRIFT_SOURCE_ANNOTATION} location 'file:${target}' is relative to a catalog file that ` +
        `is not on the backend's file system (${catalogFile}); use a url: location instead`,
    );
  }
  return path.resolve(path.dirname(location.target), target);
}
