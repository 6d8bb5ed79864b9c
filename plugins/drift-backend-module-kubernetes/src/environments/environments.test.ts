import { mockServices } from '@backstage/backend-test-utils';
import type { TargetRequest } from '@driftwatch/plugin-drift-node';
import { ApiCluster } from '../clusters/ApiCluster';
import { FakeKubeApiServer } from '../__testUtils__/FakeKubeApiServer';
import {
  appLabels,
  component,
  configMap,
  deployment,
  linkedComponent,
  live,
  request,
  secret,
  service,
} from '../__testUtils__/fixtures';
import { KubernetesLiveTarget } from '../target/KubernetesLiveTarget';
import { Environments } from './Environments';

const TOKEN = 'sa-token-for-drift';
const options = { logger: mockServices.logger.mock() };
const KINDS = [
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'v1', kind: 'Service' },
];

function apiCluster(name: string, url: string) {
  return new ApiCluster(
    { name, url, auth: { type: 'serviceAccount', token: TOKEN }, skipTLSVerify: false },
    { pageSize: 500, concurrency: 4, requestTimeoutMs: 5000 },
  );
}

const located = (resources: Array<{ location: string; environment?: string; diff: { key: string; status: string } }>) =>
  resources.map(r => [r.location, r.environment, r.diff.key, r.diff.status]);

describe('environments', () => {
  let prod: FakeKubeApiServer;
  let staging: FakeKubeApiServer;
  let target: KubernetesLiveTarget;

  beforeEach(async () => {
    prod = await FakeKubeApiServer.start({ token: TOKEN });
    staging = await FakeKubeApiServer.start({ token: TOKEN });
    target = new KubernetesLiveTarget({
      clusters: [apiCluster('prod-eu', prod.url), apiCluster('staging-eu', staging.url)],
      extraKinds: KINDS,
      environments: new Environments([
        { name: 'production', clusters: ['prod-eu'] },
        { name: 'staging', clusters: ['staging-eu'], tier: 3 },
      ]),
    });
  });

  afterEach(async () => {
    await Promise.all([prod.stop(), staging.stop()]);
  });

  it('compares an entity of one environment only in its clusters', async () => {
    const desired = [deployment('cart', 'shop'), service('cart', 'shop')];
    prod.add(live(desired[0], d => (d.spec.replicas = 7)), live(desired[1]));
    const entity = linkedComponent('cart', 'shop');
    entity.metadata.annotations!['driftwatch.io/environment'] = 'production';

    const [result] = await target.compare([request(entity, desired)], options);

    expect(result.errors).toEqual([]);
    expect(located(result.resources)).toEqual([
      ['prod-eu', 'production', 'Deployment:shop:cart', 'drifted'],
      ['prod-eu', 'production', 'Service:shop:cart', 'in-sync'],
    ]);
    expect(result.resources.some(r => r.location === 'staging-eu')).toBe(false);
    expect(staging.lists).toEqual([]);
  });

  it("compares each environment's desired state only in that environment's clusters", async () => {
    const prodDesired = deployment('cart', 'shop', { replicas: 4 });
    const stagingDesired = deployment('cart', 'shop', { replicas: 3 });
    prod.add(live(prodDesired));
    staging.add(live(stagingDesired, d => (d.spec.replicas = 2)));
    const entity = linkedComponent('cart', 'shop');
    const byEnvironment: TargetRequest = {
      entity,
      entityRef: 'component:default/cart',
      desired: [
        { ...request(entity, [prodDesired]).desired[0], environment: 'production' },
        { ...request(entity, [stagingDesired]).desired[0], environment: 'staging' },
      ],
    };

    const [result] = await target.compare([byEnvironment], options);

    expect(result.errors).toEqual([]);
    expect(located(result.resources)).toEqual([
      ['prod-eu', 'production', 'Deployment:shop:cart', 'in-sync'],
      ['staging-eu', 'staging', 'Deployment:shop:cart', 'drifted'],
    ]);
    const drifted = result.resources.find(r => r.location === 'staging-eu')!;
    expect(drifted.diff.changes).toEqual([expect.objectContaining({ path: '/spec/replicas', desired: 3, live: 2 })]);
  });

  it('without a mapping, compares an entity only where some of its objects run', async () => {
    const desired = [deployment('cart', 'shop'), configMap('cart-config', 'shop', appLabels('cart'))];
    prod.add(live(desired[0]));

    const [result] = await target.compare([request(linkedComponent('cart', 'shop'), desired)], options);

    expect(result.errors).toEqual([]);
    // Some of its objects run in prod-eu, so the absent ConfigMap is missing there; nothing of it
    // runs in staging-eu, which is therefore not reported at all.
    expect(located(result.resources)).toEqual([
      ['prod-eu', 'production', 'Deployment:shop:cart', 'in-sync'],
      ['prod-eu', 'production', 'ConfigMap:shop:cart-config', 'missing'],
    ]);
    expect(staging.lists.length).toBeGreaterThan(0);
  });

  it('reports an environment that is not configured instead of comparing anywhere', async () => {
    const entity = linkedComponent('cart', 'shop');
    const misplaced = request(entity, [deployment('cart', 'shop')]);
    misplaced.desired[0].environment = 'qa';

    const [result] = await target.compare([misplaced], options);

    expect(result.resources).toEqual([]);
    expect(result.errors).toEqual([
      {
        location: '*',
        message:
          "component:default/cart: url:https://git.example.com/deploy/tree/main/cart is for environment 'qa', " +
          'which drift.environments does not configure',
      },
    ]);
  });

  it('keeps the normalized objects of compared resources, never of Secrets', async () => {
    const desired = [deployment('cart', 'shop'), secret('cart-secret', 'shop', appLabels('cart'), { password: 'aHVudGVyMg==' })];
    prod.add(live(desired[0], d => (d.spec.replicas = 9)), live(desired[1]));
    const entity = linkedComponent('cart', 'shop');
    entity.metadata.annotations!['driftwatch.io/environment'] = 'production';

    const [result] = await target.compare([request(entity, desired)], options);

    const byKind = new Map(result.resources.map(r => [r.diff.kind, r]));
    const { desired: desiredJson, live: liveJson } = byKind.get('Deployment')!.objects!;
    expect(JSON.parse(desiredJson!)).toMatchObject({ spec: { replicas: 2 } });
    expect(JSON.parse(liveJson!)).toMatchObject({ spec: { replicas: 9 } });
    expect(JSON.parse(liveJson!).metadata).not.toHaveProperty('managedFields');
    expect(byKind.get('Secret')).toBeDefined();
    expect(byKind.get('Secret')!.objects).toBeUndefined();
    expect(JSON.stringify(result)).not.toContain('aHVudGVyMg==');
  });

  it('compares an unmapped entity everywhere when there is one cluster', async () => {
    const single = new KubernetesLiveTarget({ clusters: [apiCluster('prod-eu', prod.url)], extraKinds: KINDS });

    const [result] = await single.compare([request(component('cart', { 'backstage.io/kubernetes-id': 'cart', 'backstage.io/kubernetes-namespace': 'shop' }), [deployment('cart', 'shop')])], options);

    expect(located(result.resources)).toEqual([['prod-eu', undefined, 'Deployment:shop:cart', 'missing']]);
  });
});
