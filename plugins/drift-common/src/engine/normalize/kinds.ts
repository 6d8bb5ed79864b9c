// What the engine knows about Kubernetes types: which lists are maps keyed by merge keys, which
// are sets, which fields hold quantities or int-or-string values, what the API server defaults
// (pkg/apis/*/v1/defaults.go) and what it allocates. Kinds not listed here are compared by
// their JSON structure alone.
import type { JsonObject, JsonValue } from '../types';
import {
  ALLOCATED,
  ANY,
  IGNORED,
  INT_OR_STRING,
  QUANTITY,
  SECRET_VALUE,
  STRING,
  type DefaultFn,
  type Node,
  type Scope,
  type StructNode,
  isObject,
  map,
  mapList,
  ordered,
  set,
  struct,
  withDefault,
  withOptions,
} from './schema';

const NIL_DIFFERS = withOptions(ANY, { nilDiffers: true });
const def = (value: JsonValue | DefaultFn): Node => withDefault(ANY, value);
const STRING_MAP = map(STRING);
const QUANTITY_MAP = map(QUANTITY);

/** Annotations written by the API server, controllers or deploy tools, never by the app's author. */
const SERVER_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.daemonset.template.generation',
  'pv.kubernetes.io/bind-completed',
  'pv.kubernetes.io/bound-by-controller',
  'pv.kubernetes.io/provisioned-by',
  'pv.kubernetes.io/migrated-to',
  'volume.beta.kubernetes.io/storage-provisioner',
  'volume.kubernetes.io/storage-provisioner',
  'volume.kubernetes.io/selected-node',
  'control-plane.alpha.kubernetes.io/leader',
  'endpoints.kubernetes.io/last-change-trigger-time',
  'endpoints.kubernetes.io/over-capacity',
  'kubernetes.io/service-account.uid',
  'batch.kubernetes.io/job-tracking',
  'batch.kubernetes.io/cronjob-scheduled-timestamp',
  'autoscaling.alpha.kubernetes.io/conditions',
  'autoscaling.alpha.kubernetes.io/current-metrics',
  'autoscaling.alpha.kubernetes.io/metrics',
  'autoscaling.alpha.kubernetes.io/behavior',
  // Written by `helm install` and by Argo CD's annotation tracking, not part of the manifests.
  'meta.helm.sh/release-name',
  'meta.helm.sh/release-namespace',
  'argocd.argoproj.io/tracking-id',
]);

/** Labels the API server or controllers add (Job selectors, Namespace name, Pod hashes). */
const SERVER_LABELS = new Set([
  'controller-uid',
  'job-name',
  'batch.kubernetes.io/controller-uid',
  'batch.kubernetes.io/job-name',
  'pod-template-hash',
  'controller-revision-hash',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'pod-template-generation',
]);

/**
 * Prefixes of the bookkeeping deploy tools add to every object they apply (Flux, kapp, Fleet),
 * like kubectl's last-applied annotation; `driftwatch.io/` holds this tool's own settings.
 */
const TOOL_PREFIXES = [
  'driftwatch.io/',
  'kustomize.toolkit.fluxcd.io/',
  'helm.toolkit.fluxcd.io/',
  'kapp.k14s.io/',
  'objectset.rio.cattle.io/',
];

function isToolKey(key: string): boolean {
  return TOOL_PREFIXES.some(prefix => key.startsWith(prefix));
}

function isServerAnnotation(key: string): boolean {
  return SERVER_ANNOTATIONS.has(key) || isToolKey(key);
}

function isServerLabel(key: string, scope: Scope): boolean {
  if (SERVER_LABELS.has(key) || isToolKey(key)) return true;
  return key === 'kubernetes.io/metadata.name' && scope.kind === 'Namespace';
}

const LABELS = map(STRING, { serverKey: isServerLabel });
const ANNOTATIONS = map(STRING, { serverKey: isServerAnnotation });

/** Kinds whose labels default to their pod template's labels (SetDefaults_Job and the like). */
const LABELS_FROM_TEMPLATE = new Set(['Job', 'ReplicationController']);
const LEGACY_LABELS_FROM_TEMPLATE = new Set([
  'extensions/v1beta1',
  'apps/v1beta1',
  'apps/v1beta2',
]);

function templateLabels(
  _parent: JsonObject,
  scope: Scope,
): JsonValue | undefined {
  if (
    !LABELS_FROM_TEMPLATE.has(scope.kind) &&
    !LEGACY_LABELS_FROM_TEMPLATE.has(scope.apiVersion)
  )
    return undefined;
  const spec = scope.root.spec;
  const template = isObject(spec) ? spec.template : undefined;
  const metadata = isObject(template) ? template.metadata : undefined;
  return isObject(metadata) && isObject(metadata.labels)
    ? metadata.labels
    : undefined;
}

const OBJECT_LABELS = map(STRING, {
  serverKey: isServerLabel,
  default: templateLabels,
});

/** Metadata of a top-level object. */
const OBJECT_META = struct({
  name: IGNORED,
  namespace: IGNORED,
  labels: OBJECT_LABELS,
  annotations: ANNOTATIONS,
  uid: IGNORED,
  resourceVersion: IGNORED,
  generation: IGNORED,
  creationTimestamp: IGNORED,
  deletionTimestamp: IGNORED,
  deletionGracePeriodSeconds: IGNORED,
  managedFields: IGNORED,
  selfLink: IGNORED,
  clusterName: IGNORED,
  generateName: ALLOCATED,
  ownerReferences: ALLOCATED,
  // Controllers add finalizers (pvc-protection, foregroundDeletion): Git's must be there, more is fine.
  finalizers: set(STRING, { defaultItem: () => true }),
});

