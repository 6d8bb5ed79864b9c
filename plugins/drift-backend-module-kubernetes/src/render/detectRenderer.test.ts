import { detectRenderer, kustomizationFileIn } from './detectRenderer';

describe('detectRenderer', () => {
  it('tells a kustomization, a chart and plain manifests apart by the files at the top', () => {
    expect(detectRenderer(['kustomization.yaml', 'deployment.yaml'])).toBe('kustomize');
    expect(detectRenderer(['kustomization.yml'])).toBe('kustomize');
    expect(detectRenderer(['Kustomization'])).toBe('kustomize');
    expect(detectRenderer(['Chart.yaml', 'values.yaml', 'templates/deployment.yaml'])).toBe('helm');
    expect(detectRenderer(['Chart.yaml', 'kustomization.yaml'])).toBe('kustomize');
    expect(detectRenderer(['deployment.yaml', 'service.yaml'])).toBeUndefined();
    // Only the top counts: a chart or kustomization deeper down is someone else's folder.
    expect(detectRenderer(['charts/redis/Chart.yaml', 'base/kustomization.yaml', 'a.yaml'])).toBeUndefined();
  });

  it('finds a folder’s kustomization file in a tree', () => {
    const paths = new Set(['base/kustomization.yml', 'overlays/prod/Kustomization', 'kustomization.yaml']);
    expect(kustomizationFileIn(paths, '')).toBe('kustomization.yaml');
    expect(kustomizationFileIn(paths, 'base')).toBe('base/kustomization.yml');
    expect(kustomizationFileIn(paths, 'overlays/prod')).toBe('overlays/prod/Kustomization');
    expect(kustomizationFileIn(paths, 'overlays')).toBeUndefined();
  });
});
