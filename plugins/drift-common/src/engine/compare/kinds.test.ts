import { describeChanges, diffYaml, single } from '../testing/helpers';

// Live objects below are shaped like `kubectl get -o yaml` output of Kubernetes 1.29-1.31:
// server metadata, managedFields left out for brevity, status, and every defaulted field.

const SERVER_META = `
    creationTimestamp: "2025-03-01T10:00:00Z"
    resourceVersion: "123456"
    uid: 5f0c8f0e-8a3e-4b5e-9a55-0d6f2c1d9b11`;

describe('kinds beyond Deployment and Service', () => {
  it('DaemonSet with defaulted update strategy and pod spec is in sync', () => {
    const desired = `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-agent, namespace: monitoring, labels: {app: node-agent}}
spec:
  selector: {matchLabels: {app: node-agent}}
  template:
    metadata: {labels: {app: node-agent}}
    spec:
      tolerations:
      - operator: Exists
      containers:
      - name: agent
        image: example.com/agent:2.3.1
        resources: {limits: {memory: 200Mi}, requests: {cpu: 0.1, memory: 200Mi}}
        volumeMounts: [{name: proc, mountPath: /host/proc, readOnly: true}]
      volumes:
      - name: proc
        hostPath: {path: /proc}
`;
    const live = `
apiVersion: apps/v1
kind: DaemonSet
metadata:
  annotations:
    deprecated.daemonset.template.generation: "1"
  generation: 1
  labels: {app: node-agent}
  name: node-agent
  namespace: monitoring${SERVER_META.replace(/\n {4}/g, '\n  ')}
spec:
  revisionHistoryLimit: 10
  selector: {matchLabels: {app: node-agent}}
  template:
    metadata:
      creationTimestamp: null
      labels: {app: node-agent}
    spec:
      containers:
      - image: example.com/agent:2.3.1
        imagePullPolicy: IfNotPresent
        name: agent
        resources:
          limits: {memory: 200Mi}
          requests: {cpu: 100m, memory: 200Mi}
        terminationMessagePath: /dev/termination-log
        terminationMessagePolicy: File
        volumeMounts: [{mountPath: /host/proc, name: proc, readOnly: true}]
      dnsPolicy: ClusterFirst
      restartPolicy: Always
      schedulerName: default-scheduler
      securityContext: {}
      terminationGracePeriodSeconds: 30
      tolerations:
      - operator: Exists
      volumes:
      - hostPath: {path: /proc, type: ""}
        name: proc
  updateStrategy:
    rollingUpdate: {maxSurge: 0, maxUnavailable: 1}
    type: RollingUpdate
status: {currentNumberScheduled: 3, desiredNumberScheduled: 3, numberAvailable: 3, numberMisscheduled: 0, numberReady: 3, observedGeneration: 1, updatedNumberScheduled: 3}
`;
    expect(single(diffYaml(desired, live)).status).toBe('in-sync');
  });

  it('Job with generated selector, controller labels and Job defaults is in sync', () => {
    const desired = `
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: shop}
spec:
  template:
    metadata: {labels: {app: migrate}}
    spec:
      restartPolicy: Never
      containers:
      - name: migrate
        image: example.com/migrate:1.0.0
        args: [--up]
`;
    const live = `
apiVersion: batch/v1
kind: Job
metadata:
  labels:
    app: migrate
    batch.kubernetes.io/controller-uid: 0b5a2f67-3f2c-4b7e-9d69-2b64e3c1b3a1
    batch.kubernetes.io/job-name: migrate
    controller-uid: 0b5a2f67-3f2c-4b7e-9d69-2b64e3c1b3a1
    job-name: migrate
  name: migrate
  namespace: shop
  generation: 1${SERVER_META.replace(/\n {4}/g, '\n  ')}
spec:
  backoffLimit: 6
  completionMode: NonIndexed
  completions: 1
  manualSelector: false
  parallelism: 1
  podReplacementPolicy: TerminatingOrFailed
  selector:
    matchLabels:
      batch.kubernetes.io/controller-uid: 0b5a2f67-3f2c-4b7e-9d69-2b64e3c1b3a1
  suspend: false
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: migrate
        batch.kubernetes.io/controller-uid: 0b5a2f67-3f2c-4b7e-9d69-2b64e3c1b3a1
        batch.kubernetes.io/job-name: migrate
        controller-uid: 0b5a2f67-3f2c-4b7e-9d69-2b64e3c1b3a1
        job-name: migrate
    spec:
      containers:
      - args: [--up]
        image: example.com/migrate:1.0.0
        imagePullPolicy: IfNotPresent
        name: migrate
        resources: {}
        terminationMessagePath: /dev/termination-log
        terminationMessagePolicy: File
      dnsPolicy: ClusterFirst
      restartPolicy: Never
      schedulerName: default-scheduler
      securityContext: {}
      terminationGracePeriodSeconds: 30
status: {completionTime: "2025-03-01T10:01:00Z", succeeded: 1, ready: 0, terminating: 0, uncountedTerminatedPods: {}}
`;
    expect(single(diffYaml(desired, live)).status).toBe('in-sync');
  });

  it('Ingress with a default IngressClass filled in and status is in sync; a changed backend port is PortChange', () => {
    const desired = `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: web, port: {number: 80}}}
`;
    const live = (port: number) => `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  generation: 1
  name: web
  namespace: shop${SERVER_META.replace(/\n {4}/g, '\n  ')}
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - backend:
          service:
            name: web
            port: {number: ${port}}
        path: /
        pathType: Prefix
status:
  loadBalancer:
    ingress: [{ip: 203.0.113.10}]
`;
    expect(single(diffYaml(desired, live(80))).status).toBe('in-sync');
    const drifted = single(diffYaml(desired, live(8080)));
    expect(describeChanges(drifted)).toEqual([
      'changed /spec/rules/0/http/paths/0/backend/service/port/number PortChange',
    ]);
  });

  it('bound PersistentVolumeClaim with default storage class, volume name and protection finalizer is in sync', () => {
    const desired = `
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: shop}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 10Gi}}
`;
    const live = (size: string) => `
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  annotations:
    pv.kubernetes.io/bind-completed: "yes"
    pv.kubernetes.io/bound-by-controller: "yes"
    volume.beta.kubernetes.io/storage-provisioner: ebs.csi.aws.com
    volume.kubernetes.io/selected-node: ip-10-0-1-23.ec2.internal
    volume.kubernetes.io/storage-provisioner: ebs.csi.aws.com
  finalizers: [kubernetes.io/pvc-protection]
  name: data
  namespace: shop${SERVER_META.replace(/\n {4}/g, '\n  ')}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: ${size}}}
  storageClassName: gp3
  volumeMode: Filesystem
  volumeName: pvc-8d1f2c9e-3b1a-4f7e-9f0b-6c2d1e0a9b77
status:
  accessModes: [ReadWriteOnce]
  capacity: {storage: 10Gi}
  phase: Bound
`;
    expect(single(diffYaml(desired, live('10Gi'))).status).toBe('in-sync');
    expect(single(diffYaml(desired, live('10240Mi'))).status).toBe('in-sync');
    expect(single(diffYaml(desired, live('20Gi'))).status).toBe('drifted');
  });

  it('NetworkPolicy with egress gets both policy types by default; a live-only rule is SecurityChange', () => {
    const desired = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: web}}}]
    ports: [{port: 8080}]
  egress:
  - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}]
    ports: [{port: 53, protocol: UDP}]
