import path from 'node:path';
import type { Entity } from '@backstage/catalog-model';
import type { RenderConfig } from './config';
import { checkValuesPresent, helmArgs, helmReleaseOf } from './helm';
import { kustomizeArgs, planKustomization } from './kustomize';
import { withMaterializedTree, type TreeFile } from './materializeTree';
import {
  RenderError,
  resolveBinary,
  runTool,
  type RenderTool,
} from './runTool';

/** One render: a fetched tree and the folder in it to render. */
export interface RenderRequest {
  tool: RenderTool;
  files: TreeFile[];
  /** The folder of the chart or kustomization, relative to the tree ('' for its top). */
  dir: string;
  entity: Entity;
  signal?: AbortSignal;
}

/**
 * The whole environment a renderer runs with. Nothing is inherited from the backend (no
 * credentials, no proxy, no KUBECONFIG, no PATH, so neither tool can start git or a plugin);
 * Helm's and the XDG homes point into the private directory, so caches and repositories of
 * the host are never read. KUSTOMIZE_PLUGIN_HOME is left unset.
 */
export function toolEnvironment(home: string): Record<string, string> {
  return {
    HOME: home,
    TMPDIR: home,
    HELM_CACHE_HOME: path.join(home, 'cache'),
    HELM_CONFIG_HOME: path.join(home, 'config'),
    HELM_DATA_HOME: path.join(home, 'data'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_DATA_HOME: path.join(home, 'data'),
    KUBECONFIG: path.join(home, 'no-kubeconfig'),
  };
}

/**
 * Renders Helm charts and Kustomize overlays as Argo CD's repo server does: with the real
 * binaries, in a private copy of what was fetched, offline, bounded in time and output.
 * Returns the tool's stdout; every failure is a RenderError naming the tool.
 */
export class ManifestRenderer {
  constructor(private readonly config: RenderConfig) {}

  async render(request: RenderRequest): Promise<string> {
    const { tool, files, dir, entity } = request;
    const configured = tool === 'helm' ? this.config.helm : this.config.kustomize;
    const binary = await resolveBinary(tool, configured);
    let args: string[];
    if (tool === 'helm') {
      const release = helmReleaseOf(entity);
      const prefix = dir ? `${dir}/` : '';
      checkValuesPresent(
        release,
        new Set(
          files
            .filter(file => file.path.startsWith(prefix))
            .map(file => file.path.slice(prefix.length)),
        ),
      );
      args = helmArgs(release);
    } else {
      if (planKustomization(files, dir).ascend > 0) {
        throw new RenderError(
          'the kustomization refers to folders above the fetched tree',
        );
      }
      args = kustomizeArgs(dir || '.');
    }
    return withMaterializedTree(files, this.config.maxInputBytes, tree =>
      runTool({
        tool,
        binary,
        args,
        // Helm renders the chart it runs in; kustomize resolves the folder from the top.
        cwd: tool === 'helm' ? path.join(tree.root, dir) : tree.root,
        env: toolEnvironment(tree.home),
        timeoutMs: this.config.timeoutMs,
        maxOutputBytes: this.config.maxOutputBytes,
        signal: request.signal,
        hidePath: tree.root,
      }),
    );
  }
}
