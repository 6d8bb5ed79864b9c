import path from 'node:path';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  parseLocationRef,
  type Entity,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/**
 * One location of a Driftwatch annotation such as `driftwatch.io/source` or
 * `driftwatch.io/terraform-plan`.
 *
 * @public
 */
export type EntityLocation = (
  /** Read through Backstage's UrlReader, so any configured integration works. */
  | { type: 'url'; ref: string; url: string }
  /**
   * A path on the backend's file system, resolved against the entity's catalog file; read it
   * with a {@link FileLocationReader}, which keeps it inside the configured roots.
   */
  | { type: 'file'; ref: string; path: string }
) & {
  /**
   * The environment the location is for (`production=url:...`); without one it is for all the
   * entity's environments.
   */
  environment?: string;
};

/** `<environment>=` before a location; `=` may also appear later, inside a URL's query. */
const ENVIRONMENT_PREFIX = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*=\s*(?=(?:url|file):)/;

/**
 * The locations in an entity annotation, separated by commas or newlines, each `url:<http(s)
 * URL>` or `file:<relative path>`, optionally for one environment (`staging=url:...`; the
 * location's `ref` leaves the prefix out). Throws an `InputError` naming the annotation for a
 * malformed one, including an absolute `file:` path.
 *
 * @public
 */
export function readEntityLocations(entity: Entity, annotation: string): EntityLocation[] {
  const value = entity.metadata.annotations?.[annotation] ?? '';
  const refs = value
    .split(/[,\n]/)
    .map(ref => ref.trim())
    .filter(Boolean);
  return refs.map((entry): EntityLocation => {
    const prefix = ENVIRONMENT_PREFIX.exec(entry);
    const ref = prefix ? entry.slice(prefix[0].length) : entry;
    const location = readLocation(entity, annotation, ref);
    return prefix ? { ...location, environment: prefix[1] } : location;
  });
}

function readLocation(entity: Entity, annotation: string, ref: string): EntityLocation {
  if (ref.startsWith('url:')) {
    const url = ref.slice('url:'.length).trim();
    if (!/^https?:\/\//.test(url)) {
      throw new InputError(`${annotation} location '${ref}' is not an http(s) URL`);
    }
    return { type: 'url', ref, url };
  }
  if (ref.startsWith('file:')) {
    return {
      type: 'file',
      ref,
      path: resolveFile(entity, annotation, ref.slice('file:'.length).trim()),
    };
  }
  throw new InputError(
    `${annotation} location '${ref}' must start with 'url:' or 'file:', optionally after an ` +
      `environment ('production=url:...')`,
  );
}

/**
 * Resolves a relative `file:` target against the directory of the entity's catalog file. The
 * file that defines the entity (`backstage.io/managed-by-location`) comes first because a
 * registered location may point at a Location entity in another folder; the registered
 * location (`backstage.io/managed-by-origin-location`) is the fallback.
 */
function resolveFile(entity: Entity, annotation: string, target: string): string {
  if (!target) {
    throw new InputError(`${annotation} has an empty file: location`);
  }
  if (path.isAbsolute(target)) {
    // An absolute path would let a catalog author point the backend at any file it can open.
    throw new InputError(
      `${annotation} location 'file:${target}' is an absolute path; a file: location is ` +
        `relative to the entity's catalog file`,
    );
  }
  const annotations = entity.metadata.annotations ?? {};
  const catalogFile = annotations[ANNOTATION_LOCATION] ?? annotations[ANNOTATION_ORIGIN_LOCATION];
  if (!catalogFile) {
    throw new InputError(
      `${annotation} location 'file:${target}' is relative, but the entity has no ` +
        `${ANNOTATION_LOCATION} annotation to resolve it against`,
    );
  }
  const location = parseLocationRef(catalogFile);
  if (location.type !== 'file') {
    throw new InputError(
      `${annotation} location 'file:${target}' is relative to a catalog file that is not on ` +
        `the backend's file system (${catalogFile}); use a url: location instead`,
    );
  }
  return path.resolve(path.dirname(location.target), target);
}
