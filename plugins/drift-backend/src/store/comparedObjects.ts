/**
 * The largest normalized object kept per resource, in characters of JSON. Objects are kept only
 * to compare one object across environments; a larger one is left out of that comparison rather
 * than let one resource grow the table without bound.
 */
export const MAX_STORED_OBJECT_CHARS = 64 * 1024;

/**
 * A compared object as stored: its JSON, or null for a Secret (whose values are never stored,
 * not even normalized) and for an object over the size bound.
 */
export function storedObject(kind: string, json: string | undefined): string | null {
  if (!json || kind === 'Secret') return null;
  return json.length <= MAX_STORED_OBJECT_CHARS ? json : null;
}
