import { parseAllDocuments, type Tags } from 'yaml';
import type { JsonObject, JsonValue, KubeObject, ManifestSource, ParsedManifest } from '../types';
import { ManifestError } from './errors';
import { identityOf, matchKey, resourceKey } from './identity';

/** Options of {@link parseManifests}. */
export interface ParseOptions {
  /** Name of the file, used in error messages and in each object's source. */
  file?: string;
  /** `auto` (default) reads JSON with the JSON parser when the text starts with `{`. */
  format?: 'auto' | 'yaml' | 'json';
  /** Aliases allowed per document; the default 100 stops alias bombs ("billion laughs"). */
  maxAliasCount?: number;
}

// YAML 1.1 as kubectl reads it (sigs.k8s.io/yaml uses go-yaml v2): `0644` is octal and `yes`
// is a boolean. Tags that would turn scalars into non-JSON values (timestamps, binary, sets,
// sexagesimal numbers) are dropped so that every value stays plain JSON.
const DROPPED_TAGS = new Set([
  'tag:yaml.org,2002:binary',
  'tag:yaml.org,2002:omap',
  'tag:yaml.org,2002:pairs',
  'tag:yaml.org,2002:set',
  'tag:yaml.org,2002:timestamp',
]);

function kubectlTags(tags: Tags): Tags {
  return tags.filter(tag => {
    if (typeof tag === 'string') return !['binary', 'floatTime', 'intTime', 'omap', 'pairs', 'set', 'timestamp'].includes(tag);
    if (DROPPED_TAGS.has(tag.tag)) return false;
    return !('format' in tag && tag.format === 'TIME');
  });
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks that a value is a Kubernetes object and returns it typed; throws otherwise. */
function asKubeObject(value: unknown, where: ManifestSource): KubeObject {
  if (!isPlainObject(value)) {
    const what = Array.isArray(value) ? 'a list' : `a ${value === null ? 'null' : typeof value}`;
    throw new ManifestError(
      `not a Kubernetes object (found ${what}, expected a mapping with apiVersion, kind and metadata.name)`,
      where,
    );
  }
  const missing: string[] = [];
  if (typeof value.apiVersion !== 'string' || !value.apiVersion) missing.push('apiVersion');
  if (typeof value.kind !== 'string' || !value.kind) missing.push('kind');
  const metadata = value.metadata;
  if (!isPlainObject(metadata)) missing.push('metadata');
  else if (typeof metadata.name !== 'string' || !metadata.name) missing.push('metadata.name');
  if (missing.length) {
    throw new ManifestError(`not a Kubernetes object (no ${missing.join(', ')})`, where);
  }
  const namespace = (metadata as JsonObject).namespace;
  if (namespace !== undefined && namespace !== null && typeof namespace !== 'string') {
    throw new ManifestError('metadata.namespace must be a string', where);
  }
  return value as KubeObject;
}

function isListDocument(value: JsonObject): boolean {
  return (
    typeof value.kind === 'string' &&
    value.kind.endsWith('List') &&
    Array.isArray(value.items) &&
    (value.metadata === undefined || value.metadata === null || isPlainObject(value.metadata)) &&
    !(isPlainObject(value.metadata) && value.metadata.name)
  );
}

function toManifest(value: unknown, where: ManifestSource): ParsedManifest {
  const object = asKubeObject(value, where);
  const metadata = object.metadata;
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  return {
    id: identityOf(object.apiVersion, object.kind, metadata.name as string, namespace),
    object,
    source: where,
  };
}

/** Expands one parsed document into objects: a `kind: List` gives its items. */
function expandDocument(value: unknown, where: ManifestSource, out: ParsedManifest[]): void {
  if (value === null || value === undefined) return; // an empty document, e.g. a trailing `---`
  if (isPlainObject(value) && isListDocument(value)) {
    (value.items as JsonValue[]).forEach((item, index) => {
      out.push(toManifest(item, { ...where, item: index + 1 }));
    });
    return;
  }
  out.push(toManifest(value, where));
}

const NOT_JSON = Symbol('not-json');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON; // the YAML parser then reports the problem without quoting the input
  }
}

/**
 * Parses multi-document YAML, JSON or `kind: List` text into Kubernetes objects.
 * Throws a {@link ManifestError} naming the file and the 1-based document number.
 */
export function parseManifests(text: string, options: ParseOptions = {}): ParsedManifest[] {
  const { file, format = 'auto', maxAliasCount = 100 } = options;
  const out: ParsedManifest[] = [];
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;

  const looksJson = format === 'json' || (format === 'auto' && /^\s*[{[]/.test(source));
  if (looksJson) {
    const value = parseJson(source);
    if (value !== NOT_JSON) {
      expandDocument(value, { file, document: 1 }, out);
      return out;
    }
  }

  let documents;
  try {
    documents = parseAllDocuments(source, {
      version: '1.1',
      uniqueKeys: true,
      prettyErrors: false,
      merge: true,
      customTags: kubectlTags,
    });
  } catch (error) {
    throw new ManifestError(`cannot parse YAML (${describe(error)})`, { file, document: 1 });
  }
  const list = Array.isArray(documents) ? documents : [];
  list.forEach((doc, index) => {
    const where: ManifestSource = { file, document: index + 1 };
    const problem = doc.errors[0];
    if (problem) {
      const line = lineOf(source, problem.pos[0]);
      throw new ManifestError(`invalid YAML at line ${line}: ${problem.message}`, where);
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount });
    } catch (error) {
      throw new ManifestError(`cannot read YAML (${describe(error)})`, where);
    }
    expandDocument(value, where, out);
  });
  return out;
}

function describe(error: unknown): string {
  if (error instanceof RangeError) return 'nesting is too deep';
  const message = error instanceof Error ? error.message : String(error);
  // Messages of the YAML library name aliases and tags, never values; keep them short anyway.
  return message.split('\n')[0].slice(0, 200);
}

/**
 * Indexes objects by identity and rejects two objects with the same identity, naming both.
 * Returns a map from {@link matchKey} to the object.
 */
export function indexManifests(manifests: ParsedManifest[]): Map<string, ParsedManifest> {
  const index = new Map<string, ParsedManifest>();
  for (const manifest of manifests) {
    const key = matchKey(manifest.id);
    const previous = index.get(key);
    if (previous) {
      const where = previous.source;
      const first = `${where.file ? `${where.file} ` : ''}document ${where.document}${
        where.item !== undefined ? ` (item ${where.item})` : ''
      }`;
      throw new ManifestError(
        `${resourceKey(manifest.id)} is defined twice (also in ${first})`,
        manifest.source,
      );
    }
    index.set(key, manifest);
  }
  return index;
}