/** Metadata inside templates (pod templates, volume claim templates). */
const TEMPLATE_META = struct({
  name: STRING,
  namespace: IGNORED,
  labels: LABELS,
  annotations: ANNOTATIONS,
  creationTimestamp: IGNORED,
  uid: IGNORED,
  resourceVersion: IGNORED,
  generation: IGNORED,
  managedFields: IGNORED,
});

const LABEL_SELECTOR = struct({
  matchLabels: STRING_MAP,
  matchExpressions: set(
    struct({ key: STRING, operator: STRING, values: set() }),
  ),
});

// --- core/v1: containers -------------------------------------------------------------------

/** Image tag rules of SetDefaults_Container: `:latest` or no tag pulls Always. */
function defaultPullPolicy(parent: JsonObject): JsonValue | undefined {
  const image = parent.image;
  if (typeof image !== 'string') return undefined;
  const withoutDigest = image.split('@')[0];
  const hasDigest = withoutDigest.length !== image.length;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  const tag = colon >= 0 ? withoutDigest.slice(colon + 1) : '';
  if (tag === 'latest' || (!tag && !hasDigest)) return 'Always';
  return 'IfNotPresent';
}

const HTTP_GET = struct({
  path: def('/'),
  port: INT_OR_STRING,
  host: STRING,
  scheme: def('HTTP'),
  httpHeaders: ordered(struct({ name: STRING, value: STRING })),
});
const TCP_SOCKET = struct({ port: INT_OR_STRING, host: STRING });
const EXEC = struct({ command: ordered() });
const GRPC = struct({ port: ANY, service: def('') });

const PROBE = struct({
  exec: EXEC,
  httpGet: HTTP_GET,
  tcpSocket: TCP_SOCKET,
  grpc: GRPC,
  initialDelaySeconds: ANY,
  timeoutSeconds: def(1),
  periodSeconds: def(10),
  successThreshold: def(1),
  failureThreshold: def(3),
  terminationGracePeriodSeconds: NIL_DIFFERS,
});

const HANDLER = struct({
  exec: EXEC,
  httpGet: HTTP_GET,
  tcpSocket: TCP_SOCKET,
  sleep: ANY,
});
const LIFECYCLE = struct({ postStart: HANDLER, preStop: HANDLER });

const CAPABILITIES = struct({ add: set(), drop: set() });
const SECCOMP = struct({ type: STRING, localhostProfile: STRING });

const CONTAINER_SECURITY_CONTEXT = struct({
  capabilities: CAPABILITIES,
  privileged: ANY,
  seLinuxOptions: ANY,
  windowsOptions: ANY,
  runAsUser: NIL_DIFFERS,
  runAsGroup: NIL_DIFFERS,
  runAsNonRoot: ANY,
  readOnlyRootFilesystem: ANY,
  // nil lets a process gain privileges; false forbids it.
  allowPrivilegeEscalation: NIL_DIFFERS,
  procMount: def('Default'),
  seccompProfile: SECCOMP,
  appArmorProfile: SECCOMP,
});

const KEY_REF = struct({ name: STRING, key: STRING, optional: ANY });
const ENV_VAR = struct({
  name: STRING,
  value: STRING,
  valueFrom: struct({
    fieldRef: struct({ apiVersion: def('v1'), fieldPath: STRING }),
    resourceFieldRef: struct({
      containerName: STRING,
      resource: STRING,
      divisor: QUANTITY,
    }),
    configMapKeyRef: KEY_REF,
    secretKeyRef: KEY_REF,
  }),
});
const NAME_REF = struct({ name: STRING, optional: ANY });
const ENV_FROM = struct({
  prefix: STRING,
  configMapRef: NAME_REF,
  secretRef: NAME_REF,
});

/** Pods default requests to limits; templates do not (SetDefaults_Pod). */
function defaultRequests(
  parent: JsonObject,
  scope: Scope,
): JsonValue | undefined {
  return scope.kind === 'Pod' && isObject(parent.limits)
    ? parent.limits
    : undefined;
}

const RESOURCES = struct({
  limits: QUANTITY_MAP,
  requests: withDefault(QUANTITY_MAP, defaultRequests),
  claims: mapList(['name'], struct({ name: STRING, request: STRING })),
});

/** With hostNetwork the host port is the container port. */
function defaultHostPort(
  parent: JsonObject,
  scope: Scope,
): JsonValue | undefined {
  return scope.podSpec?.hostNetwork === true ? parent.containerPort : undefined;
}

const CONTAINER_PORT = struct({
  name: STRING,
  containerPort: ANY,
  hostPort: def(defaultHostPort),
  protocol: def('TCP'),
  hostIP: STRING,
});

const VOLUME_MOUNT = struct({
  name: STRING,
  mountPath: STRING,
  subPath: STRING,
  subPathExpr: STRING,
  readOnly: ANY,
  mountPropagation: ANY,
  recursiveReadOnly: ANY,
});

