import type { DriftCategory, JsonValue } from '../types';
import { stableStringify } from '../normalize/normalizeObject';

/** Kinds whose whole content is about access. */
const SECURITY_KINDS = new Set([
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'NetworkPolicy',
  'PodSecurityPolicy',
  'SecurityContextConstraints',
  'AuthorizationPolicy',
  'PeerAuthentication',
  'CiliumNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
]);

const SCALING_KINDS = new Set([
  'HorizontalPodAutoscaler',
  'VerticalPodAutoscaler',
  'ScaledObject',
]);
const RESOURCE_KINDS = new Set(['ResourceQuota', 'LimitRange']);
const VOLUME_KINDS = new Set([
  'PersistentVolumeClaim',
  'PersistentVolume',
  'StorageClass',
]);

const SECURITY_FIELDS = new Set([
  'securityContext',
  'privileged',
  'capabilities',
  'allowPrivilegeEscalation',
  'runAsUser',
  'runAsGroup',
  'runAsNonRoot',
  'readOnlyRootFilesystem',
  'seccompProfile',
  'appArmorProfile',
  'seLinuxOptions',
  'procMount',
  'hostNetwork',
  'hostPID',
  'hostIPC',
  'hostUsers',
  'shareProcessNamespace',
  'serviceAccountName',
  'serviceAccount',
  'automountServiceAccountToken',
]);
const SECRET_FIELDS = new Set([
  'secretKeyRef',
  'secretRef',
  'secret',
  'secretName',
  'imagePullSecrets',
]);
const CONFIG_MAP_FIELDS = new Set([
  'configMapKeyRef',
  'configMapRef',
  'configMap',
]);
const PROBE_FIELDS = new Set([
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
]);
const SCALING_FIELDS = new Set([
  'replicas',
  'minReplicas',
  'maxReplicas',
  'parallelism',
  'completions',
]);
const PORT_FIELDS = new Set([
  'ports',
  'containerPort',
  'targetPort',
  'nodePort',
  'hostPort',
  'port',
  'servicePort',
]);
const VOLUME_FIELDS = new Set([
  'volumes',
  'volumeMounts',
  'volumeDevices',
  'volumeClaimTemplates',
  'emptyDir',
  'hostPath',
  'persistentVolumeClaim',
  'projected',
  'downwardAPI',
  'csi',
  'nfs',
  'ephemeral',
]);
const CONFIGURATION_FIELDS = new Set([
  'env',
  'envFrom',
  'args',
  'command',
  'workingDir',
]);

function fieldCategory(name: string): DriftCategory | undefined {
  if (name === 'image') return 'VersionChange';
  if (SECRET_FIELDS.has(name)) return 'SecretChange';
  if (CONFIG_MAP_FIELDS.has(name)) return 'ConfigMapChange';
  if (SECURITY_FIELDS.has(name)) return 'SecurityChange';
  if (name === 'resources' || name === 'overhead') return 'ResourceChange';
  if (SCALING_FIELDS.has(name)) return 'Scaling';
  if (PORT_FIELDS.has(name)) return 'PortChange';
  if (VOLUME_FIELDS.has(name)) return 'VolumeChange';
  if (CONFIGURATION_FIELDS.has(name)) return 'ConfigurationChange';
  return undefined;
}

