import type { JsonValue, RedactedValue } from '../types';
import { base64Decode, utf8Encode } from './encoding';
import { hmacSha256, toHex } from './sha256';

/** Where a Secret value lives: its object and its key in `data`. */
export interface SecretValueContext {
  /** The Secret's identity, e.g. `/Secret/shop/db` (group, kind, namespace, name). */
  resource: string;
  /** The key of the value in `data` or `stringData`. */
  dataKey: string;
}

/**
 * Stands for a Secret value in any output: never the value, only a keyed fingerprint.
 *
 * The HMAC covers the Secret and the data key as well as the value, so one password kept in
 * two Secrets, or under two keys, fingerprints differently and one cannot be matched to the
 * other. There is no unkeyed fallback: a plain SHA-256 of a short value can be brute-forced.
 */
export function redactSecretValue(
  value: JsonValue | undefined,
  key: string | Uint8Array | undefined,
  context: SecretValueContext,
): RedactedValue | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return { redacted: true };
  if (key === undefined || key.length === 0) {
    throw new Error(
      `Cannot fingerprint the value of ${context.dataKey} in ${context.resource}: no secretHashKey given`,
    );
  }
  // Fingerprint the decoded bytes, so that `data` and `stringData` spellings agree. JSON text
  // never holds a NUL byte, so the context cannot run into the value.
  const scope = utf8Encode(`${JSON.stringify([context.resource, context.dataKey])}\u0000`);
  const bytes = base64Decode(value) ?? utf8Encode(value);
  const message = new Uint8Array(scope.length + bytes.length);
  message.set(scope);
  message.set(bytes, scope.length);
  return { redacted: true, sha256: toHex(hmacSha256(key, message)).slice(0, 12) };
}

/** Whether a change location holds Secret content. */
export function isSecretContent(kind: string, fields: string[]): boolean {
  return (
    kind === 'Secret' && (fields[0] === 'data' || fields[0] === 'stringData')
  );
}

/**
 * Secret content at a location (`fields`, as from {@link isSecretContent}) with every value
 * replaced by its fingerprint: one value, or the whole `data` map.
 */
export function redactDeep(
  value: JsonValue | undefined,
  key: string | Uint8Array | undefined,
  resource: string,
  fields: string[],
): JsonValue | RedactedValue {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return { redacted: true };
  if (fields.length < 2) {
    if (typeof value !== 'object') return { redacted: true };
    const out: { [k: string]: JsonValue } = {};
    for (const dataKey of Object.keys(value))
      out[dataKey] = redactSecretValue(value[dataKey], key, {
        resource,
        dataKey,
      }) as unknown as JsonValue;
    return out;
  }
  if (typeof value === 'object') return { redacted: true };
  return redactSecretValue(value, key, { resource, dataKey: fields[1] }) ?? null;
}
