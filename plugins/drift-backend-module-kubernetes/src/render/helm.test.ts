import type { KubeObject } from '@driftwatch/plugin-drift-common';
import { component } from '../__testUtils__/fixtures';
import { checkValuesPresent, helmArgs, helmReleaseOf, isHelmHook } from './helm';

describe('helmReleaseOf', () => {
  it('defaults to the entity name, its Kubernetes namespace and the chart’s own values', () => {
    expect(helmReleaseOf(component('reviews-api', { 'backstage.io/kubernetes-namespace': 'reviews' }))).toEqual({
      release: 'reviews-api',
      namespace: 'reviews',
      values: [],
    });
    expect(helmReleaseOf(component('reviews-api')).namespace).toBe('default');
  });

  it('reads the release, namespace and values files, in order', () => {
    const entity = component('reviews', {
      'backstage.io/kubernetes-namespace': 'reviews',
      'driftwatch.io/helm-release': 'reviews-eu',
      'driftwatch.io/helm-namespace': 'reviews-eu',
      'driftwatch.io/helm-values': ' values.yaml, env/values-production.yaml ,',
    });
    const release = helmReleaseOf(entity);
    expect(release).toEqual({
      release: 'reviews-eu',
      namespace: 'reviews-eu',
      values: ['values.yaml', 'env/values-production.yaml'],
    });
    expect(helmArgs(release)).toEqual([
      'template',
      'reviews-eu',
      '.',
      '--namespace=reviews-eu',
      '--values=./values.yaml',
      '--values=./env/values-production.yaml',
    ]);
  });

  it.each(['../secrets/values.yaml', 'env/../../values.yaml', '/etc/passwd', 'C:\\values.yaml', '..'])(
    'refuses the values file %s',
    values => {
      expect(() => helmReleaseOf(component('a', { 'driftwatch.io/helm-values': values }))).toThrow(
        `driftwatch.io/helm-values names ${values}: values files are relative to the chart folder, without '..'`,
      );
    },
  );

  it('refuses release and namespace names helm could read as flags', () => {
    expect(() =>
      helmReleaseOf(component('a', { 'driftwatch.io/helm-release': '--post-renderer=/bin/sh' })),
    ).toThrow("the Helm release name '--post-renderer=/bin/sh' is not valid");
    expect(() =>
      helmReleaseOf(component('a', { 'driftwatch.io/helm-namespace': '-n' })),
    ).toThrow("the Helm namespace '-n' is not a valid namespace name");
  });

  it('names a values file the chart does not have', () => {
    const release = helmReleaseOf(component('a', { 'driftwatch.io/helm-values': 'values-prod.yaml' }));
    expect(() => checkValuesPresent(release, new Set(['Chart.yaml', 'values.yaml']))).toThrow(
      'driftwatch.io/helm-values names values-prod.yaml, which is not a file of the chart',
    );
  });
});

describe('isHelmHook', () => {
  it('tells hooks from release objects', () => {
    const object = (annotations?: Record<string, string>): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'a', ...(annotations ? { annotations } : {}) },
    });
    expect(isHelmHook(object({ 'helm.sh/hook': 'test' }))).toBe(true);
    expect(isHelmHook(object({ 'helm.sh/resource-policy': 'keep' }))).toBe(false);
    expect(isHelmHook(object())).toBe(false);
  });
});