/** The service account token volume that admission adds to every Pod. */
function isTokenMount(item: JsonValue, scope: Scope): boolean {
  return (
    scope.kind === 'Pod' &&
    isObject(item) &&
    typeof item.name === 'string' &&
    item.name.startsWith('kube-api-access-')
  );
}

const CONTAINER = struct({
  name: STRING,
  image: STRING,
  command: ordered(),
  args: ordered(),
  workingDir: STRING,
  ports: mapList(
    ['containerPort', { name: 'protocol', default: 'TCP' }],
    CONTAINER_PORT,
  ),
  envFrom: ordered(ENV_FROM),
  env: mapList(['name'], ENV_VAR),
  resources: RESOURCES,
  resizePolicy: mapList(
    ['resourceName'],
    struct({ resourceName: STRING, restartPolicy: def('NotRequired') }),
    {
      defaultItem: item =>
        isObject(item) &&
        (item.resourceName === 'cpu' || item.resourceName === 'memory') &&
        (item.restartPolicy === undefined ||
          item.restartPolicy === 'NotRequired'),
    },
  ),
  restartPolicy: STRING,
  volumeMounts: mapList(['mountPath'], VOLUME_MOUNT, {
    defaultItem: isTokenMount,
  }),
  volumeDevices: mapList(
    ['devicePath'],
    struct({ name: STRING, devicePath: STRING }),
  ),
  livenessProbe: PROBE,
  readinessProbe: PROBE,
  startupProbe: PROBE,
  lifecycle: LIFECYCLE,
  terminationMessagePath: def('/dev/termination-log'),
  terminationMessagePolicy: def('File'),
  imagePullPolicy: def(defaultPullPolicy),
  securityContext: CONTAINER_SECURITY_CONTEXT,
  stdin: ANY,
  stdinOnce: ANY,
  tty: ANY,
});

// --- core/v1: volumes ------------------------------------------------------------------------

const KEY_TO_PATH = ordered(struct({ key: STRING, path: STRING, mode: ANY }));
const DOWNWARD_FILE = struct({
  path: STRING,
  fieldRef: struct({ apiVersion: def('v1'), fieldPath: STRING }),
  resourceFieldRef: struct({
    containerName: STRING,
    resource: STRING,
    divisor: QUANTITY,
  }),
  mode: ANY,
});
const DEFAULT_MODE = def(420); // 0644

const PVC_SPEC = struct({
  accessModes: set(),
  selector: LABEL_SELECTOR,
  resources: struct({ requests: QUANTITY_MAP, limits: QUANTITY_MAP }),
  // Bound by the controller and filled by the DefaultStorageClass admission plugin.
  volumeName: ALLOCATED,
  storageClassName: withOptions(STRING, { allocated: true }),
  volumeMode: def('Filesystem'),
  dataSource: ANY,
  dataSourceRef: ALLOCATED,
  volumeAttributesClassName: STRING,
});

const PVC_TEMPLATE = struct({
  apiVersion: def('v1'),
  kind: def('PersistentVolumeClaim'),
  metadata: TEMPLATE_META,
  spec: PVC_SPEC,
  status: IGNORED,
});

const VOLUME = struct({
  name: STRING,
  hostPath: struct({ path: STRING, type: def('') }),
  emptyDir: struct({ medium: STRING, sizeLimit: QUANTITY }),
  secret: struct({
    secretName: STRING,
    items: KEY_TO_PATH,
    defaultMode: DEFAULT_MODE,
    optional: ANY,
  }),
  configMap: struct({
    name: STRING,
    items: KEY_TO_PATH,
    defaultMode: DEFAULT_MODE,
    optional: ANY,
  }),
  persistentVolumeClaim: struct({ claimName: STRING, readOnly: ANY }),
  downwardAPI: struct({
    items: ordered(DOWNWARD_FILE),
    defaultMode: DEFAULT_MODE,
  }),
  projected: struct({
    defaultMode: DEFAULT_MODE,
    sources: ordered(
      struct({
        secret: struct({ name: STRING, items: KEY_TO_PATH, optional: ANY }),
        configMap: struct({ name: STRING, items: KEY_TO_PATH, optional: ANY }),
        downwardAPI: struct({ items: ordered(DOWNWARD_FILE) }),
        serviceAccountToken: struct({
          audience: STRING,
          expirationSeconds: def(3600),
          path: STRING,
        }),
      }),
    ),
  }),
  csi: struct({
    driver: STRING,
    readOnly: ANY,
    fsType: STRING,
    volumeAttributes: STRING_MAP,
  }),
  ephemeral: struct({
    volumeClaimTemplate: struct({ metadata: TEMPLATE_META, spec: PVC_SPEC }),
  }),
  iscsi: struct({ iscsiInterface: def('default') }, { other: ANY }),
  rbd: struct(
    { pool: def('rbd'), user: def('admin'), keyring: def('/etc/ceph/keyring') },
    { other: ANY },
  ),
  azureDisk: struct(
    {
      cachingMode: def('ReadWrite'),
      fsType: def('ext4'),
      readOnly: def(false),
      kind: def('Shared'),
    },
    { other: ANY },
  ),
  scaleIO: struct(
    { storageMode: def('ThinProvisioned'), fsType: def('xfs') },
    { other: ANY },
  ),
});

// --- core/v1: pod spec -----------------------------------------------------------------------

