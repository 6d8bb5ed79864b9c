import fs from 'node:fs/promises';
import path from 'node:path';

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** Whether a file name is a manifest Driftwatch reads (`.yaml`, `.yml`, `.json`). */
export function isManifestFile(file: string): boolean {
  return MANIFEST_FILE.test(file);
}

/**
 * The manifest files under a directory, recursively, as sorted `/`-separated paths relative to
 * it. Hidden folders (`.git`, `.github`) hold no deployable objects and are skipped.
 */
export async function listManifestFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(relative: string): Promise<void> {
    const entries = await fs.readdir(path.join(root, relative), {
      withFileTypes: true,
    });
    for (const entry of entries) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.')) await walk(child);
      } else if (entry.isFile() && isManifestFile(entry.name)) {
        found.push(child);
      }
    }
  }
  await walk('');
  return found.sort();
}
