// The comparison walk. One function serves both the fast path (no reporter: stop at the first
// difference, allocate nothing) and the full walk (a reporter collects every difference).
// The desired side is already normalized (see prepareValue); the live side is read raw and
// canonicalized on the fly, so an in-sync pair costs one pass over each object.
import type { ChangeOp, JsonObject, JsonValue } from '../types';
import {
  ANY,
  type KeyField,
  type LeafKind,
  type ListNode,
  type MapNode,
  type Node,
  type Scope,
  type StructNode,
  aliasedFields,
  isObject,
  keyValue,
} from '../normalize/schema';
import { isZeroScalar, leafEqual, scalarEqual } from '../normalize/values';
import { preparedDefault } from '../normalize/prepare';
import { Path } from './path';

/** Receives differences during a full walk. */
export interface Reporter {
  change(
    op: ChangeOp,
    desired: JsonValue | undefined,
    live: JsonValue | undefined,
    path: Path,
    node: Node,
    defaultValue?: JsonValue,
  ): void;
}

const EMPTY: JsonObject = Object.freeze({}) as JsonObject;
const hasOwn = (object: JsonObject, key: string) =>
  Object.prototype.hasOwnProperty.call(object, key);

function childNode(node: StructNode | undefined, key: string): Node {
  return node ? node.fields[key] ?? node.other ?? ANY : ANY;
}

function leafKind(node: Node): LeafKind {
  return node.t === 'leaf' ? node.kind : 'plain';
}

/** Fast equality of a normalized desired value and a raw live value. */
export function compareValues(
  desired: JsonValue | undefined,
  live: JsonValue | undefined,
  node: Node,
  liveParent: JsonObject | undefined,
  scope: Scope,
): boolean {
  return compare(desired, live, node, liveParent, scope, null, null);
}

/**
 * Compares a normalized desired value with a raw live value. Without a reporter it returns
 * at the first difference; with one it reports every difference and returns whether none was found.
 */
export function compare(
  desired: JsonValue | undefined,
  live: JsonValue | undefined,
  node: Node,
  liveParent: JsonObject | undefined,
  scope: Scope,
  path: Path | null,
  reporter: Reporter | null,
): boolean {
  if (node.ignored) return true;
  const l = live === null ? undefined : live;
  if (desired === undefined) {
    return l === undefined
      ? true
      : liveOnly(l, node, liveParent, scope, path, reporter);
  }
  if (l === undefined) {
    // Old objects may lack a default that Git spells out.
    const fallback = preparedDefault(node, liveParent, scope);
    if (
      fallback &&
      fallback.value !== undefined &&
      compare(fallback.value, desired, node, liveParent, scope, null, null)
    ) {
      return true;
    }
    if (reporter && isObject(desired) && Object.keys(desired).length > 0) {
      // Report each field Git sets, so that ignore pointers can name them one by one.
      if (node.t === 'map')
        return compareMap(
          desired,
          EMPTY,
          node,
          undefined,
          scope,
          path,
          reporter,
        );
      return compareStruct(
        desired,
        EMPTY,
        node.t === 'struct' ? node : undefined,
        scope,
        path,
        reporter,
      );
    }
    reporter?.change('removed', desired, undefined, path!, node);
    return false;
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(l)) return mismatch(desired, l, path, node, reporter);
    return compareList(
      desired,
      l,
      node.t === 'list' ? node : undefined,
      node,
      scope,
      path,
      reporter,
    );
  }
  if (isObject(desired)) {
    if (!isObject(l)) return mismatch(desired, l, path, node, reporter);
    if (node.t === 'map')
      return compareMap(desired, l, node, liveParent, scope, path, reporter);
    return compareStruct(
      desired,
      l,
      node.t === 'struct' ? node : undefined,
      scope,
      path,
      reporter,
    );
  }
  if (isObject(l) || Array.isArray(l))
    return mismatch(desired, l, path, node, reporter);
  if (leafEqual(desired, l, leafKind(node))) return true;
  reporter?.change('changed', desired, l, path!, node);
  return false;
}

