import type { JsonObject, JsonValue } from '../types';
import { isObject } from '../normalize/schema';
import { scalarEqual } from '../normalize/values';
import type { Path } from '../compare/path';

/** Who owns a live value, from `metadata.managedFields`. */
export interface Attribution {
  manager: string;
  operation?: string;
  time?: string;
  subresource?: string;
}

interface Entry extends Attribution {
  fields: JsonObject;
}

/** The managedFields entries of a live object, ready for lookups. */
export class ManagedFields {
  private readonly entries: Entry[];
  private readonly keyCache = new Map<string, JsonObject | null>();

  constructor(live: JsonObject) {
    const metadata = isObject(live.metadata) ? live.metadata : undefined;
    const list = Array.isArray(metadata?.managedFields)
      ? metadata!.managedFields
      : [];
    this.entries = [];
    for (const item of list) {
      if (
        !isObject(item) ||
        typeof item.manager !== 'string' ||
        !isObject(item.fieldsV1)
      )
        continue;
      this.entries.push({
        manager: item.manager,
        operation:
          typeof item.operation === 'string' ? item.operation : undefined,
        time: typeof item.time === 'string' ? item.time : undefined,
        subresource:
          typeof item.subresource === 'string' ? item.subresource : undefined,
        fields: item.fieldsV1,
      });
    }
  }

  get empty(): boolean {
    return this.entries.length === 0;
  }

  /**
   * The manager owning the live value at a path; when several share it, the one that wrote
   * last (the one whose write the live value shows).
   */
  ownerOf(path: Path): Attribution | undefined {
    let best: Entry | undefined;
    for (const entry of this.entries) {
      if (!this.owns(entry.fields, path)) continue;
      if (!best || (entry.time ?? '') > (best.time ?? '')) best = entry;
    }
    if (!best) return undefined;
    const { manager, operation, time, subresource } = best;
    return { manager, operation, time, subresource };
  }

  private owns(tree: JsonObject, path: Path): boolean {
    let node: JsonObject = tree;
    for (const segment of path.segments()) {
      // A leaf (`{}` or only `.`) owns everything below it: atomic fields and lists.
      if (isLeaf(node)) return true;
      const child = this.child(node, segment);
      if (!child) return false;
      node = child;
    }
    return true;
  }

  private child(node: JsonObject, segment: Path): JsonObject | undefined {
    if (segment.name !== undefined) {
      const child = node[`f:${segment.name}`];
      return isObject(child) ? child : undefined;
    }
    if (segment.keys) {
      for (const key of Object.keys(node)) {
        if (!key.startsWith('k:')) continue;
        const parsed = this.parseKey(key);
        if (parsed && keysMatch(parsed, segment.keys)) {
          const child = node[key];
          return isObject(child) ? child : undefined;
        }
      }
      return undefined;
    }
    if (segment.scalar !== undefined) {
      const child = node[`v:${JSON.stringify(segment.scalar)}`];
      return isObject(child) ? child : undefined;
    }
    if (segment.liveIndex !== undefined) {
      const child = node[`i:${segment.liveIndex}`];
      return isObject(child) ? child : undefined;
    }
    return undefined;
  }

  private parseKey(key: string): JsonObject | null {
    let parsed = this.keyCache.get(key);
    if (parsed === undefined) {
      try {
        const value: JsonValue = JSON.parse(key.slice(2));
        parsed = isObject(value) ? value : null;
      } catch {
        parsed = null;
      }
      this.keyCache.set(key, parsed);
    }
    return parsed;
  }
}

function isLeaf(node: JsonObject): boolean {
  for (const key in node) if (key !== '.') return false;
  return true;
}

function keysMatch(fromManagedFields: JsonObject, item: JsonObject): boolean {
  for (const key of Object.keys(item)) {
    const a = fromManagedFields[key];
    const b = item[key];
    if (a === undefined) continue; // a defaulted key such as protocol may be left out
    if (!scalarEqual(a, b)) return false;
  }
  return true;
}
