import type { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  splitApiVersion,
  type ParsedManifest,
} from '@driftwatch/plugin-drift-common';
import type { ServedKind } from '../clusters/types';
import {
  isLabelValue,
  matchesLabelSelector,
  parseLabelSelector,
  pinnedLabels,
  type LabelSelector,
} from './labelSelector';

/** The label that links live objects to an entity, as the Kubernetes plugin uses it. */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';

/** A kind named in config: any version of the API group of `apiVersion`. */
export interface ScopeKind {
  apiVersion: string;
  kind: string;
}

/** What config lets any entity read (`drift.kubernetes`); an entity's annotations narrow it. */
export interface ScopeRules {
  /** Namespaced kinds an entity's Git objects may be of, matched by API group and kind. */
  allowedKinds: ScopeKind[];
  /** Cluster-scoped kinds an entity's Git objects may be of; none by default. */
  clusterScopedKinds: ScopeKind[];
  /** When set, the only namespaces entities may read; `*` matches any characters. */
  allowedNamespaces?: string[];
  /** Namespaces no entity may read; `*` matches any characters. */
  deniedNamespaces: string[];
}

/** Kinds entities may declare by default: what application teams deploy. */
export const DEFAULT_ALLOWED_KINDS: ScopeKind[] = [
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { apiVersion: 'batch/v1', kind: 'CronJob' },
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'v1', kind: 'ServiceAccount' },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  { apiVersion: 'v1', kind: 'Endpoints' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
];

/** The control plane's own namespaces, which no entity reads unless config says otherwise. */
export const DEFAULT_DENIED_NAMESPACES = [
  'kube-system',
  'kube-public',
  'kube-node-lease',
];

export const DEFAULT_SCOPE_RULES: ScopeRules = {
  allowedKinds: DEFAULT_ALLOWED_KINDS,
  clusterScopedKinds: [],
  deniedNamespaces: DEFAULT_DENIED_NAMESPACES,
};

/** How an entity's live objects are found, from the Kubernetes plugin's annotations. */
export type EntitySelection =
  /** Objects labelled `backstage.io/kubernetes-id=<id>`. */
  | { type: 'id'; id: string }
  /** Objects matching `backstage.io/kubernetes-label-selector`. */
  | { type: 'labels'; selector: string; parsed: LabelSelector }
  /** Neither annotation: no live object is the entity's. */
  | { type: 'none' };

const groupKind = (apiVersion: string, kind: string) =>
  `${splitApiVersion(apiVersion).group}/${kind}`;

/** `Deployment.apps`, as kubectl names a kind of a group; the core group has no suffix. */
function kindName(group: string, kind: string): string {
  return group ? `${kind}.${group}` : kind;
}

function namePattern(pattern: string): RegExp {
  const escaped = pattern
    .split('*')
    .map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}

function describeSelection(selection: EntitySelection): string {
  switch (selection.type) {
    case 'id':
      return `${KUBERNETES_ID_LABEL}=${selection.id}`;
    case 'labels':
      return selection.selector;
    default:
      return 'none';
  }
}

/** Whether a live object belongs to the entity; `none` selects nothing. */
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
      return false;
  }
}

/**
 * What one entity may read in a cluster: objects of the allowed kinds, in its namespaces, that
 * carry its labels. Git only proposes objects; the scope decides which of them are read, so a
 * manifest can never make the backend read an object that is not the entity's.
 */
export class EntityScope {
  private readonly allowed: Set<string>;
  private readonly clusterScoped: Set<string>;
  private readonly allowedNamespaces?: RegExp[];
  private readonly deniedNamespaces: RegExp[];

  constructor(
    readonly selection: EntitySelection,
    /** `backstage.io/kubernetes-namespace`: when set, the entity's only namespace. */
    readonly namespace: string | undefined,
    rules: ScopeRules,
  ) {
    this.allowed = new Set(
      rules.allowedKinds.map(k => groupKind(k.apiVersion, k.kind)),
    );
    this.clusterScoped = new Set(
      rules.clusterScopedKinds.map(k => groupKind(k.apiVersion, k.kind)),
    );
    this.allowedNamespaces = rules.allowedNamespaces?.map(namePattern);
    this.deniedNamespaces = rules.deniedNamespaces.map(namePattern);
  }