function mismatch(
  desired: JsonValue,
  live: JsonValue,
  path: Path | null,
  node: Node,
  reporter: Reporter | null,
): false {
  reporter?.change('changed', desired, live, path!, node);
  return false;
}

/** A field only live has: fine when allocated, equal to its default, or a zero value. */
function liveOnly(
  live: JsonValue,
  node: Node,
  liveParent: JsonObject | undefined,
  scope: Scope,
  path: Path | null,
  reporter: Reporter | null,
): boolean {
  if (node.allocated) return true;
  const fallback = preparedDefault(node, liveParent, scope);
  if (fallback) {
    if (fallback.value === undefined) {
      // A default that normalizes to nothing (an empty object) is the same as no default:
      // report what live adds field by field, as for any field Git leaves out.
      return absent(live, node, scope, path, reporter);
    } else if (
      compare(fallback.value, live, node, liveParent, scope, null, null)
    ) {
      return true;
    }
    reporter?.change(
      'added',
      undefined,
      live,
      path!,
      node,
      fallback.value ?? null,
    );
    return false;
  }
  return absent(live, node, scope, path, reporter);
}

/** Compares a live value against "not set in Git" when the field has no default. */
function absent(
  live: JsonValue,
  node: Node,
  scope: Scope,
  path: Path | null,
  reporter: Reporter | null,
): boolean {
  if (Array.isArray(live)) {
    if (live.length === 0 && !node.keepEmpty) return true;
    const list = node.t === 'list' ? node : undefined;
    const mode = list?.mode ?? 'ordered';
    const itemIsScalar = live.every(
      item => !isObject(item) && !Array.isArray(item),
    );
    if (mode === 'ordered' || itemIsScalar || live.length === 0) {
      if (
        list?.defaultItem &&
        live.every(item => list.defaultItem!(item, scope))
      )
        return true;
      reporter?.change('added', undefined, live, path!, node);
      return false;
    }
    let equal = true;
    for (let j = 0; j < live.length; j++) {
      const item = live[j];
      if (list?.defaultItem?.(item, scope)) continue;
      equal = false;
      if (!reporter) return false;
      reporter.change(
        'added',
        undefined,
        item,
        itemPath(path!, undefined, j, item, list),
        list?.item ?? ANY,
      );
    }
    return equal;
  }
  if (isObject(live)) {
    if (node.keepEmpty) {
      reporter?.change('added', undefined, live, path!, node);
      return false;
    }
    if (node.t === 'map')
      return compareMap(EMPTY, live, node, undefined, scope, path, reporter);
    return compareStruct(
      EMPTY,
      live,
      node.t === 'struct' ? node : undefined,
      scope,
      path,
      reporter,
    );
  }
  if (!node.nilDiffers && isZeroScalar(live, leafKind(node))) return true;
  reporter?.change('added', undefined, live, path!, node);
  return false;
}

function compareStruct(
  desired: JsonObject,
  live: JsonObject,
  node: StructNode | undefined,
  scope: Scope,
  path: Path | null,
  reporter: Reporter | null,
): boolean {
  const inner = node?.podSpec ? { ...scope, podSpec: live } : scope;
  let equal = true;
  for (const key in desired) {
    if (!hasOwn(desired, key)) continue;
    const child = childNode(node, key);
    if (child.ignored) continue;
    let value = live[key];
    if ((value === undefined || value === null) && child.fallback)
      value = live[child.fallback];
    if (
      !compare(
        desired[key],
        value,
        child,
        live,
        inner,
        path && path.field(key),
        reporter,
      )
    ) {
      equal = false;
      if (!reporter) return false;
    }
  }
  for (const key in live) {
    if (hasOwn(desired, key)) continue;
    const value = live[key];
    if (value === null || value === undefined) continue;
    const child = childNode(node, key);
    if (child.ignored) continue;
    if (
      !liveOnly(value, child, live, inner, path && path.field(key), reporter)
    ) {
      equal = false;
      if (!reporter) return false;
    }
  }
  if (node) {
    // A deprecated alias set live while its field is not (serviceAccount without serviceAccountName).
    for (const key of aliasedFields(node)) {
      const child = node.fields[key];
      if (!child.fallback || hasOwn(desired, key)) continue;
      if (live[key] !== undefined && live[key] !== null) continue;
      const value = live[child.fallback];
      if (value === undefined || value === null) continue;
      if (
        !liveOnly(value, child, live, inner, path && path.field(key), reporter)
      ) {
        equal = false;
        if (!reporter) return false;
      }
    }
  }
  return equal;
}