const NODE_SELECTOR_TERM = struct({
  matchExpressions: set(
    struct({ key: STRING, operator: STRING, values: set() }),
  ),
  matchFields: set(struct({ key: STRING, operator: STRING, values: set() })),
});
const POD_AFFINITY_TERM = struct({
  labelSelector: LABEL_SELECTOR,
  namespaces: set(),
  topologyKey: STRING,
  // An empty selector means every namespace; no selector means the Pod's own.
  namespaceSelector: withOptions(LABEL_SELECTOR, { keepEmpty: true }),
  matchLabelKeys: set(),
  mismatchLabelKeys: set(),
});
const POD_AFFINITY = struct({
  requiredDuringSchedulingIgnoredDuringExecution: set(POD_AFFINITY_TERM),
  preferredDuringSchedulingIgnoredDuringExecution: set(
    struct({ weight: ANY, podAffinityTerm: POD_AFFINITY_TERM }),
  ),
});
const AFFINITY = struct({
  nodeAffinity: struct({
    requiredDuringSchedulingIgnoredDuringExecution: struct({
      nodeSelectorTerms: set(NODE_SELECTOR_TERM),
    }),
    preferredDuringSchedulingIgnoredDuringExecution: set(
      struct({ weight: ANY, preference: NODE_SELECTOR_TERM }),
    ),
  }),
  podAffinity: POD_AFFINITY,
  podAntiAffinity: POD_AFFINITY,
});

const POD_SECURITY_CONTEXT = struct({
  seLinuxOptions: ANY,
  windowsOptions: ANY,
  runAsUser: NIL_DIFFERS,
  runAsGroup: NIL_DIFFERS,
  runAsNonRoot: ANY,
  supplementalGroups: set(ANY),
  supplementalGroupsPolicy: STRING,
  fsGroup: NIL_DIFFERS,
  sysctls: mapList(['name'], struct({ name: STRING, value: STRING })),
  fsGroupChangePolicy: STRING,
  seccompProfile: SECCOMP,
  appArmorProfile: SECCOMP,
  seLinuxChangePolicy: STRING,
});

/** The tolerations DefaultTolerationSeconds admission adds to Pods. */
function isDefaultToleration(item: JsonValue, scope: Scope): boolean {
  return (
    scope.kind === 'Pod' &&
    isObject(item) &&
    (item.key === 'node.kubernetes.io/not-ready' ||
      item.key === 'node.kubernetes.io/unreachable') &&
    item.operator === 'Exists' &&
    item.effect === 'NoExecute' &&
    item.tolerationSeconds === 300
  );
}

const TOLERATION = struct({
  key: STRING,
  operator: def('Equal'),
  value: STRING,
  effect: STRING,
  tolerationSeconds: NIL_DIFFERS,
});

const POD_SPEC: StructNode = struct(
  {
    volumes: mapList(['name'], VOLUME, { defaultItem: isTokenMount }),
    initContainers: mapList(['name'], CONTAINER),
    containers: mapList(['name'], CONTAINER),
    ephemeralContainers: mapList(['name'], withOptions(CONTAINER, {})),
    restartPolicy: def('Always'),
    terminationGracePeriodSeconds: def(30),
    activeDeadlineSeconds: NIL_DIFFERS,
    dnsPolicy: def('ClusterFirst'),
    nodeSelector: STRING_MAP,
    serviceAccountName: withOptions(STRING, {
      fallback: 'serviceAccount',
      default: (_parent, scope) =>
        scope.kind === 'Pod' ? 'default' : undefined,
    }),
    // Deprecated alias of serviceAccountName; the API server keeps both equal.
    serviceAccount: IGNORED,
    automountServiceAccountToken: NIL_DIFFERS,
    nodeName: withOptions(STRING, { allocated: true }),
    hostNetwork: ANY,
    hostPID: ANY,
    hostIPC: ANY,
    hostUsers: NIL_DIFFERS,
    shareProcessNamespace: ANY,
    securityContext: POD_SECURITY_CONTEXT,
    imagePullSecrets: mapList(['name'], struct({ name: STRING })),
    hostname: STRING,
    subdomain: STRING,
    affinity: AFFINITY,
    schedulerName: def('default-scheduler'),
    tolerations: set(TOLERATION, { defaultItem: isDefaultToleration }),
    hostAliases: mapList(['ip'], struct({ ip: STRING, hostnames: ordered() })),
    priorityClassName: STRING,
    // Resolved from the priority class by admission.
    priority: ALLOCATED,
    preemptionPolicy: def((_parent, scope) =>
      scope.kind === 'Pod' ? 'PreemptLowerPriority' : undefined,
    ),
    dnsConfig: struct({
      nameservers: ordered(),
      searches: ordered(),
      options: mapList(['name'], struct({ name: STRING, value: STRING })),
    }),
    readinessGates: set(struct({ conditionType: STRING })),
    runtimeClassName: STRING,
    enableServiceLinks: def((_parent, scope) =>
      scope.kind === 'Pod' ? true : undefined,
    ),
    overhead: withOptions(QUANTITY_MAP, { allocated: true }),
    topologySpreadConstraints: mapList(
      ['topologyKey', 'whenUnsatisfiable'],
      struct({
        maxSkew: ANY,
        topologyKey: STRING,
        whenUnsatisfiable: STRING,
        labelSelector: LABEL_SELECTOR,
        minDomains: NIL_DIFFERS,
        nodeAffinityPolicy: STRING,
        nodeTaintsPolicy: STRING,
        matchLabelKeys: set(),
      }),
    ),
    setHostnameAsFQDN: ANY,
    os: struct({ name: STRING }),
    schedulingGates: mapList(['name'], struct({ name: STRING })),
    resourceClaims: mapList(['name'], ANY),
    resources: RESOURCES,
  },
  { podSpec: true },
);

