import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { ArgoCdDestination } from '../client/types';

/** A cluster the Kubernetes target compares in: its name, and its API server when it has one. */
export interface KnownCluster {
  name: string;
  url?: string;
}

/** The API server Argo CD calls `in-cluster`: the cluster it runs in. */
const IN_CLUSTER = { name: 'in-cluster', server: 'https://kubernetes.default.svc' };

/**
 * The clusters of the Kubernetes plugin's `kubernetes.clusterLocatorMethods` and of
 * `drift.kubernetes.snapshots`, by the names the Kubernetes target reports them under.
 */
export function readKnownClusters(config: Config): KnownCluster[] {
  const clusters: KnownCluster[] = [];
  for (const method of config.getOptionalConfigArray(
    'kubernetes.clusterLocatorMethods',
  ) ?? []) {
    const type = method.getString('type');
    if (type === 'localKubectlProxy') {
      clusters.push({ name: 'local', url: 'http://localhost:8001' });
    }
    if (type !== 'config') continue;
    for (const cluster of method.getOptionalConfigArray('clusters') ?? []) {
      clusters.push({
        name: cluster.getString('name'),
        url: cluster.getString('url'),
      });
    }
  }
  for (const snapshot of config.getOptionalConfigArray(
    'drift.kubernetes.snapshots',
  ) ?? []) {
    clusters.push({ name: snapshot.getString('cluster') });
  }
  return clusters;
}

/** A URL as a key: lower-case host, the scheme's default port spelled out, no trailing slash. */
function serverKey(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  const port = parsed.port || (parsed.protocol === 'http:' ? '80' : '443');
  return `${parsed.protocol}//${parsed.hostname.toLowerCase()}:${port}${parsed.pathname.replace(/\/+$/, '')}`;
}

/**
 * The configured cluster an Argo CD application deploys to: by name (`destination.name`), else
 * by API server URL (`destination.server`). Argo CD's own cluster matches a cluster configured
 * as `https://kubernetes.default.svc`. Throws an InputError when none matches, since comparing
 * the application anywhere else would report another cluster's objects.
 */
export function destinationCluster(
  destination: ArgoCdDestination | undefined,
  clusters: KnownCluster[],
  app: string,
): string {
  const { name, server } = destination ?? {};
  if (name) {
    const byName = clusters.find(c => c.name === name);
    if (byName) return byName.name;
    if (name !== IN_CLUSTER.name) {
      throw new InputError(
        `Argo CD application '${app}' deploys to cluster '${name}', which is not a configured Kubernetes cluster`,
      );
    }
  }
  const wanted = serverKey(server ?? (name ? IN_CLUSTER.server : ''));
  const byServer = wanted
    ? clusters.find(c => c.url && serverKey(c.url) === wanted)
    : undefined;
  if (byServer) return byServer.name;
  throw new InputError(
    `Argo CD application '${app}' deploys to ${server ?? name ?? 'no destination'}, ` +
      `which is not the url of a cluster in kubernetes.clusterLocatorMethods`,
  );
}
