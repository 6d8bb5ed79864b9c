import path from 'node:path';
import { parse } from 'yaml';
import { kustomizationFileIn } from './detectRenderer';
import type { TreeFile } from './materializeTree';
import { RenderError } from './runTool';

/** The kustomization fields that name other kustomizations or manifests, local or remote. */
const REFERENCE_FIELDS = ['resources', 'bases', 'components'] as const;

/**
 * A reference kustomize would fetch over the network: a URL (`https://`, `ssh://`, `git::`,
 * `git@host:`) or a host-qualified repository (`github.com/org/repo//path?ref=v1`).
 */
function looksRemote(reference: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(reference) ||
    /^git(@|::)/i.test(reference) ||
    /^[a-z0-9-]+(\.[a-z0-9-]+)+\//i.test(reference) ||
    reference.includes('?ref=') ||
    reference.includes('//')
  );
}

function referencesOf(text: string): string[] {
  let document: unknown;
  try {
    document = parse(text);
  } catch {
    // kustomize reports a malformed kustomization itself, with its own line numbers.
    return [];
  }
  if (typeof document !== 'object' || document === null) return [];
  const fields = document as Record<string, unknown>;
  return REFERENCE_FIELDS.flatMap(field => {
    const value = fields[field];
    return Array.isArray(value)
      ? value.filter((v): v is string => typeof v === 'string')
      : [];
  });
}

/** How many folders above the tree's top a normalized relative path reaches. */
function levelsAbove(normalized: string): number {
  let levels = 0;
  for (const segment of normalized.split('/')) {
    if (segment !== '..') break;
    levels++;
  }
  return levels;
}

/** What a kustomization needs before it can be built offline. */
export interface KustomizePlan {
  /**
   * Folders above the fetched tree that local references reach (`../../base` from
   * `overlays/production`): the tree must be fetched that many levels higher first.
   */
  ascend: number;
}

/**
 * Checks the kustomizations reachable from `dir` (relative to the tree, '' for the top) before
 * kustomize runs: a remote base is refused, because the renderer has no network and must only
 * see what was fetched; and local bases above the tree are measured, so the caller can fetch a
 * higher folder. Anything else wrong (a missing file, bad YAML) is kustomize's to report.
 */
export function planKustomization(files: TreeFile[], dir: string): KustomizePlan {
  const paths = new Set(files.map(file => file.path));
  const folders = new Set(
    files.flatMap(file => {
      const parts = file.path.split('/').slice(0, -1);
      return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    }),
  );
  const text = new Map(files.map(file => [file.path, file.content]));
  let ascend = 0;
  const seen = new Set<string>();
  const visit = (folder: string) => {
    if (seen.has(folder)) return;
    seen.add(folder);
    const file = kustomizationFileIn(paths, folder);
    if (!file) return;
    for (const reference of referencesOf(text.get(file)!.toString('utf8'))) {
      const target = path.posix.normalize(path.posix.join(folder || '.', reference));
      const local = target === '.' ? '' : target.replace(/\/$/, '');
      if (paths.has(local) || folders.has(local) || local === '') {
        if (local !== folder) visit(local);
        continue;
      }
      const above = levelsAbove(local);
      if (above > 0) {
        ascend = Math.max(ascend, above);
      } else if (looksRemote(reference)) {
        throw new RenderError(
          `${file} refers to the remote base ${reference}: remote bases are not fetched ` +
            `(kustomize runs without network); vendor it into the repository instead`,
        );
      }
    }
  };
  visit(dir);
  return { ascend };
}

/** `kustomize build` of a folder, reading files only inside each kustomization's root. */
export function kustomizeArgs(dir: string): string[] {
  return ['build', dir, '--load-restrictor', 'LoadRestrictionsRootOnly'];
}
