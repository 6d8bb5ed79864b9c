import type { RenderTool } from './runTool';

/** The names kustomize looks for in a folder, in its own order. */
export const KUSTOMIZATION_FILES = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];

/** The file that makes a folder a Helm chart. */
export const HELM_CHART_FILE = 'Chart.yaml';

/**
 * How a folder location becomes objects, from the files at its top (`paths` are relative to
 * it): `kustomize` with a kustomization file, `helm` with a `Chart.yaml`, and plain manifests
 * (undefined) otherwise. A kustomization wins over a chart beside it, as it would name the
 * chart itself to inflate it.
 */
export function detectRenderer(paths: Iterable<string>): RenderTool | undefined {
  const top = new Set([...paths].filter(p => !p.includes('/')));
  if (KUSTOMIZATION_FILES.some(name => top.has(name))) return 'kustomize';
  if (top.has(HELM_CHART_FILE)) return 'helm';
  return undefined;
}

/** The kustomization file of a folder in a tree (`dir` relative, '' for the top), if any. */
export function kustomizationFileIn(
  paths: ReadonlySet<string>,
  dir: string,
): string | undefined {
  return KUSTOMIZATION_FILES.map(name => (dir ? `${dir}/${name}` : name)).find(
    file => paths.has(file),
  );
}
