import type { Entity } from '@backstage/catalog-model';
import type { KubeObject } from '@driftwatch/plugin-drift-common';
import type {
  DesiredState,
  TargetRequest,
} from '@driftwatch/plugin-drift-node';

const ID = 'backstage.io/kubernetes-id';

/** A catalog Component with the given annotations. */
export function component(
  name: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

/** A component linked to its live objects by `backstage.io/kubernetes-id` and a namespace. */
export function linkedComponent(name: string, namespace?: string): Entity {
  return component(name, {
    [ID]: name,
    ...(namespace ? { 'backstage.io/kubernetes-namespace': namespace } : {}),
  });
}

/** A target request with the objects as one desired-state location. */
export function request(entity: Entity, objects: KubeObject[]): TargetRequest {
  const desired: DesiredState = {
    targetKind: 'kubernetes',
    location: `url:https://git.example.com/deploy/tree/main/${entity.metadata.name}`,
    documents: objects,
  };
  return {
    entity,
    entityRef: `component:default/${entity.metadata.name}`,
    desired: [desired],
  };
}

/** The labels of an app's objects. */
export function appLabels(app: string): Record<string, string> {
  return { 'app.kubernetes.io/name': app, [ID]: app };
}

export function deployment(
  app: string,
  namespace: string,
  options: {
    image?: string;
    replicas?: number;
    name?: string;
    labels?: Record<string, string>;
  } = {},
): KubeObject {
  const labels = options.labels ?? appLabels(app);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: options.name ?? app, namespace, labels },
    spec: {
      replicas: options.replicas ?? 2,
      selector: { matchLabels: { 'app.kubernetes.io/name': app } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': app } },
        spec: {
          containers: [
            {
              name: app,
              image: options.image ?? `registry.example.com/${app}:1.0.0`,
            },
          ],
        },
      },
    },
  };
}

export function service(
  app: string,
  namespace: string,
  labels = appLabels(app),
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: app, namespace, labels },
    spec: {
      selector: { 'app.kubernetes.io/name': app },
      ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
    },
  };
}

export function configMap(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  data: Record<string, string> = { LOG_LEVEL: 'info' },
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, labels },
    data,
  };
}

export function secret(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  data: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: { name, namespace, labels },
    data,
  };
}

/** A copy of an object as the API server returns it after creation (server-set metadata). */
export function live(
  object: KubeObject,
  changes: (copy: any) => void = () => {},
): KubeObject {
  const copy = structuredClone(object) as any;
  copy.metadata.creationTimestamp = '2026-11-01T10:00:00Z';
  copy.metadata.generation = 1;
  changes(copy);
  return copy;
}
