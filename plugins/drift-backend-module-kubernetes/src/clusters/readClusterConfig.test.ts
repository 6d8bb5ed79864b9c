import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readKubernetesClusters } from './readClusterConfig';

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
