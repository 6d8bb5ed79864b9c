import { mockServices } from '@backstage/backend-test-utils';
import { startDemoModule } from './__testUtils__/demo';

describe('the demo', () => {
  it('scans every demo service inside its scope with the demo config', async () => {
    const { source, target, entities } = await startDemoModule();
    const logger = mockServices.logger.mock();
    const options = { logger, diffOptions: { secretHashKey: 'demo-key' } };

    const requests = [];
    const sourceErrors: Record<string, string> = {};
    for (const entity of entities) {
      const entityRef = `component:default/${entity.metadata.name}`;
      try {
        requests.push({
          entity,
          entityRef,
          desired: await source.readDesired(entity, options),
        });
      } catch (error) {
        sourceErrors[entityRef] = (error as Error).message;
      }
    }
    const results = await target.compare(requests, options);

    expect(entities).toHaveLength(11);
    // The chart that does not render: the scan makes its resources unknown, with this message.
    expect(sourceErrors).toEqual({
      'component:default/loyalty-api': expect.stringContaining(
        'component:default/loyalty-api: cannot render file:../gitops/loyalty-api/chart with helm: helm failed (exit code 1): ' +
          'Error: execution error at (loyalty-api/templates/deployment.yaml:22:52): image.tag must be set for each environment',
      ),
    });
    for (const result of results) {
      expect(result.errors).toEqual([]);
      expect(
        result.resources.filter(r => r.error || r.diff.status === 'unknown'),
      ).toEqual([]);
    }
    const rendered = results
      .filter(r => /reviews-api|inventory-service/.test(r.entityRef))
      .flatMap(r => r.resources);
    expect(rendered).toHaveLength(8);
    expect(rendered.every(r => r.source?.rendered === true)).toBe(true);
    // The youngest export, as examples/README.md tells it.
    const notInSync = results.flatMap(result =>
      result.resources
        .filter(r => r.diff.status !== 'in-sync')
        .map(r => `${r.diff.key} ${r.diff.status}`),
    );
    expect(notInSync.sort()).toEqual([
      'Deployment:booking:booking-api drifted',
      'Deployment:inventory:inventory-service drifted',
      'Deployment:matching:matching-engine drifted',
      'Deployment:payments:payments-api drifted',
      'Deployment:reviews:reviews-api drifted',
      'Deployment:shop:shop-cart drifted',
      // shop-cart in staging too (demo-staging): a feature flag switched on by hand.
      'Deployment:shop:shop-cart drifted',
      'NetworkPolicy:users:user-profile missing',
      'Secret:payments:payments-db drifted',
      'Service:users:user-profile-debug extra',
    ]);
    // Only shop-cart has a staging environment; every other service is compared in production.
    const staging = results.flatMap(result =>
      result.resources.filter(r => r.location === 'demo-staging'),
    );
    expect(staging.length).toBeGreaterThan(0);
    expect(
      staging.every(
        r => r.environment === 'staging' && r.diff.namespace === 'shop',
      ),
    ).toBe(true);
    const flag = staging.find(r => r.diff.status === 'drifted')!;
    expect(flag.diff.changes.map(c => c.field)).toEqual([
      'spec.template.spec.containers[name=cart].env[name=CHECKOUT_V2_ENABLED]',
    ]);
  });
});
