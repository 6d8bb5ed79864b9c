/**
 * Terraform for Driftwatch: drift findings from the `resource_drift` of refresh-only plans that
 * CI publishes with `terraform show -json`, or from the health assessments of HCP Terraform and
 * Terraform Enterprise workspaces.
 *
 * @packageDocumentation
 */

export { driftModuleTerraform as default } from './module';
export { DRIFT_TERRAFORM_WORKSPACE_ANNOTATION } from './cloud/workspaces';
