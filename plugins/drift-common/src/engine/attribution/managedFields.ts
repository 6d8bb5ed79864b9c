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
   * The manager owning the live value at a path: the one whose entry names it most exactly
   * (`kubectl set resources` owning `resources.limits.memory` beats the apply that set
   * `resources: {}`), and among equals the one that wrote last (whose write the value shows).
   */
  ownerOf(path: Path): Attribution | undefined {
    let best: Entry | undefined;
    let bestDepth = -1;
    for (const entry of this.entries) {
      const depth = this.depthOwned(entry.fields, path);
      if (depth < 0) continue;
      if (
        depth > bestDepth ||
        (depth === bestDepth && (entry.time ?? '') > (best!.time ?? ''))
      ) {
        best = entry;
        bestDepth = depth;
      }
    }
    if (!best) return undefined;
    const { manager, operation, time, subresource } = best;
    return { manager, operation, time, subresource };
  }

  /** How deep an entry's field set reaches along the path when it owns the value, else -1. */
  private depthOwned(tree: JsonObject, path: Path): number {
    let node: JsonObject = tree;
    let depth = 0;
    for (const segment of path.segments()) {
      // A leaf (`{}` or only `.`) owns everything below it: atomic fields and lists.
      if (isLeaf(node)) return depth;
      const child = this.child(node, segment);
      if (!child) return -1;
      node = child;
      depth++;
    }
    return depth;
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
