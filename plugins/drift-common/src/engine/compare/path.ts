import type { JsonObject, JsonValue } from '../types';

/**
 * A location in the pair of objects being compared. List items carry their index on each side
 * (an item may sit at another index live, or exist on one side only) and their merge keys.
 */
export class Path {
  constructor(
    readonly parent: Path | null,
    /** Field or map key; undefined for list items. */
    readonly name: string | undefined,
    /** Whether `name` is a key of a free-form map (labels, data). */
    readonly entry: boolean,
    readonly desiredIndex: number | undefined,
    readonly liveIndex: number | undefined,
    /** `name=cart` for merge-keyed items. */
    readonly label: string | undefined,
    /** Merge key values, to find the item in managedFields (`k:{"name":"cart"}`). */
    readonly keys: JsonObject | undefined,
    /** A scalar set item, found as `v:<json>` in managedFields. */
    readonly scalar?: JsonValue,
  ) {}

  static root(): Path {
    return new Path(
      null,
      undefined,
      false,
      undefined,
      undefined,
      undefined,
      undefined,
    );
  }

  field(name: string): Path {
    return new Path(
      this,
      name,
      false,
      undefined,
      undefined,
      undefined,
      undefined,
    );
  }

  mapEntry(name: string): Path {
    return new Path(
      this,
      name,
      true,
      undefined,
      undefined,
      undefined,
      undefined,
    );
  }

  item(
    desiredIndex: number | undefined,
    liveIndex: number | undefined,
    label?: string,
    keys?: JsonObject,
  ): Path {
    return new Path(
      this,
      undefined,
      false,
      desiredIndex,
      liveIndex,
      label,
      keys,
    );
  }

  /** Segments from the root down. */
  segments(): Path[] {
    return segmentsOf(this);
  }
}

function segmentsOf(path: Path): Path[] {
  const out: Path[] = [];
  for (let at: Path | null = path; at && at.parent; at = at.parent)
    out.push(at);
  return out.reverse();
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** RFC 6901 pointer on one side; undefined when an item on the way exists only on the other side. */
export function pointerOf(
  path: Path,
  side: 'desired' | 'live',
): string | undefined {
  let out = '';
  for (const segment of path.segments()) {
    if (segment.name !== undefined) {
      out += `/${escapePointer(segment.name)}`;
    } else {
      const index =
        side === 'desired' ? segment.desiredIndex : segment.liveIndex;
      if (index === undefined) return undefined;
      out += `/${index}`;
    }
  }
  return out;
}

/** `spec.template.spec.containers[name=cart].image`. */
export function displayOf(path: Path): string {
  let out = '';
  for (const segment of path.segments()) {
    if (segment.name !== undefined) {
      out +=
        segment.entry && /[^A-Za-z0-9_-]/.test(segment.name)
          ? `[${JSON.stringify(segment.name)}]`
          : `${out ? '.' : ''}${segment.name}`;
    } else if (segment.label !== undefined) {
      out += `[${segment.label}]`;
    } else {
      out += `[${segment.liveIndex ?? segment.desiredIndex}]`;
    }
  }
  return out;
}

/** Field names from the root, list items as `[]`, for classification. */
export function fieldNamesOf(path: Path): string[] {
  return path
    .segments()
    .map(segment => (segment.name !== undefined ? segment.name : '[]'));
}
