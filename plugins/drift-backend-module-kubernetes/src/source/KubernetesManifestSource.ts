import path from 'node:path';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ForwardedError, InputError } from '@backstage/errors';
import {
  DRIFT_SOURCE_ANNOTATION,
  parseManifests,
  splitApiVersion,
  type ParsedManifest,
} from '@driftwatch/plugin-drift-common';
import type {
  DesiredState,
  DesiredStateSource,
  ProviderCallOptions,
} from '@driftwatch/plugin-drift-node';
import { isManifestFile } from '../manifestFiles';
import {
  detectRenderer,
  isHelmHook,
  ManifestRenderer,
  planKustomization,
  readRenderConfig,
  RenderError,
  type RenderConfig,
  type RenderTool,
  type TreeFile,
} from '../render';
import { KUBERNETES_TARGET_KIND } from '../target/desiredObjects';
import {
  ancestorLocation,
  readLocationTree,
  type LocationReaders,
} from './locationTree';
import { readSourceLocations, type SourceLocation } from './sourceLocations';

/** A manifest file's path (relative to its location) and text. */
interface ManifestFile {
  file: string;
  text: string;
}

/**
 * Build-tool configuration that sits next to manifests but is never applied to a cluster, so
 * it must not count as a desired object (it would always read as missing).
 */
const TOOL_GROUPS = new Set(['kustomize.config.k8s.io']);

/**
 * How many times a kustomization's bases may send the read one folder higher
 * (`overlays/production` -> `../../base` -> ...) before the location is refused.
 */
const MAX_ASCENTS = 4;

function formatError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * What a folder is read with first: its manifests, and the files that make it a chart or a
 * kustomization (`Chart.yaml` and most kustomization files are manifests by name already).
 */
function isManifestOrMarker(file: string): boolean {
  return isManifestFile(file) || file === 'Kustomization';
}

/**
 * Reads an entity's Kubernetes manifests from the locations of `driftwatch.io/source`:
 * `url:` locations through Backstage's UrlReader (a folder URL as a tree, a `.yaml`/`.yml`/
 * `.json` URL as one file), `file:` locations through the FileLocationReader, inside the
 * configured roots. A folder with a kustomization file is rendered with `kustomize build`, one
 * with a `Chart.yaml` with `helm template`; any other folder is read as plain manifests. Every
 * error names the entity, the location and, for a malformed manifest, the file and document;
 * a render error names the tool too.
 */
export class KubernetesManifestSource implements DesiredStateSource {
  readonly id = 'kubernetes-manifests';

  private readonly renderer: ManifestRenderer;
  private readonly render: RenderConfig;

  constructor(
    private readonly options: LocationReaders & {
      /** `drift.render`; its defaults when absent. */
      render?: RenderConfig;
    },
  ) {
    this.render = options.render ?? readRenderConfig(new ConfigReader({}));
    this.renderer = new ManifestRenderer(this.render);
  }

  appliesTo(entity: Entity): boolean {
    return Boolean(
      entity.metadata.annotations?.[DRIFT_SOURCE_ANNOTATION]?.trim(),
    );
  }

  async readDesired(
    entity: Entity,
    options: ProviderCallOptions,
  ): Promise<DesiredState[]> {
    const entityRef = stringifyEntityRef(entity);
    let locations: SourceLocation[];
    try {
      locations = readSourceLocations(entity);
    } catch (error) {
      throw new InputError(`${entityRef}: ${formatError(error)}`);
    }
    return Promise.all(
      locations.map(async location => {
        const files = await this.readFiles(
          entity,
          entityRef,
          location,
          options.signal,
        );
        const tool = files.folder
          ? detectRenderer(files.paths)
          : undefined;
        const documents = tool
          ? await this.renderLocation(entity, entityRef, location, tool, options.signal)
          : parseFiles(entityRef, location, files.files);
        return {
          targetKind: KUBERNETES_TARGET_KIND,
          location: location.ref,
          ...(location.environment && { environment: location.environment }),
          documents,
        };
      }),
    );
  }