const POD_TEMPLATE = struct({ metadata: TEMPLATE_META, spec: POD_SPEC });

// --- kinds -----------------------------------------------------------------------------------

/** A top-level kind: metadata and status handled the same way everywhere. */
export function kind(fields: Record<string, Node>): StructNode {
  return struct({
    apiVersion: IGNORED,
    kind: IGNORED,
    metadata: OBJECT_META,
    status: IGNORED,
    ...fields,
  });
}

function byVersion(
  values: Record<string, JsonValue>,
  fallback: JsonValue,
): DefaultFn {
  return (_parent, scope) =>
    scope.apiVersion in values ? values[scope.apiVersion] : fallback;
}

const DEPLOYMENT = kind({
  spec: struct({
    replicas: def(1),
    selector: LABEL_SELECTOR,
    template: POD_TEMPLATE,
    strategy: struct({
      type: def('RollingUpdate'),
      rollingUpdate: struct({
        maxUnavailable: withDefault(
          INT_OR_STRING,
          byVersion({ 'extensions/v1beta1': 1 }, '25%'),
        ),
        maxSurge: withDefault(
          INT_OR_STRING,
          byVersion({ 'extensions/v1beta1': 1 }, '25%'),
        ),
      }),
    }),
    minReadySeconds: ANY,
    revisionHistoryLimit: def(
      byVersion({ 'extensions/v1beta1': 2147483647, 'apps/v1beta1': 2 }, 10),
    ),
    paused: ANY,
    progressDeadlineSeconds: def(
      byVersion({ 'extensions/v1beta1': 2147483647 }, 600),
    ),
  }),
});

const STATEFUL_SET = kind({
  spec: struct({
    replicas: def(1),
    selector: LABEL_SELECTOR,
    template: POD_TEMPLATE,
    volumeClaimTemplates: mapList(
      [{ name: 'name', path: ['metadata', 'name'] }],
      PVC_TEMPLATE,
    ),
    serviceName: STRING,
    podManagementPolicy: def('OrderedReady'),
    updateStrategy: struct({
      type: def(byVersion({ 'apps/v1beta1': 'OnDelete' }, 'RollingUpdate')),
      rollingUpdate: struct({
        partition: ANY,
        maxUnavailable: withDefault(INT_OR_STRING, 1),
      }),
    }),
    revisionHistoryLimit: def(10),
    minReadySeconds: ANY,
    persistentVolumeClaimRetentionPolicy: struct({
      whenDeleted: def('Retain'),
      whenScaled: def('Retain'),
    }),
    ordinals: ANY,
  }),
});

const DAEMON_SET = kind({
  spec: struct({
    selector: LABEL_SELECTOR,
    template: POD_TEMPLATE,
    updateStrategy: struct({
      type: def(
        byVersion({ 'extensions/v1beta1': 'OnDelete' }, 'RollingUpdate'),
      ),
      rollingUpdate: struct({
        maxUnavailable: withDefault(INT_OR_STRING, 1),
        maxSurge: withDefault(INT_OR_STRING, 0),
      }),
    }),
    minReadySeconds: ANY,
    revisionHistoryLimit: def(10),
    templateGeneration: IGNORED,
  }),
});

const REPLICA_SET = kind({
  spec: struct({
    replicas: def(1),
    selector: LABEL_SELECTOR,
    template: POD_TEMPLATE,
    minReadySeconds: ANY,
  }),
});

const REPLICATION_CONTROLLER = kind({
  spec: struct({
    replicas: def(1),
    // Defaults to the template's labels.
    selector: withDefault(STRING_MAP, parent =>
      isObject(parent.template) && isObject(parent.template.metadata)
        ? parent.template.metadata.labels
        : undefined,
    ),
    template: POD_TEMPLATE,
    minReadySeconds: ANY,
  }),
});

const JOB_SPEC = struct({
  parallelism: def(1),
  completions: def(1),
  activeDeadlineSeconds: NIL_DIFFERS,
  podFailurePolicy: ANY,
  successPolicy: ANY,
  backoffLimit: def(parent =>
    parent.backoffLimitPerIndex !== undefined ? 2147483647 : 6,
  ),
  backoffLimitPerIndex: NIL_DIFFERS,
  maxFailedIndexes: NIL_DIFFERS,
  // Generated from the Job's uid unless manualSelector is set.
  selector: withOptions(LABEL_SELECTOR, { allocated: true }),
  manualSelector: ANY,
  template: POD_TEMPLATE,
  ttlSecondsAfterFinished: NIL_DIFFERS,
  completionMode: def('NonIndexed'),
  suspend: def(false),
  podReplacementPolicy: def(parent =>
    parent.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed',
  ),
  managedBy: STRING,
});

const JOB = kind({ spec: JOB_SPEC });

const CRON_JOB = kind({
  spec: struct({
    schedule: STRING,
    timeZone: STRING,
    startingDeadlineSeconds: NIL_DIFFERS,
    concurrencyPolicy: def('Allow'),
    suspend: def(false),
    jobTemplate: struct({ metadata: TEMPLATE_META, spec: JOB_SPEC }),
    successfulJobsHistoryLimit: def(3),
    failedJobsHistoryLimit: def(1),
  }),
});

