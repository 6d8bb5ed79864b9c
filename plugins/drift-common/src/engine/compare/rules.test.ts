import { diffObject } from './diff';
import type { JsonObject, KubeObject } from '../types';
import { describeChanges } from '../testing/helpers';

function deployment(podSpec: object, extra: object = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: podSpec },
      ...extra,
    },
  } as KubeObject;
}

const container = (fields: object = {}) => ({
  name: 'web',
  image: 'example.com/web:1.2.3',
  ...fields,
});

function changes(desired: KubeObject, live: KubeObject) {
  return describeChanges(diffObject(desired, live));
}

describe('normalization rules', () => {
  it('drops server-managed metadata, status and the last-applied annotation', () => {
    const desired = deployment({ containers: [container()] });
    const live = deployment({ containers: [container()] });
    live.metadata = {
      ...live.metadata,
      uid: 'u',
      resourceVersion: '1',
      generation: 4,
      creationTimestamp: '2025-01-01T00:00:00Z',
      selfLink: '/apis/apps/v1/namespaces/shop/deployments/web',
      managedFields: [
        { manager: 'kubectl', operation: 'Update', fieldsV1: {} },
      ],
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration':
          '{"spec":{"replicas":9}}',
        'deployment.kubernetes.io/revision': '4',
      },
    };
    live.status = { replicas: 1 };
    expect(changes(desired, live)).toEqual([]);
  });

  it('compares quantities by value', () => {
    const desired = deployment({
      containers: [
        container({ resources: { requests: { cpu: 0.5, memory: '1024Mi' } } }),
      ],
    });
    const live = deployment({
      containers: [
        container({ resources: { requests: { cpu: '500m', memory: '1Gi' } } }),
      ],
    });
    expect(changes(desired, live)).toEqual([]);
    const bigger = deployment({
      containers: [
        container({ resources: { requests: { cpu: '500m', memory: '2Gi' } } }),
      ],
    });
    expect(changes(desired, bigger)).toEqual([
      'changed /spec/template/spec/containers/0/resources/requests/memory ResourceChange',
    ]);
  });

  it('reads int-or-string ports written as text', () => {
    const service = (targetPort: number | string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { ports: [{ port: 80, targetPort }] },
    });
    expect(changes(service('8080'), service(8080))).toEqual([]);
    expect(changes(service('http'), service(8080))).toEqual([
      'changed /spec/ports/0/targetPort PortChange',
    ]);
  });

  it('matches containers, env, ports, volumes and mounts by merge key, not position', () => {
    const desired = deployment({
      containers: [
        container({
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
          ],
          ports: [
            { containerPort: 80 },
            { containerPort: 53, protocol: 'UDP' },
          ],
        }),
        { name: 'sidecar', image: 'example.com/proxy:1' },
      ],
      volumes: [
        { name: 'a', emptyDir: {} },
        { name: 'b', emptyDir: {} },
      ],
    });
    const live = deployment({
      containers: [
        { name: 'sidecar', image: 'example.com/proxy:1' },
        container({
          env: [
            { name: 'B', value: '2' },
            { name: 'A', value: '1' },
          ],
          ports: [
            { containerPort: 53, protocol: 'UDP' },
            { containerPort: 80, protocol: 'TCP' },
          ],
        }),
      ],
      volumes: [
        { name: 'b', emptyDir: {} },
        { name: 'a', emptyDir: {} },
      ],
    });
    expect(changes(desired, live)).toEqual([]);
  });

  it('reports a change inside a merged item at its live index', () => {
    const desired = deployment({
      containers: [
        container(),
        { name: 'sidecar', image: 'example.com/proxy:1' },
      ],
    });
    const live = deployment({
      containers: [
        { name: 'sidecar', image: 'example.com/proxy:2' },
        container(),
      ],
    });
    const diff = diffObject(desired, live);
    expect(diff.changes[0]).toMatchObject({
      path: '/spec/template/spec/containers/0/image',
      field: 'spec.template.spec.containers[name=sidecar].image',
      category: 'VersionChange',
      desired: 'example.com/proxy:1',
      live: 'example.com/proxy:2',
    });
  });

  it('compares unordered sets as sets', () => {
    const endpoints = (ips: string[]): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'db', namespace: 'shop' },
      subsets: [
        { addresses: ips.map(ip => ({ ip })), ports: [{ port: 5432 }] },
      ],
    });
    expect(
      changes(
        endpoints(['10.0.0.1', '10.0.0.2']),
        endpoints(['10.0.0.2', '10.0.0.1']),
      ),
    ).toEqual([]);
    expect(
      changes(endpoints(['10.0.0.1']), endpoints(['10.0.0.1', '10.0.0.9'])),
    ).toHaveLength(2);
  });

  it('compares args and command in order', () => {
    const desired = deployment({
      containers: [container({ args: ['--a', '--b'] })],
    });
    const live = deployment({
      containers: [container({ args: ['--b', '--a'] })],
    });
    expect(changes(desired, live)).toEqual([
      'changed /spec/template/spec/containers/0/args ConfigurationChange',
    ]);
  });

  it('hides a live default only when it equals the default', () => {
    const desired = deployment({ containers: [container()] });
    const defaulted = deployment({
      containers: [
        container({
          imagePullPolicy: 'IfNotPresent',
          terminationMessagePath: '/dev/termination-log',
        }),
      ],
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
    });
    expect(changes(desired, defaulted)).toEqual([]);
    const edited = deployment({
      containers: [container({ imagePullPolicy: 'Always' })],
      dnsPolicy: 'Default',
    });
    const diff = diffObject(desired, edited);
    expect(describeChanges(diff)).toEqual([
      'added /spec/template/spec/containers/0/imagePullPolicy ConfigurationChange',
      'added /spec/template/spec/dnsPolicy ConfigurationChange',
    ]);
    expect(diff.changes[0].default).toBe('IfNotPresent');
  });

  it('defaults imagePullPolicy from the image tag', () => {
    const latest = deployment({
      containers: [{ name: 'web', image: 'example.com/web' }],
    });
    expect(
      changes(
        latest,
        deployment({
          containers: [
            {
              name: 'web',
              image: 'example.com/web',
              imagePullPolicy: 'Always',
            },
          ],
        }),
      ),
    ).toEqual([]);
    expect(
      changes(
        latest,
        deployment({
          containers: [
            {
              name: 'web',
              image: 'example.com/web',
              imagePullPolicy: 'IfNotPresent',
            },
          ],
        }),
      ),
    ).toHaveLength(1);
  });

  it('defaults strategy, revision history and progress deadline of a Deployment', () => {
    const desired = deployment({ containers: [container()] });
    const live = deployment(
      { containers: [container()] },
      {
        replicas: 1,
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
        },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
    );
    expect(changes(desired, live)).toEqual([]);
    const recreate = deployment(
      { containers: [container()] },
      { strategy: { type: 'Recreate' } },
    );
    expect(changes(desired, recreate)).toEqual([
      'added /spec/strategy/type ConfigurationChange',
    ]);
  });

  it('treats Secret stringData as the base64 data it becomes', () => {
    const desired: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'shop' },
      stringData: { user: 'app', password: 'päss' },
    };
    const live: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'shop' },
      type: 'Opaque',
      data: { user: 'YXBw', password: 'cMOkc3M=' },
    };
    expect(changes(desired, live)).toEqual([]);
  });

  it('reports live-only additions that are not defaults', () => {
    const desired = deployment({
      containers: [container({ env: [{ name: 'A', value: '1' }] })],
    });
    const live = deployment({
      containers: [
        container({
          env: [
            { name: 'A', value: '1' },
            { name: 'DEBUG', value: 'true' },
          ],
        }),
        { name: 'shell', image: 'busybox' },
      ],
      hostNetwork: true,
    });
    expect(changes(desired, live)).toEqual([
      'added /spec/template/spec/containers/0/env/1 ConfigurationChange',
      'added /spec/template/spec/containers/1 ConfigurationChange',
      'added /spec/template/spec/hostNetwork SecurityChange',
    ]);
  });

  it('reports what Git declares and live lacks', () => {
    const desired = deployment({
      containers: [
        container({ securityContext: { allowPrivilegeEscalation: false } }),
      ],
    });
    const live = deployment({ containers: [container()] });
    expect(changes(desired, live)).toEqual([
      'removed /spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation SecurityChange',
    ]);
  });

  it('treats zero values as unset, except where unset means something else', () => {
    const desired = deployment({ containers: [container()] });
    expect(
      changes(
        desired,
        deployment({
          containers: [container({ stdin: false, tty: false })],
          hostPID: false,
        }),
      ),
    ).toEqual([]);
    expect(
      changes(
        desired,
        deployment({
          containers: [container()],
          securityContext: { runAsUser: 0 },
        }),
      ),
    ).toEqual([
      'added /spec/template/spec/securityContext/runAsUser SecurityChange',
    ]);
  });

  it('keeps an empty namespaceSelector apart from none', () => {
    const policy = (peer: JsonObject): KubeObject => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'p', namespace: 'shop' },
      spec: { podSelector: {}, ingress: [{ from: [peer] }] },
    });
    expect(
      changes(
        policy({ podSelector: { matchLabels: { a: 'b' } } }),
        policy({
          podSelector: { matchLabels: { a: 'b' } },
          namespaceSelector: {},
        }),
      ),
    ).toHaveLength(2);
    expect(
      changes(
        policy({ namespaceSelector: {} }),
        policy({ namespaceSelector: {} }),
      ),
    ).toEqual([]);
  });

  it('leaves allocated fields alone unless Git sets them', () => {
    const service = (spec: object): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'db', namespace: 'shop' },
      spec: { ports: [{ port: 5432 }], ...spec },
    });
    expect(
      changes(
        service({}),
        service({ clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1'] }),
      ),
    ).toEqual([]);
    expect(
      changes(
        service({ clusterIP: 'None' }),
        service({ clusterIP: '10.0.0.1' }),
      ),
    ).toEqual(['changed /spec/clusterIP ConfigurationChange']);
  });

  it('ignores live replicas of an autoscaled object when Git leaves replicas out', () => {
    const desired = deployment({ containers: [container()] });
    const live = deployment({ containers: [container()] }, { replicas: 5 });
    expect(diffObject(desired, live, {}, { autoscaled: true }).status).toBe(
      'in-sync',
    );
    expect(diffObject(desired, live).status).toBe('drifted');
  });

  it('gives every status: in-sync, drifted, missing', () => {
    const desired = deployment({ containers: [container()] });
    expect(diffObject(desired, desired).status).toBe('in-sync');
    expect(
      diffObject(
        desired,
        deployment({ containers: [container({ image: 'x' })] }),
      ).status,
    ).toBe('drifted');
    const missing = diffObject(desired, undefined);
    expect(missing).toMatchObject({
      status: 'missing',
      severity: 'high',
      score: 5,
    });
  });
});
