import { InputError } from '@backstage/errors';
import {
  DRIFT_IGNORE_PATHS_ANNOTATION,
  type KubeObject,
} from '@driftwatch/plugin-drift-common';

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Argo CD masks every value of a core Secret in the manifests it serves (`++++++++`), so their
 * values cannot be compared: the masks are dropped and the Secret's data is left out of the
 * comparison; its type, labels and annotations still are compared.
 */
function withoutMaskedValues(object: KubeObject): KubeObject {
  if (object.apiVersion !== 'v1' || object.kind !== 'Secret') return object;
  const { data: _data, stringData: _stringData, ...rest } = object;
  const annotations = isObject(object.metadata.annotations)
    ? object.metadata.annotations
    : {};
  return {
    ...rest,
    metadata: {
      ...object.metadata,
      annotations: {
        ...annotations,
        [DRIFT_IGNORE_PATHS_ANNOTATION]: '/data,/stringData',
      },
    },
  } as KubeObject;
}

/**
 * The Kubernetes objects of Argo CD's rendered manifests. A namespaced object without a
 * namespace goes to the destination namespace, as Argo CD applies it; the Kubernetes target
 * drops the namespace again for kinds the cluster serves cluster-wide.
 */
export function objectsOfManifests(
  manifests: string[],
  destinationNamespace: string | undefined,
  where: string,
): KubeObject[] {
  return manifests.map((text, index) => {
    let object: unknown;
    try {
      object = JSON.parse(text);
    } catch {
      // The text may hold values; the message must not quote it.
      throw new InputError(`${where}: manifest ${index + 1} is not JSON`);
    }
    if (
      !isObject(object) ||
      typeof object.apiVersion !== 'string' ||
      typeof object.kind !== 'string' ||
      !isObject(object.metadata) ||
      typeof object.metadata.name !== 'string'
    ) {
      throw new InputError(
        `${where}: manifest ${index + 1} is not a Kubernetes object`,
      );
    }
    const kube = object as KubeObject;
    const placed =
      destinationNamespace && !kube.metadata.namespace
        ? {
            ...kube,
            metadata: { ...kube.metadata, namespace: destinationNamespace },
          }
        : kube;
    return withoutMaskedValues(placed);
  });
}
