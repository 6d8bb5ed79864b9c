import { Composer, Parser, type CST, type Document, type Tags } from 'yaml';
import type {
  JsonObject,
  JsonValue,
  KubeObject,
  ManifestSource,
  ParsedManifest,
} from '../types';
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
  /**
   * Largest single value, in characters (default 4 MiB). Kubernetes keeps at most 1.5 MiB per
   * object; a larger value is a mistake or an attack, and would cost far more memory to read.
   */
  maxValueLength?: number;
}

const DEFAULT_MAX_VALUE_LENGTH = 4 * 1024 * 1024;

/** The length of the longest scalar in a CST token, stopping early once over the limit. */
function longestScalar(
  token: CST.Token | undefined,
  limit: number,
  depth = 0,
): number {
  if (!token || depth > 10_000) return 0;
  if ('source' in token && typeof token.source === 'string') {
    return token.source.length;
  }
  let longest = 0;
  const visit = (child: CST.Token | undefined) => {
    if (longest > limit) return;
    longest = Math.max(longest, longestScalar(child, limit, depth + 1));
  };
  if (token.type === 'document') visit(token.value);
  if ('items' in token && Array.isArray(token.items)) {
    for (const item of token.items as CST.CollectionItem[]) {
      visit(item.key ?? undefined);
      visit(item.value ?? undefined);
      if (longest > limit) break;
    }
  }
  return longest;
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
    if (typeof tag === 'string')
      return ![
        'binary',
        'floatTime',
        'intTime',
        'omap',
        'pairs',
        'set',
        'timestamp',
      ].includes(tag);
    if (DROPPED_TAGS.has(tag.tag)) return false;
    return !('format' in tag && tag.format === 'TIME');
  });
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++)
    if (text.charCodeAt(i) === 10) line++;
  return line;
}

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks that a value is a Kubernetes object and returns it typed; throws otherwise. */
function asKubeObject(value: unknown, where: ManifestSource): KubeObject {
  if (!isPlainObject(value)) {
    const what = Array.isArray(value)
      ? 'a list'
      : `a ${value === null ? 'null' : typeof value}`;
    throw new ManifestError(
      `not a Kubernetes object (found ${what}, expected a mapping with apiVersion, kind and metadata.name)`,
      where,
    );
  }
  const missing: string[] = [];
  if (typeof value.apiVersion !== 'string' || !value.apiVersion)
    missing.push('apiVersion');
  if (typeof value.kind !== 'string' || !value.kind) missing.push('kind');
  const metadata = value.metadata;
  if (!isPlainObject(metadata)) missing.push('metadata');
  else if (typeof metadata.name !== 'string' || !metadata.name)
    missing.push('metadata.name');
  if (missing.length) {
    throw new ManifestError(
      `not a Kubernetes object (no ${missing.join(', ')})`,
      where,
    );
  }
  const namespace = (metadata as JsonObject).namespace;
  if (
    namespace !== undefined &&
    namespace !== null &&
    typeof namespace !== 'string'
  ) {
    throw new ManifestError('metadata.namespace must be a string', where);
  }
  return value as KubeObject;
}

function isListDocument(value: JsonObject): boolean {
  return (
    typeof value.kind === 'string' &&
    value.kind.endsWith('List') &&
    Array.isArray(value.items) &&
    (value.metadata === undefined ||
      value.metadata === null ||
      isPlainObject(value.metadata)) &&
    !(isPlainObject(value.metadata) && value.metadata.name)
  );
}

function toManifest(value: unknown, where: ManifestSource): ParsedManifest {
  const object = asKubeObject(value, where);
  const metadata = object.metadata;
  const namespace =
    typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  return {
    id: identityOf(
      object.apiVersion,
      object.kind,
      metadata.name as string,
      namespace,
    ),
    object,
    source: where,
  };
}

/** Expands one parsed document into objects: a `kind: List` gives its items. */
function expandDocument(
  value: unknown,
  where: ManifestSource,
  out: ParsedManifest[],
): void {
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
export function parseManifests(
  text: string,
  options: ParseOptions = {},
): ParsedManifest[] {
  const { file, format = 'auto', maxAliasCount = 100 } = options;
  const out: ParsedManifest[] = [];
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;

  const looksJson =
    format === 'json' || (format === 'auto' && /^\s*[{[]/.test(source));
  if (looksJson) {
    const value = parseJson(source);
    if (value !== NOT_JSON) {
      expandDocument(value, { file, document: 1 }, out);
      return out;
    }
  }

  // Documents are composed one at a time, so that memory holds one document's syntax tree.
  const composer = new Composer({
    version: '1.1',
    uniqueKeys: true,
    prettyErrors: false,
    merge: true,
    customTags: kubectlTags,
  });
  const maxValueLength = options.maxValueLength ?? DEFAULT_MAX_VALUE_LENGTH;
  let index = 0;
  let composed = 0;
  const read = (doc: Document.Parsed) => {
    composed++;
    const where: ManifestSource = { file, document: composed };
    const problem = doc.errors[0];
    if (problem) {
      const line = lineOf(source, problem.pos[0]);
      throw new ManifestError(
        `invalid YAML at line ${line}: ${problem.message}`,
        where,
      );
    }
    let value: unknown;
    try {
      // The round trip through JSON copies strings out of the parser's buffers, which the
      // values would otherwise keep alive (about ten times the size of the text).
      value = JSON.parse(JSON.stringify(doc.toJS({ maxAliasCount })) ?? 'null');
    } catch (error) {
      throw new ManifestError(`cannot read YAML (${describe(error)})`, where);
    }
    expandDocument(value, where, out);
  };
  try {
    for (const token of new Parser().parse(source)) {
      if (token.type === 'document') {
        index++;
        const longest = longestScalar(token, maxValueLength);
        if (longest > maxValueLength) {
          throw new ManifestError(
            `a value of ${(longest / (1024 * 1024)).toFixed(
              1,
            )} MiB is over the ${(maxValueLength / (1024 * 1024)).toFixed(
              1,
            )} MiB limit`,
            { file, document: index },
          );
        }
      }
      for (const doc of composer.next(token)) read(doc);
    }
    for (const doc of composer.end()) read(doc);
  } catch (error) {
    if (error instanceof ManifestError) throw error;
    throw new ManifestError(`cannot parse YAML (${describe(error)})`, {
      file,
      document: Math.max(index, 1),
    });
  }
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
export function indexManifests(
  manifests: ParsedManifest[],
): Map<string, ParsedManifest> {
  const index = new Map<string, ParsedManifest>();
  for (const manifest of manifests) {
    const key = matchKey(manifest.id);
    const previous = index.get(key);
    if (previous) {
      const where = previous.source;
      const first = `${where.file ? `${where.file} ` : ''}document ${
        where.document
      }${where.item !== undefined ? ` (item ${where.item})` : ''}`;
      throw new ManifestError(
        `${resourceKey(manifest.id)} is defined twice (also in ${first})`,
        manifest.source,
      );
    }
    index.set(key, manifest);
  }
  return index;
}