`;
    const live = (extra: string) => `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  generation: 1
  name: api
  namespace: shop${SERVER_META.replace(/\n {4}/g, '\n  ')}
spec:
  egress:
  - ports: [{port: 53, protocol: UDP}]
    to:
    - namespaceSelector:
        matchLabels: {kubernetes.io/metadata.name: kube-system}
  ingress:
  - from:
    - podSelector:
        matchLabels: {app: web}
    ports: [{port: 8080, protocol: TCP}]${extra}
  podSelector:
    matchLabels: {app: api}
  policyTypes: [Ingress, Egress]
`;
    expect(single(diffYaml(desired, live(''))).status).toBe('in-sync');
    const drifted = single(
      diffYaml(desired, live('\n  - from: [{namespaceSelector: {}}]')),
    );
    expect(describeChanges(drifted)).toEqual([
      'added /spec/ingress/1 SecurityChange',
    ]);
  });

  it('ClusterRoleBinding subjects get their default apiGroup; a new subject is SecurityChange', () => {
    const desired = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: readers}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: Group, name: readers}
- {kind: ServiceAccount, name: reporter, namespace: tools}
`;
    const live = (extra: string) => `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: readers${SERVER_META.replace(/\n {4}/g, '\n  ')}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: ServiceAccount, name: reporter, namespace: tools}
- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: readers}${extra}
`;
    const report = diffYaml(desired, live(''));
    expect(single(report).status).toBe('in-sync');
    expect(single(report).namespace).toBeUndefined();
    const drifted = single(
      diffYaml(
        desired,
        live(
          '\n- {apiGroup: rbac.authorization.k8s.io, kind: User, name: mallory@example.com}',
        ),
      ),
    );
    expect(describeChanges(drifted)).toEqual([
      'added /subjects/2 SecurityChange',
    ]);
  });

  it('HorizontalPodAutoscaler without behavior and a changed maxReplicas is Scaling', () => {
    const desired = `
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  maxReplicas: 10
`;
    const live = (max: number) => `
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: api
  namespace: shop${SERVER_META.replace(/\n {4}/g, '\n  ')}
spec:
  maxReplicas: ${max}
  metrics:
  - resource:
      name: cpu
      target: {averageUtilization: 80, type: Utilization}
    type: Resource
  minReplicas: 1
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
status: {currentReplicas: 2, desiredReplicas: 2}
`;
    expect(single(diffYaml(desired, live(10))).status).toBe('in-sync');
    expect(describeChanges(single(diffYaml(desired, live(20))))).toEqual([
      'changed /spec/maxReplicas Scaling',
    ]);
  });

  it('ServiceAccount with token secrets of an older cluster is in sync; automount turned on is SecurityChange', () => {
    const desired = `
apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: shop}
automountServiceAccountToken: false
`;
    const live = (automount: boolean) => `
apiVersion: v1
kind: ServiceAccount
automountServiceAccountToken: ${automount}
metadata:
  name: api
  namespace: shop${SERVER_META.replace(/\n {4}/g, '\n  ')}
secrets:
- name: api-token-x7k2p
`;
    expect(single(diffYaml(desired, live(false))).status).toBe('in-sync');
    expect(describeChanges(single(diffYaml(desired, live(true))))).toEqual([
      'changed /automountServiceAccountToken SecurityChange',
    ]);
  });

  it('Service of type LoadBalancer with allocated ports, IPs and defaults is in sync', () => {
    const desired = `
apiVersion: v1
kind: Service
metadata: {name: edge, namespace: shop}
spec:
  type: LoadBalancer
  selector: {app: edge}
  ports:
  - {name: https, port: 443, targetPort: 8443}
`;
    const live = `
apiVersion: v1
kind: Service
metadata:
  finalizers: [service.kubernetes.io/load-balancer-cleanup]
  name: edge
  namespace: shop${SERVER_META.replace(/\n {4}/g, '\n  ')}
spec:
  allocateLoadBalancerNodePorts: true
  clusterIP: 10.96.12.7
  clusterIPs: [10.96.12.7]
  externalTrafficPolicy: Cluster
  internalTrafficPolicy: Cluster
  ipFamilies: [IPv4]
  ipFamilyPolicy: SingleStack
  ports:
  - {name: https, nodePort: 31443, port: 443, protocol: TCP, targetPort: 8443}
  selector: {app: edge}
  sessionAffinity: None
  type: LoadBalancer
status:
  loadBalancer:
    ingress: [{hostname: a1b2.elb.example.com}]
`;
    expect(single(diffYaml(desired, live)).status).toBe('in-sync');
  });

  it('Namespace with its automatic name label and kubernetes finalizer is in sync', () => {
    const desired = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: checkout}}