function compareMap(
  desired: JsonObject,
  live: JsonObject,
  node: MapNode,
  liveParent: JsonObject | undefined,
  scope: Scope,
  path: Path | null,
  reporter: Reporter | null,
): boolean {
  const valueNode = node.value;
  const kind = leafKind(valueNode);
  const scalarValues = valueNode.t === 'leaf' || valueNode.t === 'any';
  let equal = true;
  for (const key in desired) {
    if (!hasOwn(desired, key)) continue;
    const wanted = desired[key];
    if (!hasOwn(live, key)) {
      equal = false;
      if (!reporter) return false;
      reporter.change(
        'removed',
        wanted,
        undefined,
        path!.mapEntry(key),
        valueNode,
      );
      continue;
    }
    const value = live[key] === null ? '' : live[key];
    let same: boolean;
    if (
      scalarValues &&
      !isObject(wanted) &&
      !Array.isArray(wanted) &&
      !isObject(value) &&
      !Array.isArray(value)
    ) {
      same = leafEqual(wanted, value, kind);
      if (!same)
        reporter?.change(
          'changed',
          wanted,
          value,
          path!.mapEntry(key),
          valueNode,
        );
    } else {
      same = compare(
        wanted,
        value,
        valueNode,
        live,
        scope,
        path && path.mapEntry(key),
        reporter,
      );
    }
    if (!same) {
      equal = false;
      if (!reporter) return false;
    }
  }
  let defaults: JsonValue | undefined;
  let defaultsRead = false;
  for (const key in live) {
    if (hasOwn(desired, key) || node.serverKey?.(key, scope)) continue;
    if (!defaultsRead) {
      defaults = preparedDefault(node, liveParent, scope)?.value;
      defaultsRead = true;
    }
    if (isObject(defaults) && hasOwn(defaults, key)) {
      const value = live[key] === null ? '' : live[key];
      if (compare(defaults[key], value, valueNode, live, scope, null, null))
        continue;
    }
    equal = false;
    if (!reporter) return false;
    reporter.change(
      'added',
      undefined,
      live[key],
      path!.mapEntry(key),
      valueNode,
    );
  }
  return equal;
}

function keyFields(list: ListNode | undefined): KeyField[] {
  return list?.keys ?? [];
}

function sameKey(a: JsonValue, b: JsonValue, keys: KeyField[]): boolean {
  for (const key of keys) {
    const x = keyValue(a, key);
    const y = keyValue(b, key);
    if (x === y) continue;
    if (x === undefined || y === undefined || !scalarEqual(x, y)) return false;
  }
  return true;
}

function findByKey(
  items: JsonValue[],
  item: JsonValue,
  keys: KeyField[],
): number {
  for (let i = 0; i < items.length; i++)
    if (sameKey(items[i], item, keys)) return i;
  return -1;
}

function itemPath(
  path: Path,
  desiredIndex: number | undefined,
  liveIndex: number | undefined,
  item: JsonValue,
  list: ListNode | undefined,
): Path {
  const keys = list?.mode === 'map' ? list.keys : undefined;
  if (!keys || !isObject(item)) return path.item(desiredIndex, liveIndex);
  const values: JsonObject = {};
  const label: string[] = [];
  for (const key of keys) {
    const value = keyValue(item, key);
    if (value === undefined) continue;
    values[key.name] = value;
    label.push(
      `${key.name}=${
        typeof value === 'string' ? value : JSON.stringify(value)
      }`,
    );
  }
  return path.item(desiredIndex, liveIndex, label.join(','), values);
}

