import type { JsonObject, JsonValue, RedactedValue } from '../types';
import { isObject } from '../normalize/schema';

// Terraform marks sensitive attributes in `before_sensitive` and `after_sensitive`: a tree of the
// value's shape with `true` where a value is sensitive.

export const SENSITIVE: RedactedValue = { redacted: true };

/**
 * The marks of both sides together. A value sensitive on one side is sensitive on the other:
 * a provider may mark an attribute only where it knows the schema, and the other side's value
 * is the same secret before or after it changed.
 */
export function unionMarks(
  a: JsonValue | undefined,
  b: JsonValue | undefined,
): JsonValue | undefined {
  if (a === true || b === true) return true;
  const aTree = Array.isArray(a) || isObject(a);
  const bTree = Array.isArray(b) || isObject(b);
  if (!aTree) return bTree ? b : undefined;
  if (!bTree) return a;
  if (Array.isArray(a) && Array.isArray(b)) {
    return Array.from(
      { length: Math.max(a.length, b.length) },
      (_, i) => unionMarks(a[i], b[i]) ?? false,
    );
  }
  // Shapes disagree (a list on one side, an object on the other): index both by key.
  const out: JsonObject = {};
  const left = a as JsonObject;
  const right = b as JsonObject;
  for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
    out[key] = unionMarks(left[key], right[key]) ?? false;
  }
  return out;
}

/** The marks below a path; `true` when the path lies inside a sensitive value. */
export function marksAt(
  marks: JsonValue | undefined,
  path: string[],
): JsonValue | undefined {
  let node = marks;
  for (const segment of path) {
    if (node === true) return true;
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isObject(node)) node = node[segment];
    else return undefined;
  }
  return node;
}

/** Whether a path is sensitive according to marks. */
export function isSensitive(
  marks: JsonValue | undefined,
  path: string[],
): boolean {
  return marksAt(marks, path) === true;
}

/** A value with its sensitive parts replaced by what `replace` gives for them. */
export function redactMarked<T extends JsonValue | RedactedValue>(
  value: JsonValue | undefined,
  marks: JsonValue | undefined,
  replace: (value: JsonValue, path: string[]) => T,
  path: string[] = [],
): JsonValue | T | undefined {
  if (value === undefined) return undefined;
  if (marks === true) return replace(value, path);
  if (Array.isArray(value)) {
    // Marks of a list are a list, or keyed by index where the two sides' shapes disagreed.
    const markOf = (i: number) => {
      if (Array.isArray(marks)) return marks[i];
      return isObject(marks) ? marks[String(i)] : undefined;
    };
    return value.map(
      (item, i) =>
        redactMarked(item, markOf(i), replace, [...path, String(i)]) as JsonValue,
    );
  }
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const key of Object.keys(value)) {
      out[key] = redactMarked(
        value[key],
        isObject(marks) ? marks[key] : undefined,
        replace,
        [...path, key],
      ) as JsonValue;
    }
    return out;
  }
  return value;
}
