import { createBackendModule } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { diffResources, type KubeObject } from '@driftwatch/plugin-drift-common';
import { driftSourcesExtensionPoint, driftTargetsExtensionPoint } from '@driftwatch/plugin-drift-node';

/** A drift-linked service in the catalog. */
export const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'driftwatch.io/source': `url:https://git.example.com/${name}`, 'driftwatch.io/tier': '3' },
  },
  spec: { type: 'service', owner, lifecycle: 'production' },
});

const deployment = (name: string, image: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop' },
  spec: { template: { spec: { containers: [{ name, image }] } } },
});

/** What each entity's drift is made of, for tests that look for it in answers. */
export const driftOf = (name: string) => ({
  resourceKey: `Deployment:shop:${name}`,
  desiredImage: `${name}:1.0`,
  liveImage: `${name}:1.1`,
});

/**
 * Git and a cluster that disagree about every entity's image: one finding per entity, compared
 * by the real engine.
 */
export const driftingCluster = createBackendModule({
  pluginId: 'drift',
  moduleId: 'drifting-cluster',
  register(reg) {
    reg.registerInit({
      deps: { sources: driftSourcesExtensionPoint, targets: driftTargetsExtensionPoint },
      async init({ sources, targets }) {
        sources.addSource({
          id: 'git',
          appliesTo: () => true,
          readDesired: async entity => [
            {
              targetKind: 'kubernetes',
              location: 'git',
              documents: [deployment(entity.metadata.name, driftOf(entity.metadata.name).desiredImage)],
            },
          ],
        });
        targets.addTarget({
          id: 'cluster',
          targetKind: 'kubernetes',
          compare: async (requests, options) =>
            requests.map(r => ({
              entityRef: r.entityRef,
              resources: diffResources(
                r.desired.flatMap(d => d.documents as KubeObject[]),
                [deployment(r.entity.metadata.name, driftOf(r.entity.metadata.name).liveImage)],
                options.diffOptions,
              ).resources.map(diff => ({ location: 'cluster', diff })),
              errors: [],
            })),
        });
      },
    });
  },
});
