import type { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
} from '@driftwatch/plugin-drift-common';
import {
  isLabelValue,
  matchesLabelSelector,
  parseLabelSelector,
  pinnedLabels,
  type LabelSelector,
} from './labelSelector';

/** The label that links live objects to an entity, as the Kubernetes plugin uses it. */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';

/** How an entity's live objects are found, from the Kubernetes plugin's annotations. */
export type EntitySelection =
  /** Objects labelled `backstage.io/kubernetes-id=<id>`. */
  | { type: 'id'; id: string }
  /** Objects matching `backstage.io/kubernetes-label-selector`. */
  | { type: 'labels'; selector: string; parsed: LabelSelector }
  /** No annotation: the objects Git names, found by identity, and extras by their app labels. */
  | { type: 'none' };

/** Where and how to look for one entity's live objects. */
export interface EntityScope {
  selection: EntitySelection;
  /** `backstage.io/kubernetes-namespace`, when set. */
  namespace?: string;
}

/**
 * Reads an entity's Kubernetes annotations. Like the Kubernetes plugin, a label selector takes
 * precedence over the id. Throws an InputError for values the API server would reject.
 */
export function readEntityScope(entity: Entity): EntityScope {
  const annotations = entity.metadata.annotations ?? {};
  const namespace =
    annotations[KUBERNETES_NAMESPACE_ANNOTATION]?.trim() || undefined;
  const selector = annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION]?.trim();
  if (selector) {
    return {
      selection: {
        type: 'labels',
        selector,
        parsed: parseLabelSelector(selector),
      },
      namespace,
    };
  }
  const id = annotations[KUBERNETES_ID_ANNOTATION]?.trim();
  if (id) {
    if (!isLabelValue(id)) {
      throw new InputError(
        `${KUBERNETES_ID_ANNOTATION} '${id}' is not a valid label value ` +
          `(at most 63 letters, digits, '-', '_' or '.')`,
      );
    }
    return { selection: { type: 'id', id }, namespace };
  }
  return { selection: { type: 'none' }, namespace };
}

/** Whether a live object belongs to the entity; `none` accepts everything the LIST returned. */
export function selects(selection: EntitySelection, labels: unknown): boolean {
  const actual =
    typeof labels === 'object' && labels !== null
      ? (labels as Record<string, unknown>)
      : {};
  switch (selection.type) {
    case 'id':
      return actual[KUBERNETES_ID_LABEL] === selection.id;
    case 'labels':
      return matchesLabelSelector(selection.parsed, actual);
    default:
      return true;
  }
}

/**
 * The labels that mark a live object as the entity's for extra-object detection, or undefined
 * to let the engine use the app labels of the entity's Git objects.
 */
export function appLabelsOf(
  selection: EntitySelection,
): Record<string, string> | undefined {
  if (selection.type === 'id') return { [KUBERNETES_ID_LABEL]: selection.id };
  if (selection.type === 'labels') {
    const pinned = pinnedLabels(selection.parsed);
    return Object.keys(pinned).length ? pinned : undefined;
  }
  return undefined;
}
