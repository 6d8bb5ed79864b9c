import path from 'node:path';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  parseLocationRef,
  type Entity,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { DRIFT_TERRAFORM_PLAN_ANNOTATION } from '@driftwatch/plugin-drift-common';

/** Where a plan is published: one location of `driftwatch.io/terraform-plan`. */
export type PlanLocation =
  /** Read through Backstage's UrlReader, so any configured integration (GitHub, S3, ...) works. */
  | { type: 'url'; ref: string; url: string }
  /** A file on the backend's file system, resolved against the entity's catalog file. */
  | { type: 'file'; ref: string; path: string };

/**
 * The plan locations of an entity, separated by commas or newlines (one per Terraform
 * workspace). Throws an `InputError` naming the annotation for a malformed location.
 */
export function readPlanLocations(entity: Entity): PlanLocation[] {
  const value =
    entity.metadata.annotations?.[DRIFT_TERRAFORM_PLAN_ANNOTATION] ?? '';
  const refs = value
    .split(/[,\n]/)
    .map(ref => ref.trim())
    .filter(Boolean);
  return refs.map((ref): PlanLocation => {
    if (ref.startsWith('url:')) {
      const url = ref.slice('url:'.length).trim();
      if (!/^https?:\/\//.test(url)) {
        throw new InputError(
          `${DRIFT_TERRAFORM_PLAN_ANNOTATION} location '${ref}' is not an http(s) URL`,
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
      `${DRIFT_TERRAFORM_PLAN_ANNOTATION} location '${ref}' must start with 'url:' or 'file:'`,
    );
  });
}

/**
 * Resolves a relative `file:` target against the directory of the entity's catalog file. The
 * file that defines the entity (`backstage.io/managed-by-location`) comes first because a
 * registered location may point at a Location entity in another folder; the registered
 * location (`backstage.io/managed-by-origin-location`) is the fallback.
 */
function resolveFile(entity: Entity, target: string): string {
  if (!target) {
    throw new InputError(
      `${DRIFT_TERRAFORM_PLAN_ANNOTATION} has an empty file: location`,
    );
  }
  if (path.isAbsolute(target)) return path.normalize(target);
  const annotations = entity.metadata.annotations ?? {};
  const catalogFile =
    annotations[ANNOTATION_LOCATION] ?? annotations[ANNOTATION_ORIGIN_LOCATION];
  if (!catalogFile) {
    throw new InputError(
      `${DRIFT_TERRAFORM_PLAN_ANNOTATION} location 'file:${target}' is relative, but the entity ` +
        `has no ${ANNOTATION_ORIGIN_LOCATION} annotation to resolve it against`,
    );
  }
  const location = parseLocationRef(catalogFile);
  if (location.type !== 'file') {
    throw new InputError(
      `${DRIFT_TERRAFORM_PLAN_ANNOTATION} location 'file:${target}' is relative to a catalog ` +
        `file that is not on the backend's file system (${catalogFile}); use a url: location`,
    );
  }
  return path.resolve(path.dirname(location.target), target);
}
