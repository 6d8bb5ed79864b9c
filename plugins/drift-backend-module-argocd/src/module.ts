import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { driftSourcesExtensionPoint } from '@driftwatch/plugin-drift-node';
import { readKnownClusters } from './clusters/destinationCluster';
import { readArgoCdConfig } from './config';
import { ArgoCdApplicationSource } from './source/ArgoCdApplicationSource';

/**
 * Argo CD for Driftwatch: the `argocd` source reads the rendered manifests and destination of
 * the application an entity names in `argocd/app-name`, for the Kubernetes target to compare.
 *
 * @public
 */
export const driftModuleArgoCd = createBackendModule({
  pluginId: 'drift',
  moduleId: 'argocd',
  register(reg) {
    reg.registerInit({
      deps: {
        sources: driftSourcesExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ sources, config, logger }) {
        const settings = readArgoCdConfig(config, logger);
        if (settings.instances.length === 0) {
          logger.warn(
            'Drift detection has no Argo CD instance: configure argocd.appLocatorMethods',
          );
        }
        for (const instance of settings.instances) {
          if (!instance.token) {
            logger.warn(
              `Argo CD instance ${instance.name} has no token; its applications are not read`,
            );
          }
        }
        sources.addSource(
          new ArgoCdApplicationSource({
            instances: settings.instances,
            clusters: readKnownClusters(config),
            requestTimeoutMs: settings.requestTimeoutMs,
          }),
        );
      },
    });
  },
});
