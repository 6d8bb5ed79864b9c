// The bench's world: a catalog of services, their Git manifests (10 objects each) and the live
// objects as API servers return them (server metadata, managedFields, defaults, status), a few
// of them drifted. Deterministic: every run scans the same objects.
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject, KubeObject } from '@driftwatch/plugin-drift-common';

export const CLUSTERS = ['prod-eu', 'prod-us', 'prod-ap'];
/** Services per namespace, as teams share one. */
const PER_NAMESPACE = 10;

/** mulberry32: small, seeded, good enough to spread drifts. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

export interface Service {
  name: string;
  namespace: string;
  cluster: string;
  entity: Entity;
  desired: KubeObject[];
  live: KubeObject[];
  /** How many of its live objects were edited by hand. */
  drifted: number;
}

function labels(app: string): JsonObject {
  return {
    'app.kubernetes.io/name': app,
    'app.kubernetes.io/part-of': 'bench',
    'app.kubernetes.io/version': '2.7.1',
    'backstage.io/kubernetes-id': app,
  };
}

function desiredObjects(app: string, ns: string, i: number): KubeObject[] {
  const meta = (name: string) => ({ name, namespace: ns, labels: labels(app) });
  const selector = { 'app.kubernetes.io/name': app };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(app),
      spec: {
        replicas: 2 + (i % 4),
        selector: { matchLabels: selector },
        template: {
          metadata: {
            labels: { ...selector, 'backstage.io/kubernetes-id': app },
          },
          spec: {
            serviceAccountName: app,
            containers: [
              {
                name: 'app',
                image: `registry.example.com/shop/${app}:2.7.${i % 10}`,
                ports: [{ name: 'http', containerPort: 8080 }],
                env: [
                  { name: 'LOG_LEVEL', value: 'info' },
                  { name: 'POOL_SIZE', value: String(4 + (i % 8)) },
                  {
                    name: 'DB_PASSWORD',
                    valueFrom: {
                      secretKeyRef: { name: `${app}-db`, key: 'password' },
                    },
                  },
                ],
                resources: {
                  requests: { cpu: '0.25', memory: '256Mi' },
                  limits: { memory: '512Mi' },
                },
                readinessProbe: {
                  httpGet: { path: '/ready', port: 'http' },
                  periodSeconds: 5,
                },
                securityContext: {
                  runAsNonRoot: true,
                  allowPrivilegeEscalation: false,
                },
                volumeMounts: [{ name: 'config', mountPath: '/etc/app' }],
              },
            ],
            volumes: [{ name: 'config', configMap: { name: `${app}-config` } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(app),
      spec: {
        selector,
        ports: [
          { name: 'http', port: 80, targetPort: 'http' },
          { name: 'metrics', port: 9090 },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(`${app}-config`),
      data: {
        LOG_FORMAT: 'json',
        FEATURE_FLAGS: `search,checkout,${i % 3 ? 'beta' : 'stable'}`,
        'app.yaml': `server:\n  port: 8080\n  workers: ${
          i % 16
        }\ncache:\n  ttl: 300\n  size: 4096\n`,
      },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(app) },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta(`${app}-reader`),
      rules: [
        {
          apiGroups: [''],
          resources: ['configmaps', 'secrets'],
          verbs: ['get', 'list', 'watch'],
        },
        {
          apiGroups: ['coordination.k8s.io'],
          resources: ['leases'],
          verbs: ['get', 'create', 'update'],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(`${app}-reader`),
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: `${app}-reader`,
      },
      subjects: [{ kind: 'ServiceAccount', name: app, namespace: ns }],
    },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta(app),
      spec: {
        scaleTargetRef: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: app,
        },
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [
          {
            type: 'Resource',
            resource: {
              name: 'cpu',
              target: { type: 'Utilization', averageUtilization: 70 },
            },
          },
        ],
      },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta(app),
      spec: { minAvailable: 1, selector: { matchLabels: selector } },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(app),
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: {
                  matchLabels: { 'kubernetes.io/metadata.name': 'ingress' },
                },
              },
            ],
            ports: [{ port: 8080 }],
          },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta(`${app}-db`),
      type: 'Opaque',
      data: {
        username: Buffer.from(app).toString('base64'),
        password: Buffer.from(`pw-${i}-${app}`).toString('base64'),
      },
    },
  ];
}

