import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';

/** How Driftwatch authenticates to a cluster of the Kubernetes plugin's configuration. */
export type ClusterAuth =
  /** `authProvider: serviceAccount` with a token; without one, the pod's own service account. */
  | { type: 'serviceAccount'; token?: string }
  /** `kubectl proxy` on the Backstage host: no credentials. */
  | { type: 'none' };

/** A cluster read from `kubernetes.clusterLocatorMethods`. */
export interface KubernetesClusterDetails {
  name: string;
  url: string;
  auth: ClusterAuth;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
}

/** The cluster Backstage's `localKubectlProxy` locator provides. */
export const LOCAL_KUBECTL_PROXY_CLUSTER: KubernetesClusterDetails = {
  name: 'local',
  url: 'http://localhost:8001',
  auth: { type: 'none' },
  skipTLSVerify: false,
};

/**
 * Reads the clusters of the Kubernetes plugin's `kubernetes.clusterLocatorMethods`, so a
 * Backstage that already shows pods needs no cluster configuration of its own for drift.
 *
 * Locators that need other plugins' services (`catalog`, `gke`) and auth providers that need
 * per-request credentials (`aws`, `google`, `oidc`, ...) are skipped with a warning: Driftwatch
 * scans in the background, with no user to borrow credentials from.
 */
export function readKubernetesClusters(
  config: Config,
  logger: LoggerService,
): KubernetesClusterDetails[] {
  const clusters: KubernetesClusterDetails[] = [];
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  for (const method of methods) {
    const type = method.getString('type');
    if (type === 'localKubectlProxy') {
      clusters.push({ ...LOCAL_KUBECTL_PROXY_CLUSTER });
      continue;
    }
    if (type !== 'config') {
      logger.warn(
        `Drift detection skips the '${type}' cluster locator of kubernetes.clusterLocatorMethods; ` +
          `list the clusters under a 'config' locator or drift.kubernetes.snapshots`,
      );
      continue;
    }
    for (const cluster of method.getOptionalConfigArray('clusters') ?? []) {
      const name = cluster.getString('name');
      const authProvider =
        cluster.getOptionalString('authProvider') ?? 'serviceAccount';
      let auth: ClusterAuth;
      if (authProvider === 'serviceAccount') {
        auth = {
          type: 'serviceAccount',
          token: cluster.getOptionalString('serviceAccountToken'),
        };
      } else if (authProvider === 'localKubectlProxy') {
        auth = { type: 'none' };
      } else {
        logger.warn(
          `Drift detection skips cluster '${name}': authProvider '${authProvider}' needs a ` +
            `signed-in user, use 'serviceAccount' with a serviceAccountToken`,
        );
        continue;
      }
      const url = cluster.getString('url');
      if (!URL.canParse(url)) {
        throw new Error(
          `Kubernetes cluster '${name}' has an invalid url '${url}'`,
        );
      }
      clusters.push({
        name,
        url,
        auth,
        caData: cluster.getOptionalString('caData'),
        caFile: cluster.getOptionalString('caFile'),
        skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify') ?? false,
      });
    }
  }
  return clusters;
}
