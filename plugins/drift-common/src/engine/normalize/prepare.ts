import type { JsonObject, JsonValue, KubeObject } from '../types';
import { base64Encode, utf8Encode } from '../redact/encoding';
import {
  ANY,
  type ListNode,
  type MapNode,
  type Node,
  type Scope,
  type StructNode,
  aliasedFields,
  defaultOf,
  isObject,
} from './schema';
import { canonicalLeaf, isZeroScalar, leafEqual } from './values';
import { compareValues } from '../compare/walker';

/**
 * Folds a Secret's `stringData` into `data` as the API server does, so that Git's plain text
 * and live base64 compare equal. Other objects come back unchanged.
 */
export function foldSecretData<T extends JsonObject>(object: T): T {
  if (object.kind !== 'Secret' || !isObject(object.stringData)) return object;
  const data: JsonObject = isObject(object.data) ? { ...object.data } : {};
  for (const [key, value] of Object.entries(object.stringData)) {
    data[key] = base64Encode(utf8Encode(value === null ? '' : String(value)));
  }
  const { stringData: _ignored, ...rest } = object;
  return { ...rest, data } as unknown as T;
}

const preparedDefaults = new WeakMap<Node, JsonValue | undefined>();
const withoutDefaults = new WeakMap<Node, Node>();

/** The node without its default, to normalize the default itself. */
function withoutDefault(node: Node): Node {
  let plain = withoutDefaults.get(node);
  if (!plain) {
    plain = { ...node, default: undefined };
    withoutDefaults.set(node, plain);
  }
  return plain;
}

function prepareDefault(
  raw: JsonValue,
  node: Node,
  parent: JsonObject | undefined,
  scope: Scope,
): JsonValue | undefined {
  if (raw !== null && typeof raw !== 'object') {
    // Most defaults are scalars: no need for the whole normalization.
    const kind = node.t === 'leaf' ? node.kind : 'plain';
    const canonical = canonicalLeaf(raw, kind);
    return !node.nilDiffers && isZeroScalar(canonical, kind)
      ? undefined
      : canonical;
  }
  return prepareValue(raw, withoutDefault(node), parent, scope);
}

/** A node's default in normalized form (cached when the default is a constant). */
export function preparedDefault(
  node: Node,
  parent: JsonObject | undefined,
  scope: Scope,
): { value: JsonValue | undefined } | undefined {
  const raw = defaultOf(node, parent, scope);
  if (raw === undefined || raw === null) return undefined;
  if (typeof node.default !== 'function') {
    if (!preparedDefaults.has(node)) {
      preparedDefaults.set(node, prepareDefault(raw, node, parent, scope));
    }
    return { value: preparedDefaults.get(node) };
  }
  return { value: prepareDefault(raw, node, parent, scope) };
}

/**
 * Normalizes a value for comparison: canonical scalars, server-managed and allocated-only
 * fields kept or dropped per the schema, and every field that only restates a default or a
 * zero value removed (a field left out and a field set to its default mean the same).
 * Lists keep their order so that JSON Pointers into the source stay valid.
 * Returns undefined when the value means the same as leaving the field out.
 */
export function prepareValue(
  value: JsonValue | undefined,
  node: Node,
  parent: JsonObject | undefined,
  scope: Scope,
): JsonValue | undefined {
  if (value === undefined || value === null || node.ignored) return undefined;
  let result: JsonValue | undefined;
  if (Array.isArray(value)) {
    result = prepareList(value, node.t === 'list' ? node : undefined, scope);
  } else if (isObject(value)) {
    if (node.t === 'map') result = prepareMap(value, node, scope);
    else
      result = prepareStruct(
        value,
        node.t === 'struct' ? node : undefined,
        scope,
      );
    if (result === undefined && node.keepEmpty) return {};
  } else {
    const kind = node.t === 'leaf' ? node.kind : 'plain';
    const canonical = canonicalLeaf(value, kind);
    const fallback = preparedDefault(node, parent, scope);
    if (fallback && fallback.value !== undefined) {
      return leafEqual(fallback.value, canonical, kind) ? undefined : canonical;
    }
    return !node.nilDiffers && isZeroScalar(canonical, kind)
      ? undefined
      : canonical;
  }
  if (result === undefined) return undefined;
  if (node.default !== undefined) {
    // A list or map equal to its default (policyTypes [Ingress], HPA scaling policies).
    const fallback = preparedDefault(node, parent, scope);
    if (
      fallback &&
      fallback.value !== undefined &&
      compareValues(fallback.value, value, node, parent, scope)
    ) {
      return undefined;
    }
  }
  return result;
}

