import { parseLabelSelector } from './labelSelector';
import { ListPlan, combinedSelector } from './ListPlan';
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

describe('combinedSelector', () => {
  it('combines ids into one set-based selector', () => {
    expect(combinedSelector([id('cart')])).toBe(
      'backstage.io/kubernetes-id=cart',
    );
    expect(combinedSelector([id('search'), id('cart'), id('cart')])).toBe(
      'backstage.io/kubernetes-id in (cart,search)',
    );
  });

  it('asks for every labelled object when the id set would make a very long URL', () => {
    const many = Array.from({ length: 400 }, (_, i) =>
      id(`service-number-${i}`),
    );
    expect(combinedSelector(many)).toBe('backstage.io/kubernetes-id');
  });

  it('keeps a custom selector that all members share, and lists unfiltered otherwise', () => {
    expect(combinedSelector([labels('app=cart'), labels('app=cart')])).toBe(
      'app=cart',
    );
    expect(
      combinedSelector([labels('app=cart'), labels('app=search')]),
    ).toBeUndefined();
    expect(
      combinedSelector([id('cart'), labels('app=search')]),
    ).toBeUndefined();
    expect(combinedSelector([id('cart'), { type: 'none' }])).toBeUndefined();
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

  it('lists without a selector when a member needs an object Git does not label', () => {
    const plan = new ListPlan();
    plan.need(0, deployments, 'shop', 'desired');
    plan.need(1, deployments, 'shop', 'desired', true);

    expect(
      plan.requests([id('cart'), id('search')])[0].request.labelSelector,
    ).toBeUndefined();
  });
});
