import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RenderError } from './runTool';

/** One file of a fetched location: a `/`-separated path relative to it, and its content. */
export interface TreeFile {
  path: string;
  content: Buffer;
}

/** A private working directory holding a fetched tree, for one render. */
export interface MaterializedTree {
  /** The tree's root. */
  root: string;
  /** The renderer's home: caches and configuration go here, never to the backend's. */
  home: string;
  /** The whole private directory; every path a tool sees is inside it. */
  base: string;
}

/** The paths of a tree are Git's: relative, `/`-separated, with no way out of the tree. */
function checkPath(file: string): string {
  const segments = file.split('/');
  if (
    !file ||
    file.includes('\0') ||
    file.includes('\\') ||
    path.posix.isAbsolute(file) ||
    segments.some(s => s === '' || s === '.' || s === '..')
  ) {
    throw new RenderError(`the fetched tree holds a file with an unsafe path: ${JSON.stringify(file)}`);
  }
  return path.join(...segments);
}

/**
 * Writes a fetched tree into a fresh private directory (mode 0700 under the OS temp directory),
 * runs `fn` with it and removes it afterwards, whatever `fn` does. Refuses more than `maxBytes`
 * in all, and paths that would land outside the directory.
 */
export async function withMaterializedTree<T>(
  files: TreeFile[],
  maxBytes: number,
  fn: (tree: MaterializedTree) => Promise<T>,
): Promise<T> {
  const total = files.reduce((sum, file) => sum + file.content.length, 0);
  if (total > maxBytes) {
    throw new RenderError(
      `the location holds ${total} bytes, more than the ${maxBytes} of drift.render.maxInputBytes`,
    );
  }
  const relative = files.map(file => checkPath(file.path));
  const base = await fs.mkdtemp(path.join(os.tmpdir(), 'driftwatch-render-'));
  try {
    await fs.chmod(base, 0o700);
    const root = path.join(base, 'tree');
    const home = path.join(base, 'home');
    await fs.mkdir(root, { mode: 0o700 });
    await fs.mkdir(home, { mode: 0o700 });
    for (const [index, file] of files.entries()) {
      const target = path.join(root, relative[index]);
      await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      // `wx`: a path given twice, or through a folder that is also a file, fails instead of
      // writing somewhere unexpected.
      await fs.writeFile(target, file.content, { flag: 'wx', mode: 0o600 });
    }
    return await fn({ root, home, base });
  } finally {
    await fs.rm(base, { recursive: true, force: true });
  }
}
