import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  connectionRefusal,
  isInClusterApi,
  readKubernetesClusters,
  type KubernetesClusterDetails,
} from './readClusterConfig';

describe('readKubernetesClusters', () => {
  it('reads config clusters and the local kubectl proxy, skipping what needs a user', () => {
    const logger = mockServices.logger.mock();
    const config = new ConfigReader({
      kubernetes: {
        serviceLocatorMethod: { type: 'multiTenant' },
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'production',
                url: 'https://k8s.example.com:6443',
                authProvider: 'serviceAccount',
                serviceAccountToken: 'token',
                caData: 'Q0E=',
              },
              { name: 'in-cluster', url: 'https://kubernetes.default.svc' },
              {
                name: 'eks',
                url: 'https://eks.example.com',
                authProvider: 'aws',
              },
              {
                name: 'dev',
                url: 'https://dev.example.com',
                caFile: '/ca.pem',
                skipTLSVerify: true,
              },
            ],
          },
          { type: 'localKubectlProxy' },
          { type: 'gke', projectId: 'p' },
        ],
      },
    });

    expect(readKubernetesClusters(config, logger)).toEqual([
      {
        name: 'production',
        url: 'https://k8s.example.com:6443',
        auth: { type: 'serviceAccount', token: 'token' },
        caData: 'Q0E=',
        caFile: undefined,
        skipTLSVerify: false,
      },
      {
        name: 'in-cluster',
        url: 'https://kubernetes.default.svc',
        auth: { type: 'serviceAccount', token: undefined },
        caData: undefined,
        caFile: undefined,
        skipTLSVerify: false,
      },
      {
        name: 'dev',
        url: 'https://dev.example.com',
        auth: { type: 'serviceAccount', token: undefined },
        caData: undefined,
        caFile: '/ca.pem',
        skipTLSVerify: true,
      },
      {
        name: 'local',
        url: 'http://localhost:8001',
        auth: { type: 'none' },
        skipTLSVerify: false,
      },
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining("authProvider 'aws'"),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining("'gke' cluster locator"),
    );
  });

  it('reads nothing without a kubernetes section', () => {
    expect(
      readKubernetesClusters(new ConfigReader({}), mockServices.logger.mock()),
    ).toEqual([]);
  });
});

describe('connectionRefusal', () => {
  const cluster = (
    url: string,
    auth: KubernetesClusterDetails['auth'] = {
      type: 'serviceAccount',
      token: 't',
    },
  ): KubernetesClusterDetails => ({
    name: 'prod',
    url,
    auth,
    skipTLSVerify: false,
  });

  it('refuses plain http unless the cluster is allowed it, or is kubectl proxy on this host', () => {
    expect(connectionRefusal(cluster('http://k8s.example.com'), [])).toBe(
      "Cluster 'prod' is not read: its URL is plain http; use https, or list the cluster in drift.kubernetes.allowInsecureHttp",
    );
    expect(connectionRefusal(cluster('http://127.0.0.1:6443'), [])).toMatch(
      /plain http/,
    );
    expect(
      connectionRefusal(
        cluster('http://kubectl-proxy:8001', { type: 'none' }),
        [],
      ),
    ).toMatch(/plain http/);
    expect(
      connectionRefusal(cluster('http://k8s.example.com'), ['prod']),
    ).toBeUndefined();
    expect(
      connectionRefusal(cluster('http://localhost:8001', { type: 'none' }), []),
    ).toBeUndefined();
    expect(
      connectionRefusal(cluster('https://k8s.example.com'), []),
    ).toBeUndefined();
  });

  it("sends the pod's own token only to the in-cluster API", () => {
    const podToken = { type: 'serviceAccount' as const };
    const env = {
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
    };

    expect(
      connectionRefusal(cluster('https://k8s.example.com', podToken), [], env),
    ).toBe(
      "Cluster 'prod' is not read: it has no serviceAccountToken, and the pod's own service account token is only sent to the in-cluster API (https://kubernetes.default.svc)",
    );
    for (const url of [
      'https://kubernetes.default.svc',
      'https://kubernetes.default.svc.cluster.local:443/',
      'https://10.96.0.1',
    ]) {
      expect(
        connectionRefusal(cluster(url, podToken), [], env),
      ).toBeUndefined();
    }
  });
});

describe('isInClusterApi', () => {
  it('knows the in-cluster service name and the address the kubelet gives the pod', () => {
    const env = {
      KUBERNETES_SERVICE_HOST: 'fd00::1',
      KUBERNETES_SERVICE_PORT: '6443',
    };

    expect(isInClusterApi('https://kubernetes.default.svc', {})).toBe(true);
    expect(isInClusterApi('https://[fd00::1]:6443', env)).toBe(true);
    expect(isInClusterApi('https://[fd00::1]', env)).toBe(false);
    expect(isInClusterApi('http://kubernetes.default.svc', {})).toBe(false);
    expect(isInClusterApi('https://kubernetes.default.svc:8443', {})).toBe(
      false,
    );
    expect(
      isInClusterApi('https://kubernetes.default.svc.evil.example', {}),
    ).toBe(false);
  });
});
