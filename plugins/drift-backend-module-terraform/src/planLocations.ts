import type { Entity } from '@backstage/catalog-model';
import { DRIFT_TERRAFORM_PLAN_ANNOTATION } from '@driftwatch/plugin-drift-common';
import { readEntityLocations, type EntityLocation } from '@driftwatch/plugin-drift-node';

/** Where a plan is published: one location of `driftwatch.io/terraform-plan`. */
export type PlanLocation = EntityLocation;

/**
 * The plan locations of an entity, separated by commas or newlines (one per Terraform
 * workspace). Throws an `InputError` naming the annotation for a malformed location.
 */
export function readPlanLocations(entity: Entity): PlanLocation[] {
  return readEntityLocations(entity, DRIFT_TERRAFORM_PLAN_ANNOTATION);
}
