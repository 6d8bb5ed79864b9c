import { diffYaml } from '../testing/helpers';

describe('matching Git objects with live ones', () => {
  it('matches a custom cluster-scoped object that Git gave a namespace', () => {
    const desired = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: require-labels, namespace: default}
spec: {validationFailureAction: Enforce}
`;
    const live = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: require-labels, uid: u, resourceVersion: "1"}
spec: {validationFailureAction: Enforce}
status: {ready: true}
`;
    expect(diffYaml(desired, live).resources.map(r => r.status)).toEqual([
      'in-sync',
    ]);
  });

  it('matches an object whose namespace Git leaves to the deploy tool', () => {
    const desired =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata: {a: b}\n';
    const live =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app, namespace: shop}\ndata: {a: b}\n';
    expect(diffYaml(desired, live).resources.map(r => r.status)).toEqual([
      'in-sync',
    ]);
  });

  it('matches legacy API groups with current ones', () => {
    const desired = `apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  rules:
  - http:
      paths:
      - path: /
        backend: {serviceName: web, servicePort: 80}
`;
    const live = `apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  rules:
  - http:
      paths:
      - path: /
        pathType: ImplementationSpecific
        backend: {serviceName: web, servicePort: 80}
`;
    const report = diffYaml(desired, live);
    expect(report.resources.map(r => `${r.group} ${r.status}`)).toEqual([
      'networking.k8s.io in-sync',
    ]);
  });

  it('ignores the bookkeeping labels and annotations of deploy tools', () => {
    const desired =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app, namespace: shop}\ndata: {a: b}\n';
    const live = `apiVersion: v1
kind: ConfigMap
metadata:
  name: app
  namespace: shop
  labels:
    kustomize.toolkit.fluxcd.io/name: apps
    kustomize.toolkit.fluxcd.io/namespace: flux-system
  annotations:
    meta.helm.sh/release-name: app
    meta.helm.sh/release-namespace: shop
    argocd.argoproj.io/tracking-id: apps:/ConfigMap:shop/app
data: {a: b}
`;
    expect(diffYaml(desired, live).resources.map(r => r.status)).toEqual([
      'in-sync',
    ]);
  });
});
