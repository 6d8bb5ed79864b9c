import {
  coreServices,
  createBackendModule,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  driftSourcesExtensionPoint,
  driftTargetsExtensionPoint,
  FileLocationReader,
} from '@driftwatch/plugin-drift-node';
import { ApiCluster } from './clusters/ApiCluster';
import {
  connectionRefusal,
  readKubernetesClusters,
} from './clusters/readClusterConfig';
import { RefusedCluster } from './clusters/RefusedCluster';
import type { LiveCluster } from './clusters/types';
import { readDriftKubernetesConfig } from './config';
import { readRenderConfig } from './render';
import { Environments } from './environments/Environments';
import { SnapshotCluster } from './snapshot/SnapshotCluster';
import { KubernetesManifestSource } from './source/KubernetesManifestSource';
import { KubernetesLiveTarget } from './target/KubernetesLiveTarget';

/** The clusters to compare entities in: the Kubernetes plugin's, then the snapshots. */
export function createClusters(
  config: Config,
  logger: LoggerService,
): LiveCluster[] {
  const settings = readDriftKubernetesConfig(config);
  const clusters: LiveCluster[] = [];
  const names = new Set<string>();
  const add = (cluster: LiveCluster) => {
    if (names.has(cluster.name)) {
      throw new Error(
        `Drift detection has two clusters named '${cluster.name}'`,
      );
    }
    names.add(cluster.name);
    clusters.push(cluster);
  };

  for (const details of readKubernetesClusters(config, logger)) {
    const refusal = connectionRefusal(details, settings.allowInsecureHttp);
    if (refusal) {
      if (!settings.clusters || settings.clusters.includes(details.name)) {
        logger.warn(`Drift detection: ${refusal}`);
      }
      add(new RefusedCluster(details.name, refusal));
      continue;
    }
    if (
      new URL(details.url).protocol === 'http:' &&
      settings.allowInsecureHttp.includes(details.name)
    ) {
      logger.warn(
        `Cluster '${details.name}' is read over plain http, as drift.kubernetes.allowInsecureHttp ` +
          `allows: its credentials and Secret values travel unencrypted`,
      );
    }
    add(new ApiCluster(details, settings));
  }
  for (const snapshot of settings.snapshots) {
    add(new SnapshotCluster(snapshot.cluster, snapshot.directory));
  }

  if (!settings.clusters) return clusters;
  for (const name of settings.clusters) {
    if (!names.has(name)) {
      logger.warn(
        `drift.kubernetes.clusters names '${name}', which is not a configured cluster`,
      );
    }
  }
  return clusters.filter(cluster => settings.clusters!.includes(cluster.name));
}

/**
 * Kubernetes for Driftwatch: the `kubernetes-manifests` source reads the Git manifests an
 * entity names in `driftwatch.io/source`, and the `kubernetes` target compares them with the
 * live objects of the Kubernetes plugin's clusters and of exported snapshots.
 *
 * @public
 */
export const driftModuleKubernetes = createBackendModule({
  pluginId: 'drift',
  moduleId: 'kubernetes',
  register(reg) {
    reg.registerInit({
      deps: {
        sources: driftSourcesExtensionPoint,
        targets: driftTargetsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        urlReader: coreServices.urlReader,
      },
      async init({ sources, targets, config, logger, urlReader }) {
        const settings = readDriftKubernetesConfig(config);
        const clusters = createClusters(config, logger);
        if (clusters.length === 0) {
          logger.warn(
            'Drift detection has no Kubernetes cluster to compare with: configure ' +
              'kubernetes.clusterLocatorMethods or drift.kubernetes.snapshots',
          );
        } else {
          logger.info(
            `Drift detection compares Kubernetes objects in ${clusters
              .map(cluster => `'${cluster.name}'`)
              .join(', ')}`,
          );
        }
        const environments = new Environments(settings.environments);
        const names = new Set(clusters.map(cluster => cluster.name));
        for (const environment of settings.environments) {
          for (const cluster of environment.clusters.filter(c => !names.has(c))) {
            logger.warn(
              `drift.environments puts '${cluster}' in '${environment.name}', but it is not a ` +
                `cluster drift detection compares`,
            );
          }
        }
        sources.addSource(
          new KubernetesManifestSource({
            urlReader,
            files: FileLocationReader.fromConfig(config),
            render: readRenderConfig(config),
          }),
        );
        targets.addTarget(
          new KubernetesLiveTarget({
            clusters,
            extraKinds: settings.extraKinds,
            scope: settings.scope,
            environments,
          }),
        );
      },
    });
  },
});
