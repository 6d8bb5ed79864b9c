import {
  Document,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  Scalar,
  type Node,
} from 'yaml';
import type { JsonValue } from '@driftwatch/plugin-drift-common';
import { parseField } from './fieldPath';
import type { FieldEdit, ManualStep } from './planEdits';

/** The file after the edits, and the edits that could not be placed in it. */
export interface PatchResult {
  text: string;
  applied: FieldEdit[];
  manual: ManualStep[];
}

type Step = string | number;

/** Where an edit lands in the document: a path to set or delete, or a list to append to. */
type Placement =
  | { type: 'replace'; path: Step[]; node: Node | undefined }
  | { type: 'append'; path: Step[] };

function isScalarValue(
  value: unknown,
): value is string | number | boolean | null {
  return (
    value === null || ['string', 'number', 'boolean'].includes(typeof value)
  );
}

function scalarText(node: Node | undefined): string | undefined {
  return isScalar(node) && node.value !== null ? String(node.value) : undefined;
}

/**
 * Finds an edit's field in the Git document: list items by their merge keys, never by their
 * index in live, which may differ from Git's. A merge key Git leaves out (a port's default
 * `protocol: TCP`) still matches when only one item fits.
 */
function place(doc: Document, edit: FieldEdit): Placement | ManualStep {
  const segments = parseField(edit.field);
  if (!segments) return { field: edit.field, reason: 'unreadable-field' };
  const notFound: ManualStep = { field: edit.field, reason: 'not-found' };
  const path: Step[] = [];
  let node: Node | undefined = doc.contents ?? undefined;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const last = i === segments.length - 1;
    if (node === undefined) {
      // Below a map Git lacks: only plain keys can be created on the way.
      if (segment.type !== 'key' || edit.op !== 'set') return notFound;
      path.push(segment.name);
      continue;
    }
    if (segment.type === 'key') {
      if (!isMap(node)) return notFound;
      const pair = node.items.find(
        p => scalarText(p.key as Node) === segment.name,
      );
      path.push(segment.name);
      node = pair?.value as Node | undefined;
      if (!pair && !(edit.op === 'set')) return notFound;
      continue;
    }
    if (!isSeq(node)) return notFound;
    const items = node.items as Node[];
    let index = -1;
    if (segment.type === 'index') {
      index = segment.index < items.length ? segment.index : -1;
    } else {
      const fits = items
        .map((item, at) => ({ item, at }))
        .filter(({ item }) => {
          if (!isMap(item)) return false;
          let matched = 0;
          for (const [key, value] of segment.keys) {
            const text = scalarText(item.get(key, true) as Node | undefined);
            if (text === undefined) continue;
            if (text !== value) return false;
            matched += 1;
          }
          return matched > 0;
        });
      index = fits.length === 1 ? fits[0].at : -1;
    }
    if (index < 0) {
      if (last && edit.op === 'set') return { type: 'append', path };
      return notFound;
    }
    path.push(index);
    node = items[index];
  }
  return { type: 'replace', path, node };
}

/** A scalar written in place, in the quoting style Git used, so its comments stay put. */
function scalarInPlace(
  node: Node | undefined,
  value: JsonValue,
): string | undefined {
  if (!isScalar(node) || !node.range || !isScalarValue(value)) return undefined;
  if (typeof node.value !== typeof value) return undefined;
  if (typeof value !== 'string') return String(value);
  switch (node.type) {
    case Scalar.QUOTE_DOUBLE:
      return JSON.stringify(value);
    case Scalar.QUOTE_SINGLE:
      return `'${value.replace(/'/g, "''")}'`;
    case Scalar.PLAIN: {
      const rendered = new Document(value).toString({ lineWidth: 0 }).trimEnd();
      return rendered.includes('\n') ? undefined : rendered;
    }
    default:
      return undefined;
  }
}

/** Whether block lists sit at their parent key's indentation (`containers:\n- name: x`). */
function usesFlatLists(text: string): boolean {
  return /^( *)[^\s#-][^\n]*:[ \t]*\n\1- /m.test(text);
}

/**
 * Edits document `documentNumber` (1-based) of a YAML file so Git matches live, keeping the
 * rest of the file as it was. Scalar values are replaced in the text itself, so comments,
 * quoting and spacing stay exactly as they were; other edits (a field to add or remove, a list
 * item) go through the YAML document model, which keeps comments but lays out that document
 * in its own style. Other documents of the file are never touched.
 */
export function applyEdits(
  text: string,
  documentNumber: number,
  edits: FieldEdit[],
): PatchResult {
  const docs = parseAllDocuments(text);
  const doc = Array.isArray(docs) ? docs[documentNumber - 1] : undefined;
  if (!doc || doc.errors.length) {
    return {
      text,
      applied: [],
      manual: edits.map(e => ({
        field: e.field,
        reason: 'not-found' as const,
      })),
    };
  }
  const applied: FieldEdit[] = [];
  const manual: ManualStep[] = [];
  const splices: Array<{ start: number; end: number; text: string }> = [];
  let structural = false;
  for (const edit of edits) {
    const placement = place(doc, edit);
    if (!('type' in placement)) {
      manual.push(placement);
      continue;
    }
    applied.push(edit);
    const value = edit.value ?? null;
    if (placement.type === 'append') {
      doc.addIn(placement.path, doc.createNode(value));
      structural = true;
      continue;
    }
    if (edit.op === 'delete') {
      doc.deleteIn(placement.path);
      structural = true;
      continue;
    }
    const inPlace = scalarInPlace(placement.node, value);
    if (inPlace !== undefined && isScalar(placement.node)) {
      const [start, end] = placement.node.range!;
      splices.push({ start, end, text: inPlace });
      placement.node.value = value;
      continue;
    }
    doc.setIn(placement.path, doc.createNode(value));
    structural = true;
  }
  if (applied.length === 0) return { text, applied, manual };

  if (structural) {
    // The document's text runs from its `---` (or the file's start) to its end.
    const start = documentNumber === 1 ? 0 : doc.range[0];
    const end = doc.range[2];
    const rendered = doc
      .toString({ lineWidth: 0, indentSeq: !usesFlatLists(text) })
      .replace(/^[ \t]+$/gm, '');
    const prefix =
      documentNumber === 1 || text.slice(start).startsWith('---')
        ? ''
        : '---\n';
    return {
      text: text.slice(0, start) + prefix + rendered + text.slice(end),
      applied,
      manual,
    };
  }
  let out = text;
  for (const splice of splices.sort((a, b) => b.start - a.start)) {
    out = out.slice(0, splice.start) + splice.text + out.slice(splice.end);
  }
  return { text: out, applied, manual };
}