function prepareStruct(
  value: JsonObject,
  node: StructNode | undefined,
  scope: Scope,
): JsonObject | undefined {
  const inner = node?.podSpec ? { ...scope, podSpec: value } : scope;
  const out: JsonObject = {};
  let empty = true;
  if (node) {
    for (const key of aliasedFields(node)) {
      const field = node.fields[key];
      if (field.fallback && (value[key] === undefined || value[key] === null)) {
        const aliased = prepareValue(
          value[field.fallback],
          field,
          value,
          inner,
        );
        if (aliased !== undefined) {
          out[key] = aliased;
          empty = false;
        }
      }
    }
  }
  for (const key in value) {
    if (key in out) continue;
    const field = node ? node.fields[key] ?? node.other ?? ANY : ANY;
    const prepared = prepareValue(value[key], field, value, inner);
    if (prepared !== undefined) {
      out[key] = prepared;
      empty = false;
    }
  }
  return empty ? undefined : out;
}

function prepareMap(
  value: JsonObject,
  node: MapNode,
  scope: Scope,
): JsonObject | undefined {
  const out: JsonObject = {};
  let empty = true;
  const valueNode = node.value;
  for (const key in value) {
    if (node.serverKey?.(key, scope)) continue;
    const entry = value[key];
    let prepared: JsonValue | undefined;
    if (valueNode.t === 'leaf' || valueNode.t === 'any') {
      if (isObject(entry) || Array.isArray(entry))
        prepared = prepareValue(entry, valueNode, value, scope) ?? {};
      else
        prepared = canonicalLeaf(
          entry === null ? '' : entry,
          valueNode.t === 'leaf' ? valueNode.kind : 'plain',
        );
    } else {
      prepared = prepareValue(entry, valueNode, value, scope) ?? {};
    }
    out[key] = prepared;
    empty = false;
  }
  return empty ? undefined : out;
}

/** List items are never dropped (`[{}]` in a NetworkPolicy allows everything). */
export function prepareItem(
  item: JsonValue,
  node: Node,
  scope: Scope,
): JsonValue {
  if (item === null) return null;
  if (isObject(item) || Array.isArray(item)) {
    return (
      prepareValue(item, node, undefined, scope) ??
      (Array.isArray(item) ? [] : {})
    );
  }
  return canonicalLeaf(item, node.t === 'leaf' ? node.kind : 'plain');
}

function prepareList(
  value: JsonValue[],
  node: ListNode | undefined,
  scope: Scope,
): JsonValue[] | undefined {
  if (value.length === 0) return node?.keepEmpty ? [] : undefined;
  const itemNode = node ? node.item : ANY;
  return value.map(item => prepareItem(item, itemNode, scope));
}

/** The scope of one object. */
export function scopeOf(object: JsonObject): Scope {
  return {
    apiVersion: typeof object.apiVersion === 'string' ? object.apiVersion : '',
    kind: typeof object.kind === 'string' ? object.kind : '',
    root: object,
  };
}

/** Normalizes a whole object against its kind's schema (Secret stringData folded in). */
export function prepareObject(
  object: KubeObject,
  schema: StructNode,
): JsonObject {
  const folded = foldSecretData(object);
  const scope = scopeOf(folded);
  return (
    (prepareValue(folded, schema, undefined, scope) as
      | JsonObject
      | undefined) ?? {}
  );
}
