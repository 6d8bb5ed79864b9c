import type { JsonValue } from '../types';
import type { LeafKind } from './schema';
import { canonicalQuantity } from './quantity';
import { base64Encode, canonicalBase64, utf8Encode } from '../redact/encoding';

/** A scalar in its canonical form for its kind. */
export function canonicalLeaf(value: JsonValue, kind: LeafKind): JsonValue {
  switch (kind) {
    case 'quantity':
      return typeof value === 'string' || typeof value === 'number'
        ? canonicalQuantity(value)
        : value;
    case 'intOrString':
      if (typeof value === 'string' && /^-?\d+$/.test(value))
        return Number(value);
      return value;
    case 'secret':
      if (value === null || value === undefined) return '';
      return typeof value === 'string'
        ? canonicalBase64(value)
        : base64Encode(utf8Encode(String(value)));
    default:
      return value;
  }
}

/** Whether two scalars are equal; numbers and their text count as equal (`'30'` and `30`). */
export function scalarEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  const ta = typeof a;
  const tb = typeof b;
  if (ta === tb || a === null || b === null) return false;
  if (
    (ta === 'string' || ta === 'number' || ta === 'boolean') &&
    (tb === 'string' || tb === 'number' || tb === 'boolean')
  ) {
    return String(a) === String(b);
  }
  return false;
}

/** Compares a canonical desired scalar with a raw live scalar. */
export function leafEqual(
  desired: JsonValue,
  live: JsonValue,
  kind: LeafKind,
): boolean {
  if (desired === live) return true;
  if (kind === 'plain') return scalarEqual(desired, live);
  return scalarEqual(desired, canonicalLeaf(live, kind));
}

/** Go zero values, which an omitempty field never serializes. */
export function isZeroScalar(value: JsonValue, kind: LeafKind): boolean {
  if (value === null || value === false || value === 0 || value === '')
    return true;
  if (
    kind === 'quantity' &&
    (typeof value === 'string' || typeof value === 'number')
  ) {
    return canonicalQuantity(value) === '0';
  }
  return false;
}
