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

const IN_CLUSTER_HOSTS = new Set([
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
]);
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether a URL is the API server of the cluster Backstage runs in: `https://kubernetes.default.svc`
 * or the `KUBERNETES_SERVICE_HOST`/`KUBERNETES_SERVICE_PORT` the kubelet gives every pod.
 */
export function isInClusterApi(
  url: string,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:') return false;
  const port = parsed.port || '443';
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (IN_CLUSTER_HOSTS.has(host) && port === '443') return true;
  return (
    Boolean(env.KUBERNETES_SERVICE_HOST) &&
    host === env.KUBERNETES_SERVICE_HOST &&
    port === (env.KUBERNETES_SERVICE_PORT || '443')
  );
}

/**
 * Why Driftwatch does not contact a cluster, or undefined when it may. Plain http is refused
 * (it would carry the token and Secret values unencrypted) except for `kubectl proxy` on the
 * Backstage host without credentials and for clusters listed in
 * `drift.kubernetes.allowInsecureHttp`; the pod's own service account token is only sent to
 * the in-cluster API.
 */
export function connectionRefusal(
  details: KubernetesClusterDetails,
  allowInsecureHttp: string[],
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const url = new URL(details.url);
  const localProxy =
    details.auth.type === 'none' && LOOPBACK_HOSTS.has(url.hostname);
  if (
    url.protocol === 'http:' &&
    !localProxy &&
    !allowInsecureHttp.includes(details.name)
  ) {
    return (
      `Cluster '${details.name}' is not read: its URL is plain http; use https, or list ` +
      `the cluster in drift.kubernetes.allowInsecureHttp`
    );
  }
  if (
    details.auth.type === 'serviceAccount' &&
    !details.auth.token &&
    !isInClusterApi(details.url, env)
  ) {
    return (
      `Cluster '${details.name}' is not read: it has no serviceAccountToken, and the pod's own ` +
      `service account token is only sent to the in-cluster API (https://kubernetes.default.svc)`
    );
  }
  return undefined;
}
