import type { JsonObject, JsonValue, KubeObject } from '../types';
import { identityOf } from '../parse/identity';
import { sha256Hex } from '../redact/sha256';
import { schemaFor } from './kinds';
import { prepareObject } from './prepare';
import { ANY, type Node, isObject, keyValue } from './schema';

/** JSON with object keys sorted, so equal values always serialize the same. */
export function stableStringify(value: JsonValue | undefined): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys
    .map(key => `${JSON.stringify(key)}:${stableStringify(value[key])}`)
    .join(',')}}`;
}

function canonicalize(value: JsonValue, node: Node): JsonValue {
  if (Array.isArray(value)) {
    const itemNode = node.t === 'list' ? node.item : ANY;
    const items = value.map(item => canonicalize(item, itemNode));
    if (node.t === 'list' && node.mode === 'map' && node.keys) {
      const keys = node.keys;
      const keyOf = (item: JsonValue) =>
        stableStringify(keys.map(key => keyValue(item, key) ?? null));
      return items.sort((a, b) => compareText(keyOf(a), keyOf(b)));
    }
    if (node.t === 'list' && node.mode === 'set') {
      return items.sort((a, b) =>
        compareText(stableStringify(a), stableStringify(b)),
      );
    }
    return items;
  }
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const key of Object.keys(value).sort()) {
      let child: Node = ANY;
      if (node.t === 'struct') child = node.fields[key] ?? node.other ?? ANY;
      else if (node.t === 'map') child = node.value;
      out[key] = canonicalize(value[key], child);
    }
    return out;
  }
  return value;
}

function compareText(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/**
 * The canonical form of an object: server-managed fields and status dropped, defaults and zero
 * values left out, quantities canonical, Secret stringData folded into data, map-like lists
 * sorted by merge key and sets sorted. Equal forms mean equal objects; normalizing twice
 * changes nothing.
 */
export function normalizeObject(object: KubeObject): KubeObject {
  const { group } = identityOf(
    object.apiVersion,
    object.kind,
    String(object.metadata.name),
  );
  const schema = schemaFor(group, object.kind);
  const prepared = canonicalize(
    prepareObject(object, schema),
    schema,
  ) as JsonObject;
  const metadata: JsonObject = { name: object.metadata.name };
  if (object.metadata.namespace) metadata.namespace = object.metadata.namespace;
  const rest = isObject(prepared.metadata) ? prepared.metadata : {};
  return {
    ...prepared,
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: { ...metadata, ...rest },
  };
}

/** SHA-256 of the canonical form: equal hashes mean the objects are in sync. */
export function canonicalHash(object: KubeObject): string {
  const normalized = normalizeObject(object);
  const { apiVersion: _a, kind: _k, ...content } = normalized;
  return sha256Hex(stableStringify(content as JsonObject));
}
