import type { JsonValue, RedactedValue } from '../types';
import { base64Decode, utf8Encode } from './encoding';
import { hmacSha256, sha256, toHex } from './sha256';

/** Stands for a Secret value in any output: never the value, only a fingerprint. */
export function redactSecretValue(
  value: JsonValue | undefined,
  key?: string | Uint8Array,
): RedactedValue | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return { redacted: true };
  // Fingerprint the decoded bytes, so that `data` and `stringData` spellings agree.
  const bytes = base64Decode(value) ?? utf8Encode(value);
  const digest = key === undefined ? sha256(bytes) : hmacSha256(key, bytes);
  return { redacted: true, sha256: toHex(digest).slice(0, 12) };
}

/** Whether a change location holds Secret content. */
export function isSecretContent(kind: string, fields: string[]): boolean {
  return (
    kind === 'Secret' && (fields[0] === 'data' || fields[0] === 'stringData')
  );
}

/** A Secret's data map with every value replaced by its fingerprint. */
export function redactDeep(
  value: JsonValue | undefined,
  key?: string | Uint8Array,
): JsonValue | RedactedValue {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return { redacted: true };
  if (typeof value === 'object') {
    const out: { [k: string]: JsonValue } = {};
    for (const k of Object.keys(value))
      out[k] = redactSecretValue(value[k], key) as unknown as JsonValue;
    return out;
  }
  return redactSecretValue(value, key) ?? null;
}
