import { diffObject } from '../compare/diff';
import type { KubeObject } from '../types';
import { parseIgnoreRules } from './rules';
import { parsePointer, pointerCovers } from './pointer';

function deployment(
  replicas: number,
  annotations?: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop',
      ...(annotations ? { annotations } : {}),
    },
    spec: {
      replicas,
      template: { spec: { containers: [{ name: 'web', image: 'web:1' }] } },
    },
  } as KubeObject;
}

function scaledBy(manager: string): KubeObject {
  const live = deployment(7);
  live.metadata.managedFields = [
    {
      manager: 'argocd-controller',
      operation: 'Apply',
      time: '2025-01-01T00:00:00Z',
      fieldsV1: { 'f:spec': { 'f:template': {} } },
    },
    {
      manager,
      operation: 'Update',
      subresource: 'scale',
      time: '2025-02-01T00:00:00Z',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    },
  ];
  return live;
}

describe('JSON Pointers', () => {
  it('unescapes ~1 and ~0', () => {
    expect(parsePointer('/metadata/annotations/example.com~1a~0b')).toEqual([
      'metadata',
      'annotations',
      'example.com/a~b',
    ]);
  });

  it('covers the path itself, everything below it, and * segments', () => {
    expect(pointerCovers(['spec', 'replicas'], ['spec', 'replicas'])).toBe(
      true,
    );
    expect(pointerCovers(['spec'], ['spec', 'replicas'])).toBe(true);
    expect(
      pointerCovers(
        ['spec', 'template', 'spec', 'containers', '*', 'image'],
        ['spec', 'template', 'spec', 'containers', '3', 'image'],
      ),
    ).toBe(true);
    expect(pointerCovers(['spec', 'replicas'], ['spec'])).toBe(false);
  });

  it('rejects text that is not a pointer', () => {
    expect(() => parsePointer('spec/replicas')).toThrow(/not a JSON Pointer/);
  });
});

describe('ignore rules', () => {
  it('ignores paths for the selected objects only', () => {
    const rules = [
      { paths: ['/spec/replicas'], kind: 'Deployment', name: 'web' },
    ];
    const diff = diffObject(deployment(2), deployment(5), { ignore: rules });
    expect(diff).toMatchObject({ status: 'in-sync', ignoredChanges: 1 });
    expect(
      diffObject(deployment(2), deployment(5), {
        ignore: [{ ...rules[0], name: 'other' }],
      }).status,
    ).toBe('drifted');
    expect(
      diffObject(deployment(2), deployment(5), {
        ignore: [{ ...rules[0], namespace: 'prod' }],
      }).status,
    ).toBe('drifted');
  });

  it('trusts field managers for the live values they own', () => {
    const ignore = [{ managers: ['kube-controller-manager'] }];
    expect(
      diffObject(deployment(3), scaledBy('kube-controller-manager'), { ignore })
        .status,
    ).toBe('in-sync');
    const diff = diffObject(deployment(3), scaledBy('kubectl-scale'), {
      ignore,
    });
    expect(diff.status).toBe('drifted');
    expect(diff.changes[0]).toMatchObject({
      manager: 'kubectl-scale',
      time: '2025-02-01T00:00:00Z',
      category: 'Scaling',
    });
  });

  it('reads driftwatch.io/ignore-paths from the object, comma-separated', () => {
    const desired = deployment(2, {
      'driftwatch.io/ignore-paths':
        '/spec/replicas, /metadata/annotations/example.com~1status',
    });
    const live = deployment(5, {
      'example.com/status': 'ok',
      'driftwatch.io/ignore-paths':
        '/spec/replicas, /metadata/annotations/example.com~1status',
    });
    expect(diffObject(desired, live).status).toBe('in-sync');
  });

  it('skips objects with driftwatch.io/compare: disabled', () => {
    const desired = deployment(2, { 'driftwatch.io/compare': 'disabled' });
    expect(diffObject(desired, deployment(9))).toMatchObject({
      status: 'in-sync',
      comparison: 'disabled',
    });
  });

  it('parses the ignore file format', () => {
    expect(
      parseIgnoreRules(`ignore:
  - paths: ["/spec/replicas"]
    kind: Deployment
    name: web
  - managers: [kube-controller-manager]
`),
    ).toEqual([
      { paths: ['/spec/replicas'], kind: 'Deployment', name: 'web' },
      { managers: ['kube-controller-manager'] },
    ]);
    expect(parseIgnoreRules('')).toEqual([]);
    expect(() =>
      parseIgnoreRules('ignore:\n  - kind: Deployment\n', 'ignore.yaml'),
    ).toThrow('ignore.yaml: document 1: rule 1: needs "paths" or "managers"');
    expect(() =>
      parseIgnoreRules('ignore:\n  - paths: [spec/replicas]\n', 'ignore.yaml'),
    ).toThrow(/rule 1: .*not a JSON Pointer/);
    expect(() => parseIgnoreRules('ignore: [\n', 'ignore.yaml')).toThrow(
      /^ignore\.yaml: document 1: invalid YAML/,
    );
  });
});
