// Generates realistic desired/live pairs: Git manifests left concise, live objects as the API
// server returns them (server metadata, managedFields, last-applied annotation, defaults, status).
import type { JsonObject, KubeObject } from '../src';

/** A small deterministic random generator (mulberry32), so every run diffs the same pairs. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

function labels(app: string): JsonObject {
  return {
    'app.kubernetes.io/name': app,
    'app.kubernetes.io/instance': app,
    'app.kubernetes.io/part-of': 'bench',
    'app.kubernetes.io/version': '1.4.2',
  };
}

function serverMetadata(
  desired: KubeObject,
  index: number,
  managedFields: JsonObject,
): JsonObject {
  return {
    ...clone(desired.metadata),
    annotations: {
      ...(desired.metadata.annotations as JsonObject | undefined),
      'kubectl.kubernetes.io/last-applied-configuration': `${JSON.stringify(
        desired,
      )}\n`,
    },
    creationTimestamp: '2025-03-01T10:00:00Z',
    generation: 1,
    resourceVersion: String(100000 + index),
    uid: `5f0c8f0e-8a3e-4b5e-9a55-${String(index).padStart(12, '0')}`,
    managedFields: [
      {
        apiVersion: desired.apiVersion,
        fieldsType: 'FieldsV1',
        fieldsV1: managedFields,
        manager: 'argocd-controller',
        operation: 'Apply',
        time: '2025-03-01T10:00:00Z',
      },
    ],
  };
}

function deployment(
  app: string,
  index: number,
  rand: () => number,
): [KubeObject, KubeObject] {
  const replicas = 1 + Math.floor(rand() * 5);
  const desired: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: app, namespace: 'bench', labels: labels(app) },
    spec: {
      replicas,
      selector: { matchLabels: { 'app.kubernetes.io/name': app } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': app } },
        spec: {
          serviceAccountName: app,
          containers: [
            {
              name: 'app',
              image: `registry.example.com/bench/${app}:1.4.${index % 10}`,
              ports: [{ name: 'http', containerPort: 8080 }],
              env: [
                { name: 'LOG_LEVEL', value: 'info' },
                { name: 'POOL_SIZE', value: String(4 + (index % 8)) },
              ],
              resources: {
                requests: { cpu: '0.25', memory: '256Mi' },
                limits: { memory: '512Mi' },
              },
              readinessProbe: {
                httpGet: { path: '/ready', port: 'http' },
                periodSeconds: 5,
              },
              volumeMounts: [{ name: 'config', mountPath: '/etc/app' }],
            },
          ],
          volumes: [{ name: 'config', configMap: { name: `${app}-config` } }],
        },
      },
    },
  };
  const live: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: serverMetadata(desired, index, {
      'f:spec': {
        'f:replicas': {},
        'f:template': {
          'f:spec': {
            'f:containers': { 'k:{"name":"app"}': { 'f:image': {} } },
          },
        },
      },
    }),
    spec: {
      progressDeadlineSeconds: 600,
      replicas,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { 'app.kubernetes.io/name': app } },
      strategy: {
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
        type: 'RollingUpdate',
      },
      template: {
        metadata: {
          creationTimestamp: null,
          labels: { 'app.kubernetes.io/name': app },
        },
        spec: {
          containers: [
            {
              env: [
                { name: 'LOG_LEVEL', value: 'info' },
                { name: 'POOL_SIZE', value: String(4 + (index % 8)) },
              ],
              image: `registry.example.com/bench/${app}:1.4.${index % 10}`,
              imagePullPolicy: 'IfNotPresent',
              name: 'app',
              ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
              readinessProbe: {
                failureThreshold: 3,
                httpGet: { path: '/ready', port: 'http', scheme: 'HTTP' },
                periodSeconds: 5,
                successThreshold: 1,
                timeoutSeconds: 1,
              },
              resources: {
                limits: { memory: '512Mi' },
                requests: { cpu: '250m', memory: '256Mi' },
              },
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
              volumeMounts: [{ mountPath: '/etc/app', name: 'config' }],
            },
          ],
          dnsPolicy: 'ClusterFirst',
          restartPolicy: 'Always',
          schedulerName: 'default-scheduler',
          securityContext: {},
          serviceAccount: app,
          serviceAccountName: app,
          terminationGracePeriodSeconds: 30,
          volumes: [
            {
              configMap: { defaultMode: 420, name: `${app}-config` },
              name: 'config',
            },
          ],
        },
      },
    },
    status: {
      availableReplicas: replicas,
      observedGeneration: 1,
      readyReplicas: replicas,
      replicas,
      updatedReplicas: replicas,
      conditions: [
        {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
          lastTransitionTime: '2025-03-01T10:01:00Z',
        },
      ],
    },
  };
  return [desired, live];
}

function service(app: string, index: number): [KubeObject, KubeObject] {
  const desired: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: app, namespace: 'bench', labels: labels(app) },
    spec: {
      selector: { 'app.kubernetes.io/name': app },
      ports: [
        { name: 'http', port: 80, targetPort: 'http' },
        { name: 'metrics', port: 9090 },
      ],
    },
  };
  const ip = `10.96.${index % 250}.${(index >> 8) % 250}`;
  const live: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: serverMetadata(desired, index, {
      'f:spec': { 'f:ports': {}, 'f:selector': {} },
    }),
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
      selector: { 'app.kubernetes.io/name': app },
      sessionAffinity: 'None',
      type: 'ClusterIP',
    },
    status: { loadBalancer: {} },
  };
  return [desired, live];
}

function configMap(app: string, index: number): [KubeObject, KubeObject] {
  const data: JsonObject = {
    LOG_FORMAT: 'json',
    FEATURE_FLAGS: `search,checkout,${index % 3 ? 'beta' : 'stable'}`,
    'app.yaml': `server:\n  port: 8080\n  workers: ${
      index % 16
    }\ncache:\n  ttl: 300\n`,
  };
  const desired: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: `${app}-config`,
      namespace: 'bench',
      labels: labels(app),
    },
    data,
  };
  const live: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: serverMetadata(desired, index, {
      'f:data': { 'f:LOG_FORMAT': {}, 'f:FEATURE_FLAGS': {}, 'f:app.yaml': {} },
    }),
    data: clone(data),
  };
  return [desired, live];
}

/** One of the drifts people make live. */
function drift(live: KubeObject, rand: () => number): void {
  const spec = live.spec as JsonObject;
  const pick = Math.floor(rand() * 3);
  if (live.kind === 'Deployment') {
    const podSpec = (spec.template as JsonObject).spec as JsonObject;
    const container = (podSpec.containers as JsonObject[])[0];
    if (pick === 0) container.image = `${container.image}-hotfix`;
    else if (pick === 1)
      (container.env as JsonObject[]).push({ name: 'DEBUG', value: 'true' });
    else spec.replicas = (spec.replicas as number) + 3;
  } else if (live.kind === 'Service') {
    const ports = spec.ports as JsonObject[];
    if (pick === 0) ports[0].targetPort = 8081;
    else if (pick === 1) spec.sessionAffinity = 'ClientIP';
    else
      (live.metadata.labels as JsonObject)['app.kubernetes.io/version'] =
        '1.5.0';
  } else {
    const data = live.data as JsonObject;
    if (pick === 0) data.LOG_FORMAT = 'text';
    else if (pick === 1) data.EXTRA = 'yes';
    else
      (live.metadata.annotations as JsonObject)['example.com/owner'] =
        'someone';
  }
}

/** `count` desired/live pairs (Deployments, Services and ConfigMaps in turn), every other one drifted. */
export function generatePairs(
  count: number,
  seed = 42,
): Array<{ desired: KubeObject; live: KubeObject; drifted: boolean }> {
  const rand = random(seed);
  const pairs = [];
  for (let i = 0; i < count; i++) {
    const app = `svc-${Math.floor(i / 3)}`;
    const makers = [
      () => deployment(app, i, rand),
      () => service(app, i),
      () => configMap(app, i),
    ];
    const [desired, live] = makers[i % 3]();
    const drifted = Math.floor(i / 3) % 2 === 1;
    if (drifted) drift(live, rand);
    pairs.push({ desired, live, drifted });
  }
  return pairs;
}
