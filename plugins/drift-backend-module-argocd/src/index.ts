/**
 * Argo CD for Driftwatch: desired state from an Argo CD application's rendered manifests and
 * destination, with Argo CD's own sync and health status kept beside Driftwatch's verdict.
 *
 * @packageDocumentation
 */

export { driftModuleArgoCd as default } from './module';