/** The fields each kind's API server fills in, merged under what Git says. */
function serverDefaults(object: KubeObject, i: number): JsonObject {
  switch (object.kind) {
    case 'Deployment': {
      const spec = object.spec as any;
      const container = spec.template.spec.containers[0];
      return {
        spec: {
          progressDeadlineSeconds: 600,
          revisionHistoryLimit: 10,
          strategy: {
            type: 'RollingUpdate',
            rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
          },
          template: {
            metadata: { creationTimestamp: null },
            spec: {
              containers: [
                {
                  ...container,
                  imagePullPolicy: 'IfNotPresent',
                  ports: [
                    { name: 'http', containerPort: 8080, protocol: 'TCP' },
                  ],
                  resources: {
                    requests: { cpu: '250m', memory: '256Mi' },
                    limits: { memory: '512Mi' },
                  },
                  readinessProbe: {
                    httpGet: { path: '/ready', port: 'http', scheme: 'HTTP' },
                    periodSeconds: 5,
                    failureThreshold: 3,
                    successThreshold: 1,
                    timeoutSeconds: 1,
                  },
                  terminationMessagePath: '/dev/termination-log',
                  terminationMessagePolicy: 'File',
                },
              ],
              dnsPolicy: 'ClusterFirst',
              restartPolicy: 'Always',
              schedulerName: 'default-scheduler',
              securityContext: {},
              serviceAccount: spec.template.spec.serviceAccountName,
              terminationGracePeriodSeconds: 30,
              volumes: [
                {
                  name: 'config',
                  configMap: {
                    name: spec.template.spec.volumes[0].configMap.name,
                    defaultMode: 420,
                  },
                },
              ],
            },
          },
        },
        status: {
          availableReplicas: spec.replicas,
          observedGeneration: 3,
          readyReplicas: spec.replicas,
          replicas: spec.replicas,
          updatedReplicas: spec.replicas,
          conditions: [
            {
              type: 'Available',
              status: 'True',
              reason: 'MinimumReplicasAvailable',
              message: 'Deployment has minimum availability.',
              lastTransitionTime: '2026-11-20T10:01:00Z',
              lastUpdateTime: '2026-11-20T10:01:00Z',
            },
            {
              type: 'Progressing',
              status: 'True',
              reason: 'NewReplicaSetAvailable',
              message: `ReplicaSet "${object.metadata.name}-7d9f8c6b5" has successfully progressed.`,
              lastTransitionTime: '2026-11-20T10:00:00Z',
              lastUpdateTime: '2026-11-20T10:01:00Z',
            },
          ],
        },
      };
    }
    case 'Service': {
      const ip = `10.96.${i % 250}.${(i >> 8) % 250}`;
      return {
        spec: {
          clusterIP: ip,
          clusterIPs: [ip],
          internalTrafficPolicy: 'Cluster',
          ipFamilies: ['IPv4'],
          ipFamilyPolicy: 'SingleStack',
          ports: [
            { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' },
            { name: 'metrics', port: 9090, protocol: 'TCP', targetPort: 9090 },
          ],
          sessionAffinity: 'None',
          type: 'ClusterIP',
        },
        status: { loadBalancer: {} },
      };
    }
    case 'HorizontalPodAutoscaler':
      return {
        status: {
          currentReplicas: 2,
          desiredReplicas: 2,
          currentMetrics: [
            {
              type: 'Resource',
              resource: {
                name: 'cpu',
                current: { averageUtilization: 31, averageValue: '78m' },
              },
            },
          ],
          conditions: [
            {
              type: 'AbleToScale',
              status: 'True',
              reason: 'ReadyForNewScale',
              lastTransitionTime: '2026-11-20T10:02:00Z',
            },
            {
              type: 'ScalingActive',
              status: 'True',
              reason: 'ValidMetricFound',
              lastTransitionTime: '2026-11-20T10:02:00Z',
            },
          ],
        },
      };
    case 'PodDisruptionBudget':
      return {
        status: {
          currentHealthy: 2,
          desiredHealthy: 1,
          disruptionsAllowed: 1,
          expectedPods: 2,
          observedGeneration: 1,
          conditions: [
            {
              type: 'DisruptionAllowed',
              status: 'True',
              reason: 'SufficientPods',
              lastTransitionTime: '2026-11-20T10:02:00Z',
              message: '',
              observedGeneration: 1,
            },
          ],
        },
      };
    default:
      return {};
  }
}

function merge(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] =
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      current &&
      typeof current === 'object' &&
      !Array.isArray(current)
        ? merge(current as JsonObject, value as JsonObject)
        : value;
  }
  return out;
}

