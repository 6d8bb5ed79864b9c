/** Splits an RFC 6901 JSON Pointer into unescaped segments (`~1` is `/`, `~0` is `~`). */
export function parsePointer(pointer: string): string[] {
  const trimmed = pointer.trim();
  if (trimmed === '' || trimmed === '/') return [];
  if (!trimmed.startsWith('/'))
    throw new Error(
      `"${trimmed}" is not a JSON Pointer (it must start with "/")`,
    );
  return trimmed
    .slice(1)
    .split('/')
    .map(segment => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Whether a rule's pointer covers a path: equal, or a prefix of it; `*` matches any segment. */
export function pointerCovers(rule: string[], path: string[]): boolean {
  if (rule.length > path.length) return false;
  for (let i = 0; i < rule.length; i++) {
    if (rule[i] !== '*' && rule[i] !== path[i]) return false;
  }
  return true;
}