function compareList(
  desired: JsonValue[],
  live: JsonValue[],
  list: ListNode | undefined,
  node: Node,
  scope: Scope,
  path: Path | null,
  reporter: Reporter | null,
): boolean {
  const mode = list?.mode ?? 'ordered';
  const itemNode = list?.item ?? ANY;
  if (mode === 'map') {
    const keys = keyFields(list);
    let equal = true;
    for (let i = 0; i < desired.length; i++) {
      const j = findByKey(live, desired[i], keys);
      if (j < 0) {
        equal = false;
        if (!reporter) return false;
        reporter.change(
          'removed',
          desired[i],
          undefined,
          itemPath(path!, i, undefined, desired[i], list),
          itemNode,
        );
        continue;
      }
      const same = compare(
        desired[i],
        live[j],
        itemNode,
        undefined,
        scope,
        path && itemPath(path, i, j, live[j], list),
        reporter,
      );
      if (!same) {
        equal = false;
        if (!reporter) return false;
      }
    }
    for (let j = 0; j < live.length; j++) {
      if (findByKey(desired, live[j], keys) >= 0) continue;
      if (list?.defaultItem?.(live[j], scope)) continue;
      equal = false;
      if (!reporter) return false;
      reporter.change(
        'added',
        undefined,
        live[j],
        itemPath(path!, undefined, j, live[j], list),
        itemNode,
      );
    }
    return equal;
  }

  if (mode === 'set') {
    const scalars = isScalarList(desired) && isScalarList(live);
    if (scalars) {
      const kind = leafKind(itemNode);
      const equal =
        desired.every(d => live.some(l => leafEqual(d, l, kind))) &&
        live.every(
          l =>
            desired.some(d => leafEqual(d, l, kind)) ||
            !!list?.defaultItem?.(l, scope),
        );
      if (!equal) reporter?.change('changed', desired, live, path!, node);
      return equal;
    }
    // Set semantics: an item matches when some item on the other side compares equal.
    const same = (d: JsonValue, l: JsonValue) =>
      compare(d, l, itemNode, undefined, scope, null, null);
    let equal = true;
    for (let i = 0; i < desired.length; i++) {
      if (live.some(l => same(desired[i], l))) continue;
      equal = false;
      if (!reporter) return false;
      reporter.change(
        'removed',
        desired[i],
        undefined,
        path!.item(i, undefined),
        itemNode,
      );
    }
    for (let j = 0; j < live.length; j++) {
      if (desired.some(d => same(d, live[j])) || list?.defaultItem?.(live[j], scope)) {
        continue;
      }
      equal = false;
      if (!reporter) return false;
      reporter.change(
        'added',
        undefined,
        live[j],
        path!.item(undefined, j),
        itemNode,
      );
    }
    return equal;
  }

  // Ordered: scalar lists (args, command) are reported whole; object lists item by item.
  if (desired.length !== live.length || isScalarList(desired)) {
    let equal = desired.length === live.length;
    for (let i = 0; equal && i < desired.length; i++) {
      equal = compare(
        desired[i],
        live[i],
        itemNode,
        undefined,
        scope,
        null,
        null,
      );
    }
    if (!equal) reporter?.change('changed', desired, live, path!, node);
    return equal;
  }
  let equal = true;
  for (let i = 0; i < desired.length; i++) {
    if (
      !compare(
        desired[i],
        live[i],
        itemNode,
        undefined,
        scope,
        path && path.item(i, i),
        reporter,
      )
    ) {
      equal = false;
      if (!reporter) return false;
    }
  }
  return equal;
}

function isScalarList(items: JsonValue[]): boolean {
  for (const item of items)
    if (isObject(item) || Array.isArray(item)) return false;
  return true;
}