`;
    const live = `
apiVersion: v1
kind: Namespace
metadata:
  labels: {kubernetes.io/metadata.name: shop, team: checkout}
  name: shop${SERVER_META.replace(/\n {4}/g, '\n  ')}
spec:
  finalizers: [kubernetes]
status: {phase: Active}
`;
    const resource = single(diffYaml(desired, live));
    expect(resource.status).toBe('in-sync');
    expect(resource.namespace).toBeUndefined();
  });

  it('PodDisruptionBudget minAvailable as text or number is the same; a change is reported', () => {
    const desired = `
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api, namespace: shop}
spec: {minAvailable: "1", selector: {matchLabels: {app: api}}}
`;
    const live = (value: string) => `
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api, namespace: shop, generation: 1}
spec: {minAvailable: ${value}, selector: {matchLabels: {app: api}}}
status: {currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1, expectedPods: 2, observedGeneration: 1}
`;
    expect(single(diffYaml(desired, live('1'))).status).toBe('in-sync');
    expect(single(diffYaml(desired, live('2'))).status).toBe('drifted');
  });

  it('LimitRange defaults filled from max, and ResourceQuota quantities, are in sync', () => {
    const desired = `
apiVersion: v1
kind: LimitRange
metadata: {name: limits, namespace: shop}
spec:
  limits:
  - type: Container
    max: {cpu: "2", memory: 1Gi}
    defaultRequest: {cpu: 100m}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: quota, namespace: shop}