const POD = kind({ spec: POD_SPEC });
const POD_TEMPLATE_KIND = kind({ template: POD_TEMPLATE });

function isExposedType(parent: JsonObject): boolean {
  return parent.type === 'NodePort' || parent.type === 'LoadBalancer';
}

const SERVICE = kind({
  spec: struct({
    ports: mapList(
      ['port', { name: 'protocol', default: 'TCP' }],
      struct({
        name: STRING,
        protocol: def('TCP'),
        appProtocol: STRING,
        port: ANY,
        targetPort: withDefault(INT_OR_STRING, parent => parent.port),
        nodePort: ALLOCATED,
      }),
    ),
    selector: STRING_MAP,
    clusterIP: ALLOCATED,
    clusterIPs: withOptions(ordered(), { allocated: true }),
    type: def('ClusterIP'),
    externalIPs: set(),
    sessionAffinity: def('None'),
    loadBalancerIP: STRING,
    loadBalancerSourceRanges: set(),
    externalName: STRING,
    externalTrafficPolicy: def(parent =>
      isExposedType(parent) ? 'Cluster' : undefined,
    ),
    healthCheckNodePort: ALLOCATED,
    publishNotReadyAddresses: ANY,
    sessionAffinityConfig: struct({
      clientIP: struct({ timeoutSeconds: def(10800) }),
    }),
    ipFamilies: withOptions(ordered(), { allocated: true }),
    ipFamilyPolicy: ALLOCATED,
    allocateLoadBalancerNodePorts: def(parent =>
      parent.type === 'LoadBalancer' ? true : undefined,
    ),
    loadBalancerClass: STRING,
    internalTrafficPolicy: def(parent =>
      parent.type === 'ExternalName' ? undefined : 'Cluster',
    ),
    trafficDistribution: STRING,
  }),
});

const ENDPOINT_PORT = struct({
  name: STRING,
  port: ANY,
  protocol: def('TCP'),
  appProtocol: STRING,
});
const ENDPOINT_ADDRESS = struct({
  ip: STRING,
  hostname: STRING,
  nodeName: STRING,
  targetRef: ANY,
});
const ENDPOINTS = kind({
  subsets: set(
    struct({
      addresses: set(ENDPOINT_ADDRESS),
      notReadyAddresses: set(ENDPOINT_ADDRESS),
      ports: set(ENDPOINT_PORT),
    }),
  ),
});

const CONFIG_MAP = kind({
  data: STRING_MAP,
  binaryData: STRING_MAP,
  immutable: ANY,
});

const TOKEN_KEYS = new Set(['token', 'ca.crt', 'namespace']);
const SECRET = kind({
  // stringData is folded into data before comparison (see prepareSecret).
  data: map(SECRET_VALUE, {
    serverKey: (key, scope) =>
      scope.root.type === 'kubernetes.io/service-account-token' &&
      TOKEN_KEYS.has(key),
  }),
  stringData: map(SECRET_VALUE),
  type: def('Opaque'),
  immutable: ANY,
});

const SERVICE_ACCOUNT = kind({
  // Token secrets created by the token controller (clusters before 1.24).
  secrets: ALLOCATED,
  imagePullSecrets: mapList(['name'], struct({ name: STRING })),
  automountServiceAccountToken: NIL_DIFFERS,
});

const NAMESPACE = kind({
  spec: struct({ finalizers: withDefault(set(), ['kubernetes']) }),
});

const PVC = kind({ spec: PVC_SPEC });

const PV = kind({
  spec: struct(
    {
      capacity: QUANTITY_MAP,
      accessModes: set(),
      claimRef: struct({
        apiVersion: def('v1'),
        kind: def('PersistentVolumeClaim'),
        namespace: STRING,
        name: STRING,
        uid: ALLOCATED,
        resourceVersion: ALLOCATED,
        fieldPath: STRING,
      }),
      persistentVolumeReclaimPolicy: def('Retain'),
      storageClassName: STRING,
      mountOptions: ordered(),
      volumeMode: def('Filesystem'),
      nodeAffinity: struct({
        required: struct({ nodeSelectorTerms: set(NODE_SELECTOR_TERM) }),
      }),
    },
    { other: ANY },
  ),
});

const STORAGE_CLASS = kind({
  provisioner: STRING,
  parameters: STRING_MAP,
  reclaimPolicy: def('Delete'),
  mountOptions: ordered(),
  allowVolumeExpansion: ANY,
  volumeBindingMode: def('Immediate'),
  allowedTopologies: set(ANY),
});

const INGRESS_BACKEND = struct({
  service: struct({
    name: STRING,
    port: struct({ name: STRING, number: ANY }),
  }),
  resource: struct({ apiGroup: STRING, kind: STRING, name: STRING }),
  serviceName: STRING,
  servicePort: INT_OR_STRING,
});
const INGRESS = kind({
  spec: struct({
    // Filled by the DefaultIngressClass admission plugin when Git leaves it out.
    ingressClassName: withOptions(STRING, { allocated: true }),
    defaultBackend: INGRESS_BACKEND,
    backend: INGRESS_BACKEND,
    tls: ordered(struct({ hosts: set(), secretName: STRING })),
    rules: ordered(
      struct({
        host: STRING,
        http: struct({
          paths: ordered(
            struct({
              path: STRING,
              pathType: def(
                byVersion(
                  {
                    'extensions/v1beta1': 'ImplementationSpecific',
                    'networking.k8s.io/v1beta1': 'ImplementationSpecific',
                  },
                  null,
                ),
              ),
              backend: INGRESS_BACKEND,
            }),
          ),
        }),
      }),
    ),
  }),
});

