import { parse as parseYaml } from 'yaml';
import type { IgnoreRule, JsonValue, ResourceIdentity } from '../types';
import { ManifestError } from '../parse/errors';
import { parsePointer, pointerCovers } from './pointer';
import { isObject } from '../normalize/schema';

export {
  DRIFT_COMPARE_ANNOTATION as COMPARE_ANNOTATION,
  DRIFT_IGNORE_PATHS_ANNOTATION as IGNORE_PATHS_ANNOTATION,
} from '../../annotations';

/** Ignore rules compiled for one object. */
export interface ObjectIgnores {
  pointers: string[][];
  managers: Set<string>;
}

function selects(rule: IgnoreRule, id: ResourceIdentity): boolean {
  if (rule.kind !== undefined && rule.kind !== id.kind) return false;
  if (rule.name !== undefined && rule.name !== id.name) return false;
  if (
    rule.namespace !== undefined &&
    (rule.namespace || undefined) !== id.namespace
  )
    return false;
  if (rule.group !== undefined && rule.group !== id.group) return false;
  return true;
}

/** Splits the `driftwatch.io/ignore-paths` annotation value. */
export function splitIgnorePaths(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map(part => part.trim())
    .filter(part => part.length > 0);
}

/** The rules that apply to one object, plus the pointers of its own annotation. */
export function ignoresFor(
  rules: IgnoreRule[] | undefined,
  id: ResourceIdentity,
  annotationPaths: string[],
): ObjectIgnores {
  const pointers: string[][] = [];
  const managers = new Set<string>();
  for (const rule of rules ?? []) {
    if (!selects(rule, id)) continue;
    for (const path of rule.paths ?? []) pointers.push(parsePointer(path));
    for (const manager of rule.managers ?? []) managers.add(manager);
  }
  for (const path of annotationPaths) {
    try {
      pointers.push(parsePointer(path));
    } catch {
      // An annotation that is not a pointer ignores nothing.
    }
  }
  return { pointers, managers };
}

/** Whether any pointer covers one of the change's locations (desired or live side). */
export function isIgnoredPath(
  ignores: ObjectIgnores,
  locations: Array<string | undefined>,
): boolean {
  if (ignores.pointers.length === 0) return false;
  for (const location of locations) {
    if (location === undefined) continue;
    const segments = parsePointer(location);
    if (ignores.pointers.some(rule => pointerCovers(rule, segments)))
      return true;
  }
  return false;
}

function stringList(
  value: JsonValue | undefined,
  what: string,
  where: string,
): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every(item => typeof item === 'string')) {
    throw new ManifestError(`${where}: ${what} must be a list of strings`);
  }
  return value as string[];
}

/**
 * Reads an ignore file: `ignore: [{paths: [...], kind?, namespace?, name?}, {managers: [...]}]`.
 * Throws a {@link ManifestError} naming the file and the rule.
 */
export function parseIgnoreRules(text: string, file?: string): IgnoreRule[] {
  let document: unknown;
  try {
    document = parseYaml(text, {
      uniqueKeys: true,
      prettyErrors: false,
      maxAliasCount: 100,
    });
  } catch (error) {
    const message =
      error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ManifestError(`invalid YAML (${message})`, { file, document: 1 });
  }
  if (document === null || document === undefined) return [];
  if (
    !isObject(document) ||
    (document.ignore !== undefined &&
      document.ignore !== null &&
      !Array.isArray(document.ignore))
  ) {
    throw new ManifestError('expected a mapping with an "ignore" list', {
      file,
      document: 1,
    });
  }
  const list = (document.ignore as JsonValue[] | undefined) ?? [];
  return list.map((entry, index) => {
    const where = `rule ${index + 1}`;
    const fail = (reason: string) =>
      new ManifestError(`${where}: ${reason}`, { file, document: 1 });
    if (!isObject(entry)) throw fail('must be a mapping');
    const rule: IgnoreRule = {};
    try {
      rule.paths = stringList(entry.paths, 'paths', where);
      rule.managers = stringList(entry.managers, 'managers', where);
    } catch (error) {
      throw fail(
        error instanceof ManifestError
          ? error.reason.replace(`${where}: `, '')
          : String(error),
      );
    }
    for (const key of ['kind', 'namespace', 'name', 'group'] as const) {
      const value = entry[key];
      if (value === undefined || value === null) continue;
      if (typeof value !== 'string') throw fail(`${key} must be a string`);
      rule[key] = value;
    }
    if (!rule.paths && !rule.managers)
      throw fail('needs "paths" or "managers"');
    for (const path of rule.paths ?? []) {
      try {
        parsePointer(path);
      } catch (error) {
        throw fail(error instanceof Error ? error.message : String(error));
      }
    }
    if (rule.paths === undefined) delete rule.paths;
    if (rule.managers === undefined) delete rule.managers;
    return rule;
  });
}
