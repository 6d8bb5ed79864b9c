import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { RenderConfig } from '../render';

const ROOT = path.resolve(__dirname, '../../../..');
const KUBE_SH = path.join(ROOT, 'scripts/kube.sh');

/**
 * The folder of the real `helm` and `kustomize` binaries: DRIFTWATCH_RENDER_BIN (set by
 * `scripts/test.sh`), else the cache of `scripts/kube.sh`, building them there when missing
 * (about a minute with a warm Go cache).
 */
export function renderBinDir(): string {
  const fromEnv = process.env.DRIFTWATCH_RENDER_BIN;
  const dir =
    fromEnv || execFileSync('bash', [KUBE_SH, 'bin'], { encoding: 'utf8' }).trim();
  const present = () =>
    ['helm', 'kustomize'].every(tool => fs.existsSync(path.join(dir, tool)));
  if (!present()) {
    execFileSync('bash', [KUBE_SH, 'build-renderers'], { stdio: 'inherit' });
  }
  if (!present()) throw new Error(`helm and kustomize are not in ${dir}`);
  return dir;
}

/** Render settings with the real binaries, and the defaults otherwise. */
export function realRenderConfig(overrides: Partial<RenderConfig> = {}): RenderConfig {
  const dir = renderBinDir();
  return {
    helm: path.join(dir, 'helm'),
    kustomize: path.join(dir, 'kustomize'),
    timeoutMs: 30_000,
    maxOutputBytes: 32 * 1024 * 1024,
    maxInputBytes: 32 * 1024 * 1024,
    ...overrides,
  };
}

/** The repository's examples folder: the demo charts and overlays are the test fixtures too. */
export const EXAMPLES = path.join(ROOT, 'examples');
