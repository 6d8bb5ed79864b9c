import fs from 'node:fs';
import path from 'node:path';
import {
  ManifestError,
  indexManifests,
  parseManifests,
  type ParsedManifest,
} from '@driftwatch/plugin-drift-common';
import { CliError } from '../errors';

/** Largest file read, by default. Kubernetes objects are at most ~1.5 MB (etcd's limit). */
export const DEFAULT_MAX_FILE_BYTES = 32 * 1024 * 1024;

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return code ? code.toLowerCase() : 'cannot be read';
  }
}

function byName(a: fs.Dirent, b: fs.Dirent): number {
  if (a.name === b.name) return 0;
  return a.name < b.name ? -1 : 1;
}

/** Files under a path: the file itself, or every .yaml/.yml/.json below a directory, sorted. */
export function listManifestFiles(target: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch (error) {
    throw new CliError(`${target}: cannot read (${reason(error)})`);
  }
  if (!stat.isDirectory()) return [target];
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (dir: string) => {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch (error) {
      throw new CliError(`${dir}: cannot read (${reason(error)})`);
    }
    if (seen.has(real)) return; // a symbolic link loop
    seen.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      throw new CliError(`${dir}: cannot read (${reason(error)})`);
    }
    entries.sort(byName);
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const linked = fs.statSync(full);
          isDirectory = linked.isDirectory();
          isFile = linked.isFile();
        } catch (error) {
          throw new CliError(`${full}: cannot read (${reason(error)})`);
        }
      }
      if (isDirectory) walk(full);
      else if (
        isFile &&
        MANIFEST_EXTENSIONS.has(path.extname(entry.name).toLowerCase())
      )
        out.push(full);
    }
  };
  walk(target);
  return out;
}

/** Counts documents started in the first bytes of a file, to say where a size limit was crossed. */
function documentAt(buffer: Buffer): number {
  const text = buffer.toString('utf8');
  const firstContent = text.search(/\S/);
  let documents = 1;
  for (const match of text.matchAll(/^---/gm)) {
    // A separator before any content opens the first document rather than a new one.
    if (
      firstContent >= 0 &&
      match.index !== undefined &&
      match.index > firstContent
    )
      documents++;
  }
  return documents;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Reads a text file, refusing files over the size limit without loading them whole. */
export function readTextFile(file: string, maxBytes: number): string {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    throw new CliError(`${file}: cannot read (${reason(error)})`);
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size > maxBytes) {
      const head = Buffer.alloc(maxBytes);
      const read = fs.readSync(fd, head, 0, maxBytes, 0);
      const document = documentAt(head.subarray(0, read));
      throw new CliError(
        `${file}: document ${document}: file is ${megabytes(
          size,
        )}, over the ${megabytes(maxBytes)} input limit`,
      );
    }
    const buffer = Buffer.alloc(size);
    let offset = 0;
    while (offset < size) {
      const read = fs.readSync(fd, buffer, offset, size - offset, offset);
      if (read === 0) break;
      offset += read;
    }
    return buffer.subarray(0, offset).toString('utf8');
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${file}: cannot read (${reason(error)})`);
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads and parses every manifest under the given paths; duplicate identities are errors. */
export function readManifests(
  targets: string[],
  maxBytes: number,
): ParsedManifest[] {
  const manifests: ParsedManifest[] = [];
  for (const target of targets) {
    for (const file of listManifestFiles(target)) {
      const text = readTextFile(file, maxBytes);
      try {
        manifests.push(...parseManifests(text, { file }));
      } catch (error) {
        if (error instanceof ManifestError) throw new CliError(error.message);
        throw error;
      }
    }
  }
  try {
    indexManifests(manifests);
  } catch (error) {
    if (error instanceof ManifestError) throw new CliError(error.message);
    throw error;
  }
  return manifests;
}
