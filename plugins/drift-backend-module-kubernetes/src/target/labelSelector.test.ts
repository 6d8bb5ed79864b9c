import {
  matchesLabelSelector,
  parseLabelSelector,
  pinnedLabels,
} from './labelSelector';

describe('label selectors', () => {
  const labels = {
    app: 'cart',
    tier: 'web',
    'backstage.io/kubernetes-id': 'cart',
  };

  it.each([
    ['app=cart', true],
    ['app==cart', true],
    ['app!=cart', false],
    ['app in (cart, profile)', true],
    ['app notin (cart)', false],
    ['missing notin (x)', true],
    ['missing!=x', true],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['app=cart,tier in (web,api),!canary', true],
    ['backstage.io/kubernetes-id in (booking,cart)', true],
    ['app=cart,tier=worker', false],
    ['', true],
    ['app=', false],
  ])('%s matches: %s', (selector, expected) => {
    expect(matchesLabelSelector(parseLabelSelector(selector), labels)).toBe(
      expected,
    );
  });

  it.each([
    'app in (a',
    'in (a)',
    'app=cart,',
    'app=c a',
    'Bad Key=x',
    'app=~cart',
  ])('rejects %j', selector => {
    expect(() => parseLabelSelector(selector)).toThrow(
      /Invalid label selector/,
    );
  });

  it('keeps empty values where the API server does', () => {
    expect(parseLabelSelector('app in (cart,)').requirements).toEqual([
      { key: 'app', operator: 'in', values: ['cart', ''] },
    ]);
  });

  it('pins the labels a selector fixes to one value', () => {
    expect(
      pinnedLabels(
        parseLabelSelector('app=cart,tier in (web),env in (a,b),!x'),
      ),
    ).toEqual({
      app: 'cart',
      tier: 'web',
    });
  });
});
