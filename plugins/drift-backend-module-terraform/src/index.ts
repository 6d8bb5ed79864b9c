/**
 * Terraform for Driftwatch: drift findings from the `resource_drift` of refresh-only plans that
 * CI publishes with `terraform show -json`.
 *
 * @packageDocumentation
 */

export { driftModuleTerraform as default } from './module';
