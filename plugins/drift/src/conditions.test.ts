import { isDriftAvailable } from './conditions';

const withAnnotations = (annotations?: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'x', annotations },
});

describe('isDriftAvailable', () => {
  it.each([
    [{ 'driftwatch.io/source': 'file:./k8s' }, true],
    [{ 'driftwatch.io/terraform-plan': 'url:https://ci/plan.json' }, true],
    [{ 'backstage.io/kubernetes-id': 'x' }, false],
    [undefined, false],
  ])('%j -> %s', (annotations, expected) => {
    expect(isDriftAvailable(withAnnotations(annotations))).toBe(expected);
  });
});