  /** Whether objects of this kind may be read at all, before the cluster says how it serves it. */
  mayDeclare(apiVersion: string, kind: string): boolean {
    const key = groupKind(apiVersion, kind);
    return this.allowed.has(key) || this.clusterScoped.has(key);
  }

  /** Whether the entity may list this kind, as the cluster serves it. */
  readsKind(kind: ServedKind): boolean {
    const key = `${kind.group}/${kind.kind}`;
    return kind.namespaced
      ? this.allowed.has(key)
      : this.clusterScoped.has(key);
  }

  /** Why the entity may not read this namespace, or undefined when it may. */
  namespaceRefusal(namespace: string): string | undefined {
    if (this.namespace !== undefined && namespace !== this.namespace) {
      return `the entity's namespace is ${this.namespace}`;
    }
    if (
      (this.allowedNamespaces &&
        !this.allowedNamespaces.some(p => p.test(namespace))) ||
      this.deniedNamespaces.some(p => p.test(namespace))
    ) {
      return 'not allowed by drift.kubernetes.namespaces';
    }
    return undefined;
  }

  /**
   * Why the entity may not read a Git object, placed as the cluster would hold it, or
   * undefined when it may. Each reason starts with "outside the entity's scope".
   */
  refusal(manifest: ParsedManifest, namespaced: boolean): string | undefined {
    const { id, object } = manifest;
    const outside = "outside the entity's scope";
    const key = `${id.group}/${id.kind}`;
    const name = kindName(id.group, id.kind);
    if (!namespaced) {
      if (!this.clusterScoped.has(key)) {
        return `${outside}: cluster-scoped kind ${name} (not in drift.kubernetes.clusterScopedKinds)`;
      }
    } else {
      if (!this.allowed.has(key)) {
        return `${outside}: kind ${name} (not in drift.kubernetes.allowedKinds)`;
      }
      const why = id.namespace
        ? this.namespaceRefusal(id.namespace)
        : undefined;
      if (why) return `${outside}: namespace ${id.namespace} (${why})`;
    }
    if (this.selection.type === 'none') {
      return (
        `${outside}: the entity has no ${KUBERNETES_ID_ANNOTATION} or ` +
        `${KUBERNETES_LABEL_SELECTOR_ANNOTATION} annotation`
      );
    }
    if (!selects(this.selection, object.metadata.labels)) {
      return `${outside}: its labels do not match ${describeSelection(
        this.selection,
      )}`;
    }
    return undefined;
  }
}

/**
 * Reads an entity's Kubernetes annotations into its scope. Like the Kubernetes plugin, a label
 * selector takes precedence over the id. Throws an InputError for values the API server would
 * reject, and for a selector that names no label value (`!a`, `a notin (b)`), which would match
 * nearly every object of a namespace.
 */
export function readEntityScope(
  entity: Entity,
  rules: ScopeRules,
): EntityScope {
  const annotations = entity.metadata.annotations ?? {};
  const namespace =
    annotations[KUBERNETES_NAMESPACE_ANNOTATION]?.trim() || undefined;
  const selector = annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION]?.trim();
  if (selector) {
    const parsed = parseLabelSelector(selector);
    if (!parsed.requirements.some(r => r.operator === 'in')) {
      throw new InputError(
        `${KUBERNETES_LABEL_SELECTOR_ANNOTATION} '${selector}' names no label value; ` +
          `include a key=value or key in (...) requirement`,
      );
    }
    return new EntityScope(
      { type: 'labels', selector, parsed },
      namespace,
      rules,
    );
  }
  const id = annotations[KUBERNETES_ID_ANNOTATION]?.trim();
  if (id) {
    if (!isLabelValue(id)) {
      throw new InputError(
        `${KUBERNETES_ID_ANNOTATION} '${id}' is not a valid label value ` +
          `(at most 63 letters, digits, '-', '_' or '.')`,
      );
    }
    return new EntityScope({ type: 'id', id }, namespace, rules);
  }
  return new EntityScope({ type: 'none' }, namespace, rules);
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
