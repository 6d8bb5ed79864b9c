import { InputError } from '@backstage/errors';

/** One requirement of a field selector: a dotted path that must (not) equal a value. */
export interface FieldRequirement {
  path: string[];
  equals: boolean;
  value: string;
}

/**
 * Parses a field selector in the API server's syntax (`metadata.name=a,type!=b`, `==` too).
 * Throws an InputError for anything else.
 */
export function parseFieldSelector(selector: string): FieldRequirement[] {
  if (!selector.trim()) return [];
  return selector.split(',').map(term => {
    const match = /^\s*([A-Za-z0-9_.-]+)\s*(==|=|!=)\s*([^,]*?)\s*$/.exec(term);
    if (!match) {
      throw new InputError(
        `Invalid field selector '${selector}': cannot read '${term}'`,
      );
    }
    return {
      path: match[1].split('.'),
      equals: match[2] !== '!=',
      value: match[3],
    };
  });
}

/** Whether an object satisfies every requirement; a missing field reads as `''`. */
export function matchesFieldSelector(
  requirements: FieldRequirement[],
  object: unknown,
): boolean {
  return requirements.every(({ path, equals, value }) => {
    let current: unknown = object;
    for (const key of path) {
      current =
        typeof current === 'object' && current !== null
          ? (current as Record<string, unknown>)[key]
          : undefined;
    }
    const actual =
      current === undefined || current === null ? '' : String(current);
    return (actual === value) === equals;
  });
}
