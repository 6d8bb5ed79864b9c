import type { Entity } from '@backstage/catalog-model';
import { DRIFT_LINK_ANNOTATIONS } from '@driftwatch/plugin-drift-common';

/**
 * Whether an entity is linked to desired state Driftwatch can compare, i.e. carries
 * `driftwatch.io/source` or `driftwatch.io/terraform-plan`.
 *
 * @public
 */
export function isDriftAvailable(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return DRIFT_LINK_ANNOTATIONS.some(name => Boolean(annotations[name]));
}
