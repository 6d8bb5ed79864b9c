import type { JsonObject, JsonValue } from '../types';

/** What a default function can look at: the object being read on the same side (Git or live). */
export interface Scope {
  apiVersion: string;
  kind: string;
  /** The whole object. */
  root: JsonObject;
  /** The nearest enclosing pod spec, for defaults that depend on it. */
  podSpec?: JsonObject;
}

/** A default computed from the field's parent object. Returns undefined when there is none. */
export type DefaultFn = (
  parent: JsonObject,
  scope: Scope,
) => JsonValue | undefined;

interface NodeOptions {
  /** The API server's default. The field equal to it is the same as the field left out. */
  default?: JsonValue | DefaultFn;
  /** Left out is not the same as the zero value (`runAsUser: 0` is root, nil is the image's user). */
  nilDiffers?: boolean;
  /** An empty object or list means something (`namespaceSelector: {}` selects all namespaces). */
  keepEmpty?: boolean;
  /** The server allocates it (clusterIP, nodePort, volumeName): compared only when Git sets it. */
  allocated?: boolean;
  /** Server-managed: never compared. */
  ignored?: boolean;
  /** Read this sibling when the field is absent (deprecated aliases such as serviceAccount). */
  fallback?: string;
}

/** An object with known fields. */
export interface StructNode extends NodeOptions {
  t: 'struct';
  fields: Record<string, Node>;
  /** Schema of fields not listed. */
  other?: Node;
  /** Marks a pod spec so that nested defaults can see it. */
  podSpec?: boolean;
}

/** A free-form map (labels, data): every key counts, empty strings included. */
export interface MapNode extends NodeOptions {
  t: 'map';
  value: Node;
  /** Keys written by the server or by tools, never compared. */
  serverKey?: (key: string, scope: Scope) => boolean;
}

/** A field of a list item that identifies it, with its default (protocol TCP). */
export interface KeyField {
  name: string;
  /** Nested location of the key, e.g. `metadata.name`; `name` is then the display name. */
  path?: string[];
  default?: JsonValue;
}

/** A list: `map` (items matched by merge keys), `set` (order does not matter) or `ordered`. */
export interface ListNode extends NodeOptions {
  t: 'list';
  mode: 'map' | 'set' | 'ordered';
  keys?: KeyField[];
  item: Node;
  /** A live-only item that the server adds by itself (Pod token volumes, controller finalizers). */
  defaultItem?: (item: JsonValue, scope: Scope) => boolean;
}

/** How a scalar is compared. */
export type LeafKind = 'plain' | 'quantity' | 'intOrString' | 'secret';

/** A scalar. */
export interface LeafNode extends NodeOptions {
  t: 'leaf';
  kind: LeafKind;
}

/** Anything: read by its JSON type (unknown kinds and fields). */
export interface AnyNode extends NodeOptions {
  t: 'any';
}

/** A node of the schema that guides normalization and comparison. */
export type Node = StructNode | MapNode | ListNode | LeafNode | AnyNode;

export const ANY: AnyNode = { t: 'any' };
export const STRING: LeafNode = { t: 'leaf', kind: 'plain' };
export const QUANTITY: LeafNode = { t: 'leaf', kind: 'quantity' };
export const INT_OR_STRING: LeafNode = { t: 'leaf', kind: 'intOrString' };
export const SECRET_VALUE: LeafNode = { t: 'leaf', kind: 'secret' };
export const IGNORED: AnyNode = { t: 'any', ignored: true };
export const ALLOCATED: AnyNode = { t: 'any', allocated: true };

/** A struct node. */
export function struct(
  fields: Record<string, Node>,
  options: Omit<StructNode, 't' | 'fields'> = {},
): StructNode {
  return { t: 'struct', fields, ...options };
}

/** A free-form map node. */
export function map(
  value: Node,
  options: Omit<MapNode, 't' | 'value'> = {},
): MapNode {
  return { t: 'map', value, ...options };
}

/** A list whose items are matched by the given merge keys. */
export function mapList(
  keys: Array<string | KeyField>,
  item: Node,
  options: Omit<ListNode, 't' | 'mode' | 'item' | 'keys'> = {},
): ListNode {
  return {
    t: 'list',
    mode: 'map',
    keys: keys.map(key => (typeof key === 'string' ? { name: key } : key)),
    item,
    ...options,
  };
}

/** A list compared as a set. */
export function set(
  item: Node = STRING,
  options: Omit<ListNode, 't' | 'mode' | 'item'> = {},
): ListNode {
  return { t: 'list', mode: 'set', item, ...options };
}

/** A list compared item by item, in order. */
export function ordered(
  item: Node = STRING,
  options: Omit<ListNode, 't' | 'mode' | 'item'> = {},
): ListNode {
  return { t: 'list', mode: 'ordered', item, ...options };
}

/** The node with a default. */
export function withDefault<T extends Node>(
  node: T,
  value: JsonValue | DefaultFn,
): T {
  return { ...node, default: value };
}

/** The node with extra options. */
export function withOptions<T extends Node>(node: T, options: NodeOptions): T {
  return { ...node, ...options };
}

/** The default of a node for a parent object, or undefined. */
export function defaultOf(
  node: Node,
  parent: JsonObject | undefined,
  scope: Scope,
): JsonValue | undefined {
  const value = node.default;
  if (value === undefined) return undefined;
  if (typeof value === 'function')
    return parent ? value(parent, scope) : undefined;
  return value;
}

/** The value of a key field of a list item, with the key's default. */
export function keyValue(
  item: JsonValue | undefined,
  key: KeyField,
): JsonValue | undefined {
  let value: JsonValue | undefined = item;
  if (key.path) {
    for (const part of key.path) {
      value = isObject(value) ? value[part] : undefined;
    }
  } else {
    value = isObject(value) ? value[key.name] : undefined;
  }
  if (value === undefined || value === null || value === '') return key.default;
  return value;
}

const aliases = new WeakMap<StructNode, string[]>();

/** Fields of a struct that fall back to a deprecated alias. */
export function aliasedFields(node: StructNode): string[] {
  let fields = aliases.get(node);
  if (!fields) {
    fields = Object.keys(node.fields).filter(
      key => node.fields[key].fallback !== undefined,
    );
    aliases.set(node, fields);
  }
  return fields;
}

/** Plain object test. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
