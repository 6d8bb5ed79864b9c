import { parseLabelSelector } from './labelSelector';
import { ListPlan, selectorsFor } from './ListPlan';
import type { EntitySelection } from './entityScope';

const id = (value: string): EntitySelection => ({ type: 'id', id: value });
const labels = (selector: string): EntitySelection => ({
  type: 'labels',
  selector,
  parsed: parseLabelSelector(selector),
});
const deployments = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  group: 'apps',
  plural: 'deployments',
  namespaced: true,
};

describe('selectorsFor', () => {
  it('combines ids into one set-based selector', () => {
    expect(selectorsFor([id('cart')])).toEqual([
      'backstage.io/kubernetes-id=cart',
    ]);
    expect(selectorsFor([id('search'), id('cart'), id('cart')])).toEqual([
      'backstage.io/kubernetes-id in (cart,search)',
    ]);
  });

  it('splits a long id set over several selectors instead of widening it', () => {
    const many = Array.from({ length: 400 }, (_, i) =>
      id(`service-number-${i}`),
    );

    const selectors = selectorsFor(many);

    expect(selectors.length).toBeGreaterThan(1);
    for (const selector of selectors) {
      expect(selector.length).toBeLessThanOrEqual(4000);
      expect(selector).toMatch(/^backstage\.io\/kubernetes-id in \(.+\)$/);
    }
    expect(
      selectors.flatMap(s => /\((.*)\)/.exec(s)![1].split(',')).length,
    ).toBe(400);
  });

  it('sends each custom selector as it is, never a LIST without one', () => {
    expect(selectorsFor([labels('app=cart'), labels('app=cart')])).toEqual([
      'app=cart',
    ]);
    expect(
      selectorsFor([labels('app=search'), labels('app=cart'), id('cart')]),
    ).toEqual(['backstage.io/kubernetes-id=cart', 'app=cart', 'app=search']);
    expect(selectorsFor([{ type: 'none' }])).toEqual([]);
  });
});

describe('ListPlan', () => {
  it('shares one list per kind and namespace, and lets extras join a list of another version', () => {
    const plan = new ListPlan();
    plan.need(0, deployments, 'shop', 'desired');
    plan.need(1, deployments, 'shop', 'desired');
    plan.needExtra(1, deployments, 'shop');
    const hpaV1 = {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      group: 'autoscaling',
      namespaced: true,
    };
    const hpaV2 = { ...hpaV1, apiVersion: 'autoscaling/v2' };
    plan.need(0, hpaV1, 'shop', 'desired');
    plan.needExtra(1, hpaV2, 'shop');

    const requests = plan.requests([id('cart'), id('search')]);

    expect(
      requests.map(r => [
        r.request.kind.apiVersion,
        r.request.namespace,
        r.request.labelSelector,
      ]),
    ).toEqual([
      ['apps/v1', 'shop', 'backstage.io/kubernetes-id in (cart,search)'],
      ['autoscaling/v1', 'shop', 'backstage.io/kubernetes-id in (cart,search)'],
    ]);
    expect([...plan.needsOf(1)]).toEqual([
      ['apps/v1|Deployment|shop', 'desired'],
      ['autoscaling/v1|HorizontalPodAutoscaler|shop', 'extra'],
    ]);
  });

  it('reads Secrets as metadata, and the values of each Secret Git declares apart', () => {
    const secrets = {
      apiVersion: 'v1',
      kind: 'Secret',
      group: '',
      plural: 'secrets',
      namespaced: true,
    };
    const plan = new ListPlan();
    plan.need(0, secrets, 'shop', 'desired', 'cart-db');
    plan.needExtra(1, secrets, 'shop');

    expect(
      plan.requests([id('cart'), id('search')]).map(r => r.request),
    ).toEqual([
      {
        kind: secrets,
        namespace: 'shop',
        labelSelector: 'backstage.io/kubernetes-id=cart',
        fieldSelector: 'metadata.name=cart-db',
      },
      {
        kind: secrets,
        namespace: 'shop',
        labelSelector: 'backstage.io/kubernetes-id in (cart,search)',
        fieldSelector:
          'type!=kubernetes.io/service-account-token,type!=helm.sh/release.v1',
        metadataOnly: true,
      },
    ]);
  });
});
