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
  /** For kinds read as metadata only: each name Git declares -> the entities declaring it. */
  declared: Map<string, Set<number>>;
}

/**
 * Longest `backstage.io/kubernetes-id in (...)` selector sent; more ids are split over several
 * LISTs, so URLs stay within proxy limits.
 */
const MAX_SET_SELECTOR_LENGTH = 4000;

/**
 * Secrets are listed as metadata only, which is all extra detection needs; their values are
 * read only for the Secrets Git declares, which need them to be fingerprinted. Token and Helm
 * release Secrets are left out there, as metadata does not carry the type that tells them apart.
 */
const METADATA_ONLY_KINDS = new Set(['/Secret']);
const GENERATED_SECRET_TYPES =
  'type!=kubernetes.io/service-account-token,type!=helm.sh/release.v1';

/**
 * The label selectors that together cover the entities sharing a LIST, each one of them
 * alone, never widened: the API server ANDs requirements, so ids become set-based
 * `in (...)` selectors (split when long) and each custom selector is sent as it is. Every
 * entity's objects are picked out locally afterwards.
 */
export function selectorsFor(selections: EntitySelection[]): string[] {
  const ids = new Set<string>();
  const custom = new Set<string>();
  for (const selection of selections) {
    if (selection.type === 'id') ids.add(selection.id);
    else if (selection.type === 'labels') custom.add(selection.selector);
  }
  const selectors: string[] = [];
  let chunk: string[] = [];
  const flush = () => {
    if (chunk.length === 1)
      selectors.push(`${KUBERNETES_ID_LABEL}=${chunk[0]}`);
    else if (chunk.length) {
      selectors.push(`${KUBERNETES_ID_LABEL} in (${chunk.join(',')})`);
    }
    chunk = [];
  };
  for (const id of [...ids].sort()) {
    const length =
      KUBERNETES_ID_LABEL.length + 6 + [...chunk, id].join(',').length;
    if (chunk.length && length > MAX_SET_SELECTOR_LENGTH) flush();
    chunk.push(id);
  }
  flush();
  return [...selectors, ...[...custom].sort()];
}

function isMetadataOnly(kind: ServedKind): boolean {
  return METADATA_ONLY_KINDS.has(`${kind.group}/${kind.kind}`);
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
   * kinds). `name` is the Git object that needs it, for the kinds whose values are read only
   * for the objects Git declares.
   */
  need(
    entity: number,
    kind: ServedKind,
    namespace: string | undefined,
    role: ListRole,
    name?: string,
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
        declared: new Map(),
      };
      this.lists.set(key, list);
      const groupKind = `${kind.group}|${kind.kind}|${scope ?? ''}`;
      if (!this.byGroupKind.has(groupKind))
        this.byGroupKind.set(groupKind, list);
    }
    if (name !== undefined && role === 'desired' && isMetadataOnly(kind)) {
      const declaring = list.declared.get(name) ?? new Set();
      list.declared.set(name, declaring.add(entity));
    }
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

  /**
   * The LISTs to send, each with one of the selectors covering the list's members. For a kind
   * read as metadata only, one LIST per name Git declares reads that object's values first.
   */
  requests(
    selections: EntitySelection[],
  ): Array<{ list: PlannedList; request: ListRequest }> {
    return [...this.lists.values()].flatMap(list => {
      const { kind, namespace } = list;
      const of = (members: Iterable<number>) =>
        selectorsFor([...members].map(i => selections[i]));
      if (!isMetadataOnly(kind)) {
        return of(list.members.keys()).map(labelSelector => ({
          list,
          request: { kind, namespace, labelSelector },
        }));
      }
      const values = [...list.declared].flatMap(([name, declaring]) =>
        of(declaring).map(labelSelector => ({
          list,
          request: {
            kind,
            namespace,
            labelSelector,
            fieldSelector: `metadata.name=${name}`,
          },
        })),
      );
      const metadata = of(list.members.keys()).map(labelSelector => ({
        list,
        request: {
          kind,
          namespace,
          labelSelector,
          fieldSelector: GENERATED_SECRET_TYPES,
          metadataOnly: true,
        },
      }));
      return [...values, ...metadata];
    });
  }

  /** The LISTs an entity needs, by key, with its role in each. */
  needsOf(entity: number): Map<string, ListRole> {
    return this.byEntity.get(entity) ?? new Map();
  }

  get(key: string): PlannedList | undefined {
    return this.lists.get(key);
  }
}
