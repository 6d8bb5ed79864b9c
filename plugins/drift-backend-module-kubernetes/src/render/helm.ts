import path from 'node:path';
import type { Entity } from '@backstage/catalog-model';
import {
  DRIFT_HELM_NAMESPACE_ANNOTATION,
  DRIFT_HELM_RELEASE_ANNOTATION,
  DRIFT_HELM_VALUES_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  type KubeObject,
} from '@driftwatch/plugin-drift-common';
import { RenderError } from './runTool';

/** How an entity's chart is rendered: `helm template <release> . --namespace <ns> -f ...`. */
export interface HelmRelease {
  release: string;
  namespace: string;
  /** Values files relative to the chart folder, in the order Helm merges them. */
  values: string[];
}

// Helm's own rule for release names, and Kubernetes' for namespaces. Checked here too because
// they are arguments: a value starting with `-` must never reach helm as a flag.
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A values file must be a file of the fetched chart: relative, inside it. */
function checkValuesFile(file: string): string {
  const normalized = path.posix.normalize(file);
  if (
    path.posix.isAbsolute(file) ||
    path.win32.isAbsolute(file) ||
    file.includes('\\') ||
    file.includes('\0') ||
    normalized.split('/').includes('..')
  ) {
    throw new RenderError(
      `${DRIFT_HELM_VALUES_ANNOTATION} names ${file}: values files are relative to the chart folder, without '..'`,
    );
  }
  return normalized;
}

/**
 * The release an entity's chart renders as: `driftwatch.io/helm-release` (else the entity's
 * name), `driftwatch.io/helm-namespace` (else `backstage.io/kubernetes-namespace`, else
 * `default`) and the values files of `driftwatch.io/helm-values`, comma separated.
 */
export function helmReleaseOf(entity: Entity): HelmRelease {
  const annotations = entity.metadata.annotations ?? {};
  const release = annotations[DRIFT_HELM_RELEASE_ANNOTATION]?.trim() || entity.metadata.name;
  const namespace =
    annotations[DRIFT_HELM_NAMESPACE_ANNOTATION]?.trim() ||
    annotations[KUBERNETES_NAMESPACE_ANNOTATION]?.trim() ||
    'default';
  if (release.length > 53 || !RELEASE_NAME.test(release)) {
    throw new RenderError(
      `the Helm release name '${release}' is not valid (lowercase letters, digits, '-' and '.', at most 53 characters); set ${DRIFT_HELM_RELEASE_ANNOTATION}`,
    );
  }
  if (namespace.length > 63 || !NAMESPACE_NAME.test(namespace)) {
    throw new RenderError(`the Helm namespace '${namespace}' is not a valid namespace name`);
  }
  const values = (annotations[DRIFT_HELM_VALUES_ANNOTATION] ?? '')
    .split(',')
    .map(file => file.trim())
    .filter(Boolean)
    .map(checkValuesFile);
  return { release, namespace, values };
}

/** Checks that each values file is in the fetched chart, so a typo is named as such. */
export function checkValuesPresent(release: HelmRelease, chartFiles: ReadonlySet<string>) {
  for (const file of release.values) {
    if (!chartFiles.has(file)) {
      throw new RenderError(
        `${DRIFT_HELM_VALUES_ANNOTATION} names ${file}, which is not a file of the chart`,
      );
    }
  }
}

/**
 * `helm template` of the chart in the working directory. No `--dependency-update`: chart
 * dependencies come only from the chart's own `charts/` folder, and a missing one is helm's
 * error. Values paths start with `./` so none can read as a flag.
 */
export function helmArgs({ release, namespace, values }: HelmRelease): string[] {
  return [
    'template',
    release,
    '.',
    `--namespace=${namespace}`,
    ...values.map(file => `--values=./${file}`),
  ];
}

/**
 * Hooks (`helm.sh/hook`: install jobs, tests) run around a release and are then deleted or left
 * to finish; like Argo CD, they are not part of the state a release keeps in sync.
 */
export function isHelmHook(object: KubeObject): boolean {
  const annotations = object.metadata.annotations;
  return typeof annotations === 'object' && annotations !== null && 'helm.sh/hook' in annotations;
}
