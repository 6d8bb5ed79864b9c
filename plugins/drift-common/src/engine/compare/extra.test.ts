import { diffYaml } from '../testing/helpers';

const desired = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop, labels: {app.kubernetes.io/instance: web, app.kubernetes.io/name: web}}
spec: {ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop, labels: {app.kubernetes.io/instance: web}}
spec:
  serviceName: db
  template: {spec: {containers: [{name: db, image: postgres:16}]}}
  volumeClaimTemplates: [{metadata: {name: data}, spec: {accessModes: [ReadWriteOnce]}}]
`;

const live = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: web, namespace: shop, labels: {app.kubernetes.io/instance: web, app.kubernetes.io/name: web}}
  spec: {ports: [{port: 80, protocol: TCP, targetPort: 80}], clusterIP: 10.0.0.1}
- apiVersion: apps/v1
  kind: StatefulSet
  metadata: {name: db, namespace: shop, labels: {app.kubernetes.io/instance: web}}
  spec:
    serviceName: db
    template: {spec: {containers: [{name: db, image: postgres:16}]}}
    volumeClaimTemplates: [{metadata: {name: data}, spec: {accessModes: [ReadWriteOnce]}}]
- apiVersion: v1
  kind: Service
  metadata: {name: web-debug, namespace: shop, labels: {app.kubernetes.io/instance: web}}
  spec: {type: NodePort, ports: [{port: 80}]}
- apiVersion: v1
  kind: Endpoints
  metadata: {name: web, namespace: shop, labels: {app.kubernetes.io/instance: web}}
- apiVersion: apps/v1
  kind: ReplicaSet
  metadata:
    name: web-6d4cf56db6
    namespace: shop
    labels: {app.kubernetes.io/instance: web}
    ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: u, controller: true}]
- apiVersion: v1
  kind: PersistentVolumeClaim
  metadata: {name: data-db-0, namespace: shop, labels: {app.kubernetes.io/instance: web}}
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: other-app, namespace: shop, labels: {app.kubernetes.io/instance: other}}
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: unlabelled, namespace: shop}
`;

describe('extra objects', () => {
  it('reports labelled live objects that Git lacks, and only those', () => {
    const report = diffYaml(desired, live);
    expect(report.resources.map(r => `${r.key} ${r.status}`)).toEqual([
      'Service:shop:web in-sync',
      'StatefulSet:shop:db in-sync',
      'Service:shop:web-debug extra',
    ]);
    expect(
      report.untracked.map(u => `${u.kind}/${u.name} ${u.reason}`),
    ).toEqual([
      'Endpoints/web generated',
      'ReplicaSet/web-6d4cf56db6 owned',
      'PersistentVolumeClaim/data-db-0 generated',
      'ConfigMap/other-app not-labelled',
      'ConfigMap/unlabelled not-labelled',
    ]);
    expect(report.summary).toMatchObject({ total: 3, 'in-sync': 2, extra: 1 });
  });

  it('uses an explicit selector when given', () => {
    const report = diffYaml(desired, live, {
      appSelector: { 'app.kubernetes.io/instance': 'other' },
    });
    expect(
      report.resources.filter(r => r.status === 'extra').map(r => r.name),
    ).toEqual(['other-app']);
  });
});
