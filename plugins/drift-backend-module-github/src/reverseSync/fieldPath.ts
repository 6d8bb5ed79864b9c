/** One step of an engine field such as `spec.template.spec.containers[name=cart].image`. */
export type FieldSegment =
  | { type: 'key'; name: string }
  /** A list item named by its merge keys, e.g. `name=cart` or `containerPort=80,protocol=TCP`. */
  | { type: 'item'; keys: Array<[string, string]> }
  | { type: 'index'; index: number };

/**
 * Parses the engine's display form of a field: names joined by dots, map keys with other
 * characters as `["app.kubernetes.io/name"]`, list items as `[k=v,...]` or `[index]`.
 * Returns undefined for text it cannot read, so the change is left for a human.
 */
export function parseField(field: string): FieldSegment[] | undefined {
  const segments: FieldSegment[] = [];
  let at = 0;
  while (at < field.length) {
    if (field[at] === '.') {
      if (at === 0 || field[at + 1] === undefined) return undefined;
      at += 1;
    }
    if (field[at] === '[') {
      if (field[at + 1] === '"') {
        const end = closingQuote(field, at + 2);
        if (end < 0 || field[end + 1] !== ']') return undefined;
        segments.push({
          type: 'key',
          name: JSON.parse(field.slice(at + 1, end + 1)),
        });
        at = end + 2;
        continue;
      }
      const end = field.indexOf(']', at);
      if (end < 0) return undefined;
      const inner = field.slice(at + 1, end);
      at = end + 1;
      if (/^\d+$/.test(inner)) {
        segments.push({ type: 'index', index: Number(inner) });
        continue;
      }
      const keys = inner
        .split(/,(?=[A-Za-z0-9_-]+=)/)
        .map(pair => pair.split(/=(.*)/s).slice(0, 2) as [string, string]);
      if (keys.some(([name, value]) => !name || value === undefined))
        return undefined;
      segments.push({ type: 'item', keys });
      continue;
    }
    const match = /^[A-Za-z0-9_-]+/.exec(field.slice(at));
    if (!match) return undefined;
    segments.push({ type: 'key', name: match[0] });
    at += match[0].length;
  }
  return segments.length ? segments : undefined;
}

function closingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i;
  }
  return -1;
}