const INGRESS_CLASS = kind({
  spec: struct({
    controller: STRING,
    parameters: struct({
      apiGroup: STRING,
      kind: STRING,
      name: STRING,
      scope: def('Cluster'),
      namespace: STRING,
    }),
  }),
});

const NETWORK_POLICY_PEER = struct({
  podSelector: LABEL_SELECTOR,
  namespaceSelector: withOptions(LABEL_SELECTOR, { keepEmpty: true }),
  ipBlock: struct({ cidr: STRING, except: set() }),
});
const NETWORK_POLICY_PORT = struct({
  protocol: def('TCP'),
  port: INT_OR_STRING,
  endPort: ANY,
});

/** policyTypes defaults to Ingress, plus Egress when egress rules exist. */
function defaultPolicyTypes(parent: JsonObject): JsonValue {
  return Array.isArray(parent.egress) && parent.egress.length > 0
    ? ['Ingress', 'Egress']
    : ['Ingress'];
}

const NETWORK_POLICY = kind({
  spec: struct({
    // A required field: an absent selector and `{}` both select every Pod.
    podSelector: LABEL_SELECTOR,
    ingress: set(
      struct({
        ports: set(NETWORK_POLICY_PORT),
        from: set(NETWORK_POLICY_PEER),
      }),
    ),
    egress: set(
      struct({ ports: set(NETWORK_POLICY_PORT), to: set(NETWORK_POLICY_PEER) }),
    ),
    policyTypes: withDefault(set(), defaultPolicyTypes),
  }),
});

const POLICY_RULE = struct({
  verbs: set(),
  apiGroups: set(),
  resources: set(),
  resourceNames: set(),
  nonResourceURLs: set(),
});
const ROLE = kind({
  rules: set(POLICY_RULE),
  aggregationRule: struct({ clusterRoleSelectors: set(LABEL_SELECTOR) }),
});

const SUBJECT = struct({
  kind: STRING,
  // SetDefaults_Subject: "" for service accounts, the RBAC group for users and groups.
  apiGroup: def(parent => {
    if (parent.kind === 'ServiceAccount') return '';
    return parent.kind === 'User' || parent.kind === 'Group'
      ? 'rbac.authorization.k8s.io'
      : undefined;
  }),
  name: STRING,
  namespace: STRING,
});
const ROLE_BINDING = kind({
  subjects: set(SUBJECT),
  // SetDefaults_RoleBinding and SetDefaults_ClusterRoleBinding fill the RBAC group.
  roleRef: struct({
    apiGroup: def('rbac.authorization.k8s.io'),
    kind: STRING,
    name: STRING,
  }),
});

const METRIC_TARGET = struct({
  type: STRING,
  value: QUANTITY,
  averageValue: QUANTITY,
  averageUtilization: ANY,
});
const METRIC_SPEC = struct(
  {
    type: STRING,
    resource: struct({ name: STRING, target: METRIC_TARGET }, { other: ANY }),
    containerResource: struct({
      name: STRING,
      container: STRING,
      target: METRIC_TARGET,
    }),
    pods: struct({ metric: ANY, target: METRIC_TARGET }, { other: ANY }),
    object: struct(
      { metric: ANY, target: METRIC_TARGET, describedObject: ANY },
      { other: ANY },
    ),
    external: struct({ metric: ANY, target: METRIC_TARGET }, { other: ANY }),
  },
  { other: ANY },
);
const SCALING_POLICY = struct({ type: STRING, value: ANY, periodSeconds: ANY });
const HPA = kind({
  spec: struct({
    scaleTargetRef: struct({ apiVersion: STRING, kind: STRING, name: STRING }),
    minReplicas: def(1),
    maxReplicas: ANY,
    metrics: withDefault(
      set(METRIC_SPEC),
      byVersion({ 'autoscaling/v1': null }, [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: { type: 'Utilization', averageUtilization: 80 },
          },
        },
      ]),
    ),
    // SetDefaults_HorizontalPodAutoscalerBehavior fills whatever a given behavior leaves out.
    behavior: struct({
      scaleUp: struct({
        stabilizationWindowSeconds: def(0),
        selectPolicy: def('Max'),
        policies: withDefault(set(SCALING_POLICY), [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ]),
      }),
      scaleDown: struct({
        // nil means the controller's --horizontal-pod-autoscaler-downscale-stabilization.
        stabilizationWindowSeconds: NIL_DIFFERS,
        selectPolicy: def('Max'),
        policies: withDefault(set(SCALING_POLICY), [
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ]),
      }),
    }),
    targetCPUUtilizationPercentage: def(80),
  }),
});

const PDB = kind({
  spec: struct({
    minAvailable: withOptions(INT_OR_STRING, { nilDiffers: true }),
    maxUnavailable: withOptions(INT_OR_STRING, { nilDiffers: true }),
    selector: LABEL_SELECTOR,
    unhealthyPodEvictionPolicy: STRING,
  }),
});