/** Whether a value refers to a Secret or a ConfigMap somewhere inside (a whole env var or volume). */
function referenceIn(
  value: JsonValue | undefined,
  depth = 0,
): DriftCategory | undefined {
  if (depth > 4 || value === null || typeof value !== 'object')
    return undefined;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = referenceIn(item, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (SECRET_FIELDS.has(key)) return 'SecretChange';
    if (CONFIG_MAP_FIELDS.has(key)) return 'ConfigMapChange';
  }
  for (const key of Object.keys(value)) {
    const found = referenceIn(value[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Settings that widen what a pod may do on its node, by the value that does it. */
const PRIVILEGE_GRANTS: Record<string, (value: JsonValue) => boolean> = {
  privileged: value => value === true,
  allowPrivilegeEscalation: value => value === true,
  hostNetwork: value => value === true,
  hostPID: value => value === true,
  hostIPC: value => value === true,
  runAsUser: value => value === 0,
  capabilities: value =>
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Array.isArray(value.add) &&
    value.add.length > 0,
};

/** Whether a value sets, somewhere inside, a setting that grants privileges. */
function grantsPrivilege(value: JsonValue | undefined, depth = 0): boolean {
  if (depth > 6 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value))
    return value.some(item => grantsPrivilege(item, depth + 1));
  return Object.entries(value).some(
    ([key, child]) =>
      PRIVILEGE_GRANTS[key]?.(child) || grantsPrivilege(child, depth + 1),
  );
}

/** Items of two lists that the other list lacks (a list reported whole, such as envFrom). */
function listDifference(
  desired: JsonValue[],
  live: JsonValue[],
): [JsonValue[], JsonValue[]] {
  const key = (item: JsonValue) => stableStringify(item);
  const desiredKeys = new Set(desired.map(key));
  const liveKeys = new Set(live.map(key));
  return [
    desired.filter(item => !liveKeys.has(key(item))),
    live.filter(item => !desiredKeys.has(key(item))),
  ];
}

/**
 * The category of a change, from the object's kind and the field names on the way to it
 * (list items as `[]`). The deepest recognized field decides (an env var's secretKeyRef is a
 * SecretChange, a container's image a VersionChange).
 */
export function classifyChange(
  kind: string,
  fields: string[],
  desired?: JsonValue,
  live?: JsonValue,
): DriftCategory {
  for (let i = 0; i < fields.length - 1; i++) {
    if (fields[i] === 'metadata') {
      if (fields[i + 1] === 'labels') return 'LabelChange';
      if (fields[i + 1] === 'annotations') return 'AnnotationChange';
    }
  }
  if (fields.length === 1 && fields[0] === 'metadata')
    return 'ConfigurationChange';
  const top = fields[0];
  if (
    kind === 'Secret' &&
    (top === 'data' || top === 'stringData' || top === 'type')
  )
    return 'SecretChange';
  if (kind === 'ConfigMap' && (top === 'data' || top === 'binaryData'))
    return 'ConfigurationChange';
  if (SECURITY_KINDS.has(kind)) return 'SecurityChange';
  if (SCALING_KINDS.has(kind) && top === 'spec') return 'Scaling';
  if (RESOURCE_KINDS.has(kind)) return 'ResourceChange';
  if (VOLUME_KINDS.has(kind)) return 'VolumeChange';
  if (kind === 'ServiceAccount') {
    if (top === 'secrets' || top === 'imagePullSecrets') return 'SecretChange';
    if (top === 'automountServiceAccountToken') return 'SecurityChange';
  }
  if (kind === 'Service' && fields[1] === 'type') return 'PortChange';
  if (fields.includes('volumeClaimTemplates')) return 'VolumeChange';
  if (fields.some(name => PROBE_FIELDS.has(name))) return 'ConfigurationChange';

  let category: DriftCategory | undefined;
  for (let i = fields.length - 1; i >= 0 && !category; i--)
    category = fieldCategory(fields[i]);
  if (
    !category ||
    category === 'ConfigurationChange' ||
    category === 'VolumeChange'
  ) {
    const [onlyDesired, onlyLive] =
      Array.isArray(desired) && Array.isArray(live)
        ? listDifference(desired, live)
        : [desired, live];
    const reference = referenceIn(onlyLive) ?? referenceIn(onlyDesired);
    if (reference) return reference;
    // A whole container or pod setting added live that grants privileges (a debug sidecar
    // with `privileged: true`) is a security event before it is a configuration one.
    if (grantsPrivilege(onlyLive)) return 'SecurityChange';
  }
  return category ?? 'ConfigurationChange';
}
