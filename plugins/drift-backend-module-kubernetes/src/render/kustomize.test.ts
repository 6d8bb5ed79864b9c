import { kustomizeArgs, planKustomization } from './kustomize';

const file = (p: string, text = '') => ({ path: p, content: Buffer.from(text) });

describe('planKustomization', () => {
  const tree = [
    file('base/kustomization.yaml', 'resources: [deployment.yaml, ../components/metrics]\n'),
    file('base/deployment.yaml'),
    file('components/metrics/kustomization.yaml', 'kind: Component\n'),
    file('overlays/production/kustomization.yaml', 'resources:\n  - ../../base\n'),
  ];

  it('follows local bases and needs nothing more when they are in the tree', () => {
    expect(planKustomization(tree, 'overlays/production')).toEqual({ ascend: 0 });
  });

  it('measures how far above the fetched tree local bases lie', () => {
    const overlayOnly = [file('kustomization.yaml', 'resources:\n  - ../../base\n')];
    expect(planKustomization(overlayOnly, '')).toEqual({ ascend: 2 });
    // The base, fetched, refers one folder further up.
    const withBase = [
      file('overlays/production/kustomization.yaml', 'resources: [../../base]\n'),
      file('base/kustomization.yaml', 'components: [../../shared/metrics]\n'),
    ];
    expect(planKustomization(withBase, 'overlays/production')).toEqual({ ascend: 1 });
  });

  it.each([
    'https://github.com/acme/platform//base?ref=v1.2.0',
    'github.com/acme/platform/base?ref=main',
    'git@github.com:acme/platform.git//base',
    'ssh://git@gitlab.example.com/acme/platform.git',
    'git::https://gitlab.example.com/acme/platform.git',
  ])('refuses the remote base %s before kustomize runs', remote => {
    const remoteTree = [file('kustomization.yaml', `resources:\n  - deployment.yaml\n  - ${remote}\n`), file('deployment.yaml')];
    expect(() => planKustomization(remoteTree, '')).toThrow(
      `kustomization.yaml refers to the remote base ${remote}: remote bases are not fetched`,
    );
  });

  it('refuses a remote base in a kustomization it reaches, not only the first', () => {
    const nested = [
      file('overlays/staging/kustomization.yaml', 'resources: [../../base]\n'),
      file('base/kustomization.yaml', 'bases: [github.com/acme/platform/base]\n'),
    ];
    expect(() => planKustomization(nested, 'overlays/staging')).toThrow(
      'base/kustomization.yaml refers to the remote base github.com/acme/platform/base',
    );
  });

  it('leaves malformed kustomizations and missing local files to kustomize', () => {
    expect(planKustomization([file('kustomization.yaml', 'resources: [oops\n')], '')).toEqual({ ascend: 0 });
    expect(planKustomization([file('kustomization.yaml', 'resources: [missing.yaml]\n')], '')).toEqual({
      ascend: 0,
    });
  });

  it('builds with files restricted to each kustomization root', () => {
    expect(kustomizeArgs('overlays/production')).toEqual([
      'build',
      'overlays/production',
      '--load-restrictor',
      'LoadRestrictionsRootOnly',
    ]);
  });
});