const RESOURCE_QUOTA = kind({
  spec: struct({
    hard: QUANTITY_MAP,
    scopes: set(),
    scopeSelector: struct({
      matchExpressions: set(
        struct({ scopeName: STRING, operator: STRING, values: set() }),
      ),
    }),
  }),
});

function mergeMaps(
  ...values: Array<JsonValue | undefined>
): JsonObject | undefined {
  const out: JsonObject = {};
  for (const value of values) if (isObject(value)) Object.assign(out, value);
  return Object.keys(out).length ? out : undefined;
}

const LIMIT_RANGE = kind({
  spec: struct({
    limits: set(
      struct({
        type: STRING,
        max: QUANTITY_MAP,
        min: QUANTITY_MAP,
        // SetDefaults_LimitRangeItem: container defaults come from max, default requests from
        // the defaults, then from min.
        default: withDefault(QUANTITY_MAP, parent =>
          parent.type === 'Container' ? mergeMaps(parent.max) : undefined,
        ),
        defaultRequest: withDefault(QUANTITY_MAP, parent =>
          parent.type === 'Container'
            ? mergeMaps(parent.min, parent.max, parent.default)
            : undefined,
        ),
        maxLimitRequestRatio: QUANTITY_MAP,
      }),
    ),
  }),
});

const PRIORITY_CLASS = kind({
  value: ANY,
  globalDefault: ANY,
  description: STRING,
  preemptionPolicy: def('PreemptLowerPriority'),
});

const WEBHOOK_RULE = struct({
  operations: set(),
  apiGroups: set(),
  apiVersions: set(),
  resources: set(),
  scope: def('*'),
});
const WEBHOOK = struct({
  name: STRING,
  clientConfig: struct({
    url: STRING,
    service: struct({
      namespace: STRING,
      name: STRING,
      path: STRING,
      port: def(443),
    }),
    caBundle: STRING,
  }),
  rules: set(WEBHOOK_RULE),
  failurePolicy: def(
    byVersion({ 'admissionregistration.k8s.io/v1beta1': 'Ignore' }, 'Fail'),
  ),
  matchPolicy: def(
    byVersion(
      { 'admissionregistration.k8s.io/v1beta1': 'Exact' },
      'Equivalent',
    ),
  ),
  namespaceSelector: LABEL_SELECTOR,
  objectSelector: LABEL_SELECTOR,
  sideEffects: def(
    byVersion({ 'admissionregistration.k8s.io/v1beta1': 'Unknown' }, null),
  ),
  timeoutSeconds: def(
    byVersion({ 'admissionregistration.k8s.io/v1beta1': 30 }, 10),
  ),
  admissionReviewVersions: withDefault(
    ordered(),
    byVersion({ 'admissionregistration.k8s.io/v1beta1': ['v1beta1'] }, null),
  ),
  reinvocationPolicy: def('Never'),
  matchConditions: mapList(
    ['name'],
    struct({ name: STRING, expression: STRING }),
  ),
});
const WEBHOOK_CONFIGURATION = kind({ webhooks: mapList(['name'], WEBHOOK) });

/** Schemas by `group/Kind` (core group: `/Kind`). */
const SCHEMAS: Record<string, StructNode> = {
  '/Pod': POD,
  '/PodTemplate': POD_TEMPLATE_KIND,
  '/ReplicationController': REPLICATION_CONTROLLER,
  '/Service': SERVICE,
  '/Endpoints': ENDPOINTS,
  '/ConfigMap': CONFIG_MAP,
  '/Secret': SECRET,
  '/ServiceAccount': SERVICE_ACCOUNT,
  '/Namespace': NAMESPACE,
  '/PersistentVolumeClaim': PVC,
  '/PersistentVolume': PV,
  '/ResourceQuota': RESOURCE_QUOTA,
  '/LimitRange': LIMIT_RANGE,
  'apps/Deployment': DEPLOYMENT,
  'apps/StatefulSet': STATEFUL_SET,
  'apps/DaemonSet': DAEMON_SET,
  'apps/ReplicaSet': REPLICA_SET,
  'batch/Job': JOB,
  'batch/CronJob': CRON_JOB,
  'networking.k8s.io/Ingress': INGRESS,
  'networking.k8s.io/IngressClass': INGRESS_CLASS,
  'networking.k8s.io/NetworkPolicy': NETWORK_POLICY,
  'rbac.authorization.k8s.io/Role': ROLE,
  'rbac.authorization.k8s.io/ClusterRole': ROLE,
  'rbac.authorization.k8s.io/RoleBinding': ROLE_BINDING,
  'rbac.authorization.k8s.io/ClusterRoleBinding': ROLE_BINDING,
  'autoscaling/HorizontalPodAutoscaler': HPA,
  'policy/PodDisruptionBudget': PDB,
  'storage.k8s.io/StorageClass': STORAGE_CLASS,
  'scheduling.k8s.io/PriorityClass': PRIORITY_CLASS,
  'admissionregistration.k8s.io/MutatingWebhookConfiguration':
    WEBHOOK_CONFIGURATION,
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration':
    WEBHOOK_CONFIGURATION,
};

/** Any other kind: metadata and status are still understood. */
const GENERIC_KIND = kind({});

/** The schema of a kind in an API group (`''` for core). */
export function schemaFor(group: string, kindName: string): StructNode {
  return SCHEMAS[`${group}/${kindName}`] ?? GENERIC_KIND;
}
