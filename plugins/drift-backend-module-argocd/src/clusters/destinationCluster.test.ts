import { ConfigReader } from '@backstage/config';
import { destinationCluster, readKnownClusters } from './destinationCluster';

const clusters = readKnownClusters(
  new ConfigReader({
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            { name: 'production', url: 'https://K8S.example.com:443/' },
            { name: 'home', url: 'https://kubernetes.default.svc' },
          ],
        },
      ],
    },
    drift: {
      kubernetes: { snapshots: [{ cluster: 'demo', directory: 'snap' }] },
    },
  }),
);

describe('destinationCluster', () => {
  it('reads the Kubernetes plugin clusters and the snapshots', () => {
    expect(clusters).toEqual([
      { name: 'production', url: 'https://K8S.example.com:443/' },
      { name: 'home', url: 'https://kubernetes.default.svc' },
      { name: 'demo' },
    ]);
  });

  it('maps a destination by name, or by its API server URL', () => {
    expect(destinationCluster({ name: 'demo' }, clusters, 'cart')).toBe('demo');
    expect(
      destinationCluster(
        { server: 'https://k8s.example.com', namespace: 'shop' },
        clusters,
        'cart',
      ),
    ).toBe('production');
  });

  it("maps Argo CD's own cluster to the cluster configured with the in-cluster URL", () => {
    expect(destinationCluster({ name: 'in-cluster' }, clusters, 'cart')).toBe(
      'home',
    );
  });

  it('refuses a destination that is no configured cluster', () => {
    expect(() =>
      destinationCluster({ name: 'staging' }, clusters, 'cart'),
    ).toThrow(
      "Argo CD application 'cart' deploys to cluster 'staging', which is not a configured Kubernetes cluster",
    );
    expect(() =>
      destinationCluster(
        { server: 'https://k8s.example.com:6443' },
        clusters,
        'cart',
      ),
    ).toThrow(
      "Argo CD application 'cart' deploys to https://k8s.example.com:6443, which is not the url of a cluster in kubernetes.clusterLocatorMethods",
    );
  });
});
