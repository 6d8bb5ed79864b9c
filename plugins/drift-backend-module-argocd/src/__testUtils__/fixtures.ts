import type { Entity } from '@backstage/catalog-model';
import type { FakeApplication } from './FakeArgoCdServer';

/** A catalog Component with the given annotations. */
export function component(
  name: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-shop', lifecycle: 'production' },
  };
}

/** The Deployment Argo CD renders for `cart`, without a namespace as Kustomize leaves it. */
export function cartDeployment(replicas = 2) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'cart',
      labels: {
        'app.kubernetes.io/name': 'cart',
        'backstage.io/kubernetes-id': 'cart',
        'app.kubernetes.io/instance': 'cart-prod',
      },
    },
    spec: {
      replicas,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'cart' } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'cart' } },
        spec: {
          containers: [
            { name: 'cart', image: 'registry.example.com/cart:1.4.0' },
          ],
        },
      },
    },
  };
}

/** The `cart-prod` application: synced and healthy as far as Argo CD knows. */
export function cartApplication(
  destination: { server?: string; name?: string; namespace?: string },
  manifests: object[] = [cartDeployment()],
): FakeApplication {
  return {
    application: {
      metadata: { name: 'cart-prod', namespace: 'argocd' },
      spec: { destination },
      status: {
        sync: { status: 'Synced', revision: '4f1c2a9e' },
        health: { status: 'Healthy' },
      },
    },
    manifests,
  };
}
