import { InputError } from '@backstage/errors';
import {
  identityOf,
  indexManifests,
  resourceKey,
  type JsonObject,
  type KubeObject,
  type ParsedManifest,
  type ResourceDiff,
} from '@driftwatch/plugin-drift-common';
import type {
  DesiredObjectSource,
  DesiredState,
} from '@driftwatch/plugin-drift-node';

/** The `targetKind` of Kubernetes desired state. */
export const KUBERNETES_TARGET_KIND = 'kubernetes';

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isParsedManifest(value: unknown): value is ParsedManifest {
  return (
    isObject(value) &&
    isObject(value.id) &&
    isObject(value.object) &&
    isObject(value.source)
  );
}

function isKubeObject(value: unknown): value is KubeObject {
  return (
    isObject(value) &&
    typeof value.apiVersion === 'string' &&
    typeof value.kind === 'string' &&
    isObject(value.metadata) &&
    typeof value.metadata.name === 'string'
  );
}

/** A desired object and the desired-state location it was read from. */
export interface DesiredManifest extends ParsedManifest {
  location: string;
  /** The only cluster it is compared in, when its desired state names one. */
  cluster?: string;
}

/**
 * The Kubernetes objects of an entity's desired state. Accepts what the manifest source emits
 * (the engine's parsed manifests) and plain objects from other sources. Throws an InputError
 * for a document that is not a Kubernetes object, or for one object declared twice.
 */
export function desiredManifestsOf(desired: DesiredState[]): DesiredManifest[] {
  const manifests: DesiredManifest[] = [];
  for (const state of desired) {
    if (state.targetKind !== KUBERNETES_TARGET_KIND) continue;
    state.documents.forEach((document, index) => {
      const placement = state.cluster
        ? { location: state.location, cluster: state.cluster }
        : { location: state.location };
      if (isParsedManifest(document)) {
        manifests.push({ ...document, ...placement });
      } else if (isKubeObject(document)) {
        const namespace = document.metadata.namespace;
        manifests.push({
          id: identityOf(
            document.apiVersion,
            document.kind,
            document.metadata.name as string,
            typeof namespace === 'string' ? namespace : undefined,
          ),
          object: document,
          source: { document: index + 1 },
          ...placement,
        });
      } else {
        throw new InputError(
          `${state.location}: document ${index + 1} is not a Kubernetes object`,
        );
      }
    });
  }
  try {
    indexManifests(manifests);
  } catch (error) {
    throw new InputError('The desired state declares an object twice', error);
  }
  return manifests;
}

/**
 * Where Git declares a desired object, for actions that edit it. An item of a `kind: List`
 * document has no document of its own to edit, so it carries none.
 */
export function objectSourceOf(manifest: DesiredManifest): DesiredObjectSource {
  const { file, document, item } = manifest.source;
  const source: DesiredObjectSource = {
    location: manifest.location,
    rendered: manifest.source.rendered === true,
  };
  if (file !== undefined) source.file = file;
  if (item === undefined) source.document = document;
  return source;
}

/**
 * The object as the cluster would hold it: a namespaced object Git leaves without a namespace
 * goes where `kubectl apply` would put it, and a cluster-scoped object has none.
 */
export function placeManifest<T extends ParsedManifest>(
  manifest: T,
  namespaced: boolean,
  defaultNamespace: string,
): T {
  const { id, object } = manifest;
  if (namespaced && !id.namespace) {
    return {
      ...manifest,
      id: { ...id, namespace: defaultNamespace },
      object: {
        ...object,
        metadata: { ...object.metadata, namespace: defaultNamespace },
      },
    };
  }
  if (!namespaced && id.namespace) {
    const { namespace: _ignored, ...metadata } = object.metadata;
    const { namespace: _alsoIgnored, ...rest } = id;
    return { ...manifest, id: rest, object: { ...object, metadata } };
  }
  return manifest;
}

/** A desired resource whose live state could not be read: never `missing`, always `unknown`. */
export function unknownDiff(manifest: ParsedManifest): ResourceDiff {
  const { id, object, source } = manifest;
  const diff: ResourceDiff = {
    apiVersion: object.apiVersion,
    kind: id.kind,
    group: id.group,
    name: id.name,
    key: resourceKey(id),
    status: 'unknown',
    severity: null,
    score: 0,
    changes: [],
    ignoredChanges: 0,
    desiredSource: source,
  };
  if (id.namespace) diff.namespace = id.namespace;
  return diff;
}
