import type { ResourceIdentity } from '../types';

/** Kinds that are cluster-scoped in Kubernetes and common add-ons. */
const CLUSTER_SCOPED_KINDS = new Set([
  'APIService',
  'CertificateSigningRequest',
  'ClusterIssuer',
  'ClusterRole',
  'ClusterRoleBinding',
  'ComponentStatus',
  'CSIDriver',
  'CSINode',
  'CustomResourceDefinition',
  'FlowSchema',
  'IngressClass',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PodSecurityPolicy',
  'PriorityClass',
  'PriorityLevelConfiguration',
  'RuntimeClass',
  'SelfSubjectAccessReview',
  'SelfSubjectRulesReview',
  'StorageClass',
  'SubjectAccessReview',
  'TokenReview',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
]);

/**
 * Kinds that older API groups served under another name. The API server keeps one object and
 * serves it under both, so identity uses the current group.
 */
const LEGACY_GROUPS: Record<string, Record<string, string>> = {
  extensions: {
    Deployment: 'apps',
    DaemonSet: 'apps',
    ReplicaSet: 'apps',
    Ingress: 'networking.k8s.io',
    NetworkPolicy: 'networking.k8s.io',
    PodSecurityPolicy: 'policy',
  },
};

/** Splits `apps/v1` into group and version; the core group is `''`. */
export function splitApiVersion(apiVersion: string): {
  group: string;
  version: string;
} {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return { group: '', version: apiVersion };
  return {
    group: apiVersion.slice(0, slash),
    version: apiVersion.slice(slash + 1),
  };
}

/** Whether objects of this kind live outside namespaces. */
export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

/** The identity of an object given its apiVersion, kind, namespace and name. */
export function identityOf(
  apiVersion: string,
  kind: string,
  name: string,
  namespace?: string,
): ResourceIdentity {
  const { group, version } = splitApiVersion(apiVersion);
  const canonicalGroup = LEGACY_GROUPS[group]?.[kind] ?? group;
  const id: ResourceIdentity = { group: canonicalGroup, version, kind, name };
  if (namespace && !isClusterScoped(kind)) id.namespace = namespace;
  return id;
}

/** `Kind:namespace:name`, or `Kind:name` for cluster-scoped objects. */
export function resourceKey(
  id: Pick<ResourceIdentity, 'kind' | 'namespace' | 'name'>,
): string {
  return id.namespace
    ? `${id.kind}:${id.namespace}:${id.name}`
    : `${id.kind}:${id.name}`;
}

/** A key that tells objects apart, group included (two kinds may share a name across groups). */
export function matchKey(id: ResourceIdentity): string {
  return `${id.group}/${id.kind}/${id.namespace ?? ''}/${id.name}`;
}
