import type { ListRequest, ServedKind } from '../clusters/types';
import { KUBERNETES_ID_LABEL, type EntitySelection } from './entityScope';

/**
 * Why an entity needs a LIST: its Git objects are of that kind (`desired`), or the kind is
 * only checked for live objects Git lacks (`extra`).
 */
export type ListRole = 'desired' | 'extra';

/** One LIST of a scan round in one cluster, shared by every entity that needs it. */
export interface PlannedList {
  key: string;
  kind: ServedKind;
  namespace?: string;
  /** Entity index -> role; `desired` wins when an entity needs the list for both. */
  members: Map<number, ListRole>;
  /** Set when a member's Git object lacks the member's labels, so a selector would miss it. */
  unfiltered: boolean;
}

/**
 * Longest `backstage.io/kubernetes-id in (...)` selector sent; beyond it the LIST asks for every
 * object carrying the label and splits them locally, so URLs stay within proxy limits.
 */
const MAX_SET_SELECTOR_LENGTH = 4000;

/**
 * The selector of a LIST shared by several entities. The API server ANDs requirements, so
 * entities are combined only where one selector covers them all: ids become a set-based
 * `in (...)`; entities sharing one custom selector use it; any other mix lists the namespace
 * unfiltered. Every entity's objects are picked out locally afterwards.
 */
export function combinedSelector(
  selections: EntitySelection[],
): string | undefined {
  if (selections.length === 0) return undefined;
  if (selections.every(s => s.type === 'id')) {
    const ids = [
      ...new Set(selections.map(s => (s as { id: string }).id)),
    ].sort();
    if (ids.length === 1) return `${KUBERNETES_ID_LABEL}=${ids[0]}`;
    const set = `${KUBERNETES_ID_LABEL} in (${ids.join(',')})`;
    return set.length <= MAX_SET_SELECTOR_LENGTH ? set : KUBERNETES_ID_LABEL;
  }
  const first = selections[0];
  if (
    first.type === 'labels' &&
    selections.every(s => s.type === 'labels' && s.selector === first.selector)
  ) {
    return first.selector;
  }
  return undefined;
}

/** The key of the LIST that reads `kind` in `namespace` (ignored for cluster-scoped kinds). */
export function listKey(kind: ServedKind, namespace: string | undefined): string {
  const scope = kind.namespaced ? namespace : undefined;
  return `${kind.apiVersion}|${kind.kind}|${scope ?? ''}`;
}

/**
 * Collects the LISTs a scan round needs in one cluster: one per kind and namespace (per
 * apiVersion, when entities declare a kind in different versions), whatever the number of
 * entities and resources.
 */
export class ListPlan {
  private readonly lists = new Map<string, PlannedList>();
  /** The first list of each group, kind and namespace, whatever its version. */
  private readonly byGroupKind = new Map<string, PlannedList>();
  private readonly byEntity = new Map<number, Map<string, ListRole>>();

  /**
   * Adds an entity's need for a LIST of `kind` in `namespace` (ignored for cluster-scoped
   * kinds). `unfiltered` asks for the LIST without a label selector.
   */
  need(
    entity: number,
    kind: ServedKind,
    namespace: string | undefined,
    role: ListRole,
    unfiltered = false,
  ): void {
    const scope = kind.namespaced ? namespace : undefined;
    const key = listKey(kind, namespace);
    let list = this.lists.get(key);
    if (!list) {
      list = {
        key,
        kind,
        namespace: scope,
        members: new Map(),
        unfiltered: false,
      };
      this.lists.set(key, list);
      const groupKind = `${kind.group}|${kind.kind}|${scope ?? ''}`;
      if (!this.byGroupKind.has(groupKind))
        this.byGroupKind.set(groupKind, list);
    }
    if (unfiltered) list.unfiltered = true;
    if (list.members.get(entity) !== 'desired') list.members.set(entity, role);
    let mine = this.byEntity.get(entity);
    if (!mine) {
      mine = new Map();
      this.byEntity.set(entity, mine);
    }
    if (mine.get(key) !== 'desired') mine.set(key, role);
  }

  /**
   * Adds an entity's need to look for extra objects of a group and kind: it joins a LIST of
   * that kind some entity already needs (whatever its version) instead of adding one.
   */
  needExtra(
    entity: number,
    kind: ServedKind,
    namespace: string | undefined,
  ): void {
    const scope = kind.namespaced ? namespace : undefined;
    const existing = this.byGroupKind.get(
      `${kind.group}|${kind.kind}|${scope ?? ''}`,
    );
    this.need(entity, existing?.kind ?? kind, scope, 'extra');
  }

  /** The LISTs to send, with their combined selectors. */
  requests(
    selections: EntitySelection[],
  ): Array<{ list: PlannedList; request: ListRequest }> {
    return [...this.lists.values()].map(list => ({
      list,
      request: {
        kind: list.kind,
        namespace: list.namespace,
        labelSelector: list.unfiltered
          ? undefined
          : combinedSelector([...list.members.keys()].map(i => selections[i])),
      },
    }));
  }

  /** The LISTs an entity needs, by key, with its role in each. */
  needsOf(entity: number): Map<string, ListRole> {
    return this.byEntity.get(entity) ?? new Map();
  }

  get(key: string): PlannedList | undefined {
    return this.lists.get(key);
  }
}
