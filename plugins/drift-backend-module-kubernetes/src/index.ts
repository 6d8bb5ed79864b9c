/**
 * Kubernetes for Driftwatch: desired state from Git manifests, live state from the Kubernetes
 * plugin's clusters and from exported snapshots.
 *
 * @packageDocumentation
 */

export { driftModuleKubernetes as default } from './module';