spec:
  hard: {requests.cpu: "4", requests.memory: 8192Mi, pods: "20"}
`;
    const live = `
apiVersion: v1
kind: LimitRange
metadata: {name: limits, namespace: shop}
spec:
  limits:
  - default: {cpu: "2", memory: 1Gi}
    defaultRequest: {cpu: 100m, memory: 1Gi}
    max: {cpu: "2", memory: 1Gi}
    type: Container
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: quota, namespace: shop}
spec:
  hard: {pods: "20", requests.cpu: "4", requests.memory: 8Gi}
status:
  hard: {pods: "20", requests.cpu: "4", requests.memory: 8Gi}
  used: {pods: "3", requests.cpu: 300m, requests.memory: 768Mi}
`;
    const report = diffYaml(desired, live);
    expect(report.resources.map(r => r.status)).toEqual(['in-sync', 'in-sync']);
  });

  it('bare Pod with admission-added token volume, tolerations and priority is in sync', () => {
    const desired = `
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: shop}
spec:
  containers:
  - name: shell
    image: busybox:1.36
    command: [sleep, "3600"]
    resources: {limits: {cpu: 100m, memory: 64Mi}}
`;
    const live = `
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: shop}
spec:
  containers:
  - command: [sleep, "3600"]
    image: busybox:1.36
    imagePullPolicy: IfNotPresent
    name: shell
    resources:
      limits: {cpu: 100m, memory: 64Mi}
      requests: {cpu: 100m, memory: 64Mi}
    terminationMessagePath: /dev/termination-log
    terminationMessagePolicy: File
    volumeMounts:
    - {mountPath: /var/run/secrets/kubernetes.io/serviceaccount, name: kube-api-access-5x2lq, readOnly: true}
  dnsPolicy: ClusterFirst
  enableServiceLinks: true
  nodeName: worker-2
  preemptionPolicy: PreemptLowerPriority
  priority: 0
  restartPolicy: Always
  schedulerName: default-scheduler
  securityContext: {}
  serviceAccount: default
  serviceAccountName: default
  terminationGracePeriodSeconds: 30
  tolerations:
  - {effect: NoExecute, key: node.kubernetes.io/not-ready, operator: Exists, tolerationSeconds: 300}
  - {effect: NoExecute, key: node.kubernetes.io/unreachable, operator: Exists, tolerationSeconds: 300}
  volumes:
  - name: kube-api-access-5x2lq
    projected:
      defaultMode: 420
      sources:
      - serviceAccountToken: {expirationSeconds: 3607, path: token}
      - configMap:
          items: [{key: ca.crt, path: ca.crt}]
          name: kube-root-ca.crt
      - downwardAPI:
          items:
          - fieldRef: {apiVersion: v1, fieldPath: metadata.namespace}
            path: namespace