/** managedFields as `kubectl apply --server-side` and the controllers leave them. */
function managedFields(object: KubeObject): JsonObject[] {
  const fieldsOf = (value: unknown): JsonObject => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    return Object.fromEntries(
      Object.keys(value).map(key => [
        `f:${key}`,
        fieldsOf((value as JsonObject)[key]),
      ]),
    );
  };
  const {
    apiVersion,
    kind: _kind,
    metadata: _metadata,
    status,
    ...rest
  } = object as JsonObject;
  const fields: JsonObject[] = [
    {
      apiVersion,
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': fieldsOf(object.metadata.labels) },
        ...fieldsOf(rest),
      },
      manager: 'argocd-controller',
      operation: 'Apply',
      time: '2026-11-20T10:00:00Z',
    },
  ];
  if (status) {
    fields.push({
      apiVersion,
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:status': fieldsOf(status) },
      manager: 'kube-controller-manager',
      operation: 'Update',
      subresource: 'status',
      time: '2026-11-20T10:01:00Z',
    });
  }
  return fields;
}

function liveOf(desired: KubeObject, i: number, seq: number): KubeObject {
  const live = merge(
    clone(desired) as JsonObject,
    serverDefaults(desired, i),
  ) as KubeObject;
  live.metadata = {
    ...live.metadata,
    creationTimestamp: '2026-11-20T10:00:00Z',
    generation: 3,
    uid: `5f0c8f0e-8a3e-4b5e-9a55-${String(seq).padStart(12, '0')}`,
    managedFields: managedFields(live),
  };
  return live;
}

/** One of the edits people make live, by kubectl. */
function drift(live: KubeObject, rand: () => number): void {
  const spec = live.spec as any;
  switch (live.kind) {
    case 'Deployment':
      if (rand() < 0.5) spec.replicas += 3;
      else spec.template.spec.containers[0].image += '-hotfix';
      break;
    case 'ConfigMap':
      (live.data as JsonObject).LOG_FORMAT = 'text';
      break;
    case 'Service':
      spec.ports[1].port = 9091;
      break;
    case 'Secret':
      (live.data as JsonObject).password =
        Buffer.from('rotated-by-hand').toString('base64');
      break;
    case 'Role':
      (live as any).rules[0].verbs.push('delete');
      break;
    case 'RoleBinding':
      (live as any).subjects.push({
        kind: 'User',
        name: 'oncall@example.com',
        apiGroup: 'rbac.authorization.k8s.io',
      });
      break;
    case 'HorizontalPodAutoscaler':
      spec.maxReplicas = 20;
      break;
    case 'PodDisruptionBudget':
      spec.minAvailable = 2;
      break;
    case 'NetworkPolicy':
      spec.ingress[0].ports[0].port = 8443;
      break;
    default:
      live.metadata.labels = {
        ...(live.metadata.labels as JsonObject),
        'debug.example.com/owner': 'oncall',
      };
  }
  live.metadata.annotations = {
    ...(live.metadata.annotations as JsonObject),
    'kubectl.kubernetes.io/restartedAt': '2026-12-01T09:00:00Z',
  };
}

/** The services of the bench, spread over the clusters, namespaces of ten. */
export function generateServices(options: {
  entities: number;
  driftRate: number;
  catalogFile: string;
}): Service[] {
  const rand = random(42);
  const services: Service[] = [];
  let seq = 0;
  for (let i = 0; i < options.entities; i++) {
    const name = `svc-${String(i).padStart(5, '0')}`;
    const namespace = `team-${String(Math.floor(i / PER_NAMESPACE)).padStart(
      4,
      '0',
    )}`;
    const cluster = CLUSTERS[Math.floor(i / PER_NAMESPACE) % CLUSTERS.length];
    const desired = desiredObjects(name, namespace, i);
    let drifted = 0;
    const live = desired.map(object => {
      const copy = liveOf(object, i, ++seq);
      if (rand() < options.driftRate) {
        drift(copy, rand);
        drifted++;
      }
      return copy;
    });
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        namespace: 'default',
        annotations: {
          'backstage.io/managed-by-location': `file:${options.catalogFile}`,
          'backstage.io/managed-by-origin-location': `file:${options.catalogFile}`,
          'backstage.io/kubernetes-id': name,
          'backstage.io/kubernetes-namespace': namespace,
          'driftwatch.io/source': `file:./manifests/${name}`,
          'driftwatch.io/environment': cluster,
        },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: `group:default/team-${i % 40}`,
        system: `system-${i % 25}`,
      },
    };
    services.push({ name, namespace, cluster, entity, desired, live, drifted });
  }
  return services;
}
