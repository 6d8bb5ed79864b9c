import type { ManifestSource } from '../types';

/**
 * A problem with an input document. The message names the file and the 1-based document
 * number, and never quotes the document's content (it may hold Secret values).
 */
export class ManifestError extends Error {
  readonly file?: string;
  readonly document?: number;
  readonly item?: number;
  readonly reason: string;

  constructor(reason: string, where: Partial<ManifestSource> = {}) {
    super(formatLocation(where) + reason);
    this.name = 'ManifestError';
    this.reason = reason;
    this.file = where.file;
    this.document = where.document;
    this.item = where.item;
  }
}

/** `file: document 3 (item 2): ` with the parts that are known. */
export function formatLocation(where: Partial<ManifestSource>): string {
  const parts: string[] = [];
  if (where.file) parts.push(where.file);
  if (where.document !== undefined) {
    parts.push(
      where.item !== undefined
        ? `document ${where.document} (item ${where.item})`
        : `document ${where.document}`,
    );
  }
  return parts.length ? `${parts.join(': ')}: ` : '';
}