  /**
   * Renders a chart or kustomization location. The whole folder is fetched (templates,
   * `charts/`, generator inputs), and for a kustomization whose bases lie above it, the folder
   * that holds them; the tool then sees only what was fetched.
   */
  private async renderLocation(
    entity: Entity,
    entityRef: string,
    location: SourceLocation,
    tool: RenderTool,
    signal?: AbortSignal,
  ): Promise<ParsedManifest[]> {
    const failed = (error: unknown) =>
      new InputError(
        `${entityRef}: cannot render ${location.ref} with ${tool}: ${formatError(error)}`,
      );
    let current = location;
    let dir = '';
    let files = await this.readTree(entity, entityRef, current, signal);
    let output: string;
    try {
      for (let ascents = 0; tool === 'kustomize'; ascents++) {
        const { ascend } = planKustomization(files, dir);
        if (ascend === 0) break;
        if (ascents === MAX_ASCENTS) {
          throw new RenderError(
            `its bases lie more than ${MAX_ASCENTS} reads above it`,
          );
        }
        const up = ancestorLocation(current, ascend);
        dir = dir ? `${up.subdir}/${dir}` : up.subdir;
        current = up.location;
        files = await this.readTree(entity, entityRef, current, signal);
      }
      output = await this.renderer.render({ tool, files, dir, entity, signal });
    } catch (error) {
      if (error instanceof RenderError) throw failed(error);
      throw error;
    }
    let rendered: ParsedManifest[];
    try {
      rendered = parseManifests(output);
    } catch (error) {
      throw failed(new RenderError(`its output is not Kubernetes objects: ${formatError(error)}`));
    }
    return rendered
      .filter(m => !(tool === 'helm' && isHelmHook(m.object)))
      .filter(m => !TOOL_GROUPS.has(splitApiVersion(m.object.apiVersion).group))
      .map(m => ({ ...m, source: { ...m.source, rendered: true } }));
  }

  private async readTree(
    entity: Entity,
    entityRef: string,
    location: SourceLocation,
    signal?: AbortSignal,
  ): Promise<TreeFile[]> {
    try {
      return await readLocationTree(this.options, entity, location, {
        signal,
        maxBytes: this.render.maxInputBytes,
      });
    } catch (error) {
      throw new ForwardedError(`${entityRef}: cannot read ${location.ref}`, error);
    }
  }

  private async readFiles(
    entity: Entity,
    entityRef: string,
    location: SourceLocation,
    signal?: AbortSignal,
  ): Promise<{ folder: boolean; paths: string[]; files: ManifestFile[] }> {
    try {
      if (location.type === 'url') {
        const pathname = new URL(location.url).pathname;
        if (isManifestFile(pathname)) {
          const response = await this.options.urlReader.readUrl(location.url, { signal });
          return {
            folder: false,
            paths: [],
            files: [
              {
                file: path.posix.basename(pathname),
                text: (await response.buffer()).toString('utf8'),
              },
            ],
          };
        }
      }
      const files = await readLocationTree(this.options, entity, location, {
        signal,
        filter: isManifestOrMarker,
      });
      return {
        // A file: location of one file comes back as that file alone.
        folder: !(
          location.type === 'file' &&
          files.length === 1 &&
          location.path.endsWith(`${path.sep}${files[0].path}`)
        ),
        paths: files.map(({ path: file }) => file),
        files: files
          .filter(({ path: file }) => isManifestFile(file))
          .map(({ path: file, content }) => ({ file, text: content.toString('utf8') })),
      };
    } catch (error) {
      // ForwardedError keeps the cause's name (NotFoundError, NotModifiedError, ...).
      throw new ForwardedError(
        `${entityRef}: cannot read ${location.ref}`,
        error,
      );
    }
  }
}

/** Plain manifests: every file's objects, build-tool configuration left out. */
function parseFiles(
  entityRef: string,
  location: SourceLocation,
  files: ManifestFile[],
): ParsedManifest[] {
  const documents: ParsedManifest[] = [];
  for (const { file, text } of files) {
    let parsed: ParsedManifest[];
    try {
      parsed = parseManifests(text, { file });
    } catch (error) {
      // The engine's message names the file and document and never quotes the content.
      throw new InputError(
        `${entityRef}: cannot parse ${location.ref}: ${formatError(error)}`,
      );
    }
    documents.push(
      ...parsed.filter(
        m => !TOOL_GROUPS.has(splitApiVersion(m.object.apiVersion).group),
      ),
    );
  }
  return documents;
}
