import type { Entity } from '@backstage/catalog-model';
import { DRIFT_SOURCE_ANNOTATION } from '@driftwatch/plugin-drift-common';
import { readEntityLocations, type EntityLocation } from '@driftwatch/plugin-drift-node';

/** One location of `driftwatch.io/source`. */
export type SourceLocation = EntityLocation;

/** The locations of an entity's `driftwatch.io/source`, separated by commas or newlines. */
export function readSourceLocations(entity: Entity): SourceLocation[] {
  return readEntityLocations(entity, DRIFT_SOURCE_ANNOTATION);
}
