import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { diffResources, type KubeObject } from '@driftwatch/plugin-drift-common';
import { driftSourcesExtensionPoint, driftTargetsExtensionPoint } from '@driftwatch/plugin-drift-node';

/**
 * Desired and live objects from a fixture HTTP server (`driftFixture.url`) that the test process
 * runs, so that every replica sees, and the test controls, one cluster. Compared by the real
 * engine.
 */
export const fixtureClusterModule = createBackendModule({
  pluginId: 'drift',
  moduleId: 'fixture-cluster',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        sources: driftSourcesExtensionPoint,
        targets: driftTargetsExtensionPoint,
      },
      async init({ config, sources, targets }) {
        const baseUrl = config.getString('driftFixture.url');
        const objects = async (name: string, side: 'desired' | 'live'): Promise<KubeObject[]> => {
          const response = await fetch(`${baseUrl}/entities/${encodeURIComponent(name)}/${side}`);
          if (!response.ok) throw new Error(`${side} state of ${name}: HTTP ${response.status}`);
          return (await response.json()) as KubeObject[];
        };
        sources.addSource({
          id: 'fixture-git',
          appliesTo: () => true,
          async readDesired(entity) {
            return [{ targetKind: 'kubernetes', location: 'git', documents: await objects(entity.metadata.name, 'desired') }];
          },
        });
        targets.addTarget({
          id: 'fixture-cluster',
          targetKind: 'kubernetes',
          async compare(requests, options) {
            const results = [];
            for (const r of requests) {
              const live = await objects(r.entity.metadata.name, 'live');
              const wanted = r.desired.flatMap(d => d.documents as KubeObject[]);
              const report = diffResources(wanted, live, options.diffOptions);
              results.push({
                entityRef: r.entityRef,
                resources: report.resources.map(diff => ({ location: 'fixture', diff })),
                errors: [],
              });
            }
            return results;
          },
        });
      },
    });
  },
});