status: {phase: Running}
`;
    expect(single(diffYaml(desired, live)).status).toBe('in-sync');
  });

  it('StorageClass and PriorityClass defaults are in sync', () => {
    const desired = `
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast}
provisioner: ebs.csi.aws.com
parameters: {type: gp3}
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: critical-apps}
value: 100000
`;
    const live = `
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast}
parameters: {type: gp3}
provisioner: ebs.csi.aws.com
reclaimPolicy: Delete
volumeBindingMode: Immediate
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: critical-apps}
preemptionPolicy: PreemptLowerPriority
value: 100000
`;
    expect(diffYaml(desired, live).resources.map(r => r.status)).toEqual([
      'in-sync',
      'in-sync',
    ]);
  });

  it('webhook configuration defaults are in sync; an injected caBundle is drift', () => {
    const desired = `
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: policy}
webhooks:
- name: policy.example.com
  admissionReviewVersions: [v1]
  sideEffects: None
  clientConfig: {service: {name: policy, namespace: tools, path: /validate}}
  rules:
  - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
`;
    const live = (ca: string) => `
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: policy, generation: 1}
webhooks:
- admissionReviewVersions: [v1]
  clientConfig:
    service: {name: policy, namespace: tools, path: /validate, port: 443}${ca}
  failurePolicy: Fail
  matchPolicy: Equivalent
  name: policy.example.com
  namespaceSelector: {}
  objectSelector: {}
  rules:
  - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments], scope: "*"}
  sideEffects: None
  timeoutSeconds: 10
`;
    expect(single(diffYaml(desired, live(''))).status).toBe('in-sync');
    expect(
      single(diffYaml(desired, live('\n    caBundle: LS0tLS1CRUdJTg==')))
        .status,
    ).toBe('drifted');
  });

  it('CronJob suspended live is drift', () => {
    const desired = `
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: shop}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: report, image: example.com/report:1.2.0}]
`;
    const live = (suspend: boolean) => `
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: shop}
spec:
  concurrencyPolicy: Allow
  failedJobsHistoryLimit: 1
  jobTemplate:
    metadata: {creationTimestamp: null}
    spec:
      template:
        metadata: {creationTimestamp: null}
        spec:
          containers:
          - image: example.com/report:1.2.0
            imagePullPolicy: IfNotPresent
            name: report
            resources: {}
            terminationMessagePath: /dev/termination-log
            terminationMessagePolicy: File
          dnsPolicy: ClusterFirst
          restartPolicy: OnFailure
          schedulerName: default-scheduler
          securityContext: {}
          terminationGracePeriodSeconds: 30
  schedule: "0 * * * *"
  successfulJobsHistoryLimit: 3
  suspend: ${suspend}
status: {lastScheduleTime: "2025-03-01T10:00:00Z"}
`;
    expect(single(diffYaml(desired, live(false))).status).toBe('in-sync');
    expect(describeChanges(single(diffYaml(desired, live(true))))).toEqual([
      'added /spec/suspend ConfigurationChange',
    ]);
  });
});
