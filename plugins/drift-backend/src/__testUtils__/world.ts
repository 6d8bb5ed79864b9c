import { createBackendModule } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  diffResources,
  type KubeObject,
} from '@driftwatch/plugin-drift-common';
import {
  type DesiredObjectSource,
  driftSourcesExtensionPoint,
  driftTargetsExtensionPoint,
} from '@driftwatch/plugin-drift-node';
import request from 'supertest';

export const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'driftwatch.io/source': `file:./${name}`,
      'driftwatch.io/tier': '2',
    },
  },
  spec: { type: 'service', owner, lifecycle: 'production' },
});

export const deployment = (name: string, image: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name,
    namespace: 'shop',
    labels: { 'backstage.io/kubernetes-id': name },
  },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name, image }] },
    },
  },
});

export const secret = (name: string, password: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: {
    name: `${name}-db`,
    namespace: 'shop',
    labels: { 'backstage.io/kubernetes-id': name },
  },
  type: 'Opaque',
  data: { password: Buffer.from(password).toString('base64') },
});

/**
 * A cluster the test controls: desired objects per entity, live objects per entity, and whether
 * the cluster answers. The comparison itself is the real engine.
 */
export function createWorld(
  world: {
    moduleId?: string;
    /** Where the desired objects are read from. */
    gitLocation?: string;
    /** The live location the comparison reports. */
    cluster?: string;
    /** Set: each compared object says where Git declares it, as the Kubernetes module does. */
    sourceOf?: (entityName: string, document: number) => DesiredObjectSource;
  } = {},
) {
  const { gitLocation = 'git', cluster = 'test-cluster', sourceOf } = world;
  const desired = new Map<string, KubeObject[]>();
  const live = new Map<string, KubeObject[]>();
  const down = new Set<string>();
  const module = createBackendModule({
    pluginId: 'drift',
    moduleId: world.moduleId ?? 'test-cluster',
    register(reg) {
      reg.registerInit({
        deps: {
          sources: driftSourcesExtensionPoint,
          targets: driftTargetsExtensionPoint,
        },
        async init({ sources, targets }) {
          sources.addSource({
            id: 'test-manifests',
            appliesTo: () => true,
            async readDesired(entity) {
              return [
                {
                  targetKind: 'kubernetes',
                  location: gitLocation,
                  documents: desired.get(entity.metadata.name) ?? [],
                },
              ];
            },
          });
          targets.addTarget({
            id: 'test-cluster',
            targetKind: 'kubernetes',
            async compare(requests, options) {
              return requests.map(r => {
                const name = r.entity.metadata.name;
                const wanted = r.desired.flatMap(
                  d => d.documents as KubeObject[],
                );
                if (down.has(name)) {
                  return {
                    entityRef: r.entityRef,
                    resources: [],
                    errors: [
                      {
                        location: cluster,
                        message: 'connect ECONNREFUSED 127.0.0.1:6443',
                      },
                    ],
                  };
                }
                const report = diffResources(
                  wanted,
                  live.get(name) ?? [],
                  options.diffOptions,
                );
                return {
                  entityRef: r.entityRef,
                  resources: report.resources.map(diff => {
                    const index = wanted.findIndex(
                      o =>
                        o.kind === diff.kind &&
                        o.metadata.name === diff.name &&
                        o.metadata.namespace === diff.namespace,
                    );
                    const source =
                      sourceOf && index >= 0
                        ? { source: sourceOf(name, index + 1) }
                        : {};
                    return { location: cluster, diff, ...source };
                  }),
                  errors: [],
                };
              });
            },
          });
        },
      });
    },
  });
  return { desired, live, down, module };
}

export async function waitForScan(server: any, id: string) {
  for (let i = 0; i < 100; i++) {
    const res = await request(server).get(`/api/drift/scans/${id}`);
    if (['succeeded', 'partial', 'failed'].includes(res.body.status))
      return res.body;
    await new Promise(r => setTimeout(r, 50));
  }
  throw new Error(`scan ${id} did not finish`);
}

export async function scan(server: any) {
  const res = await request(server).post('/api/drift/scans').send({});
  expect(res.status).toBe(202);
  return waitForScan(server, res.body.id);
}
