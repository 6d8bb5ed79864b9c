import { createHash } from 'node:crypto';
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
import {
  LruCache,
  type DesiredState,
  type DesiredStateSource,
  type ProviderCallOptions,
  type ScanWorkCounter,
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
import { ancestorLocation, type LocationReaders } from './locationTree';
import { LocationReads, type ReadStamp } from './LocationReads';
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

/** How long the reads of one location (with its kustomization bases) may take. */
const READ_TIMEOUT_MS = 120_000;

/** Bounds of the cache of locations' last results. */
export interface ManifestCacheLimits {
  /** Most locations kept; 5000 by default. */
  maxEntries?: number;
  /** Most bytes of documents kept, counted as JSON; 64 MiB by default. */
  maxBytes?: number;
}

/** A location's last result and the reads it came from, each with its ETag. */
interface CachedLocation {
  reads: ReadStamp[];
  /** The tool it was rendered with; none for plain manifests. */
  tool?: RenderTool;
  documents?: ParsedManifest[];
  /** What its files fail with, every time: they do not parse or render. */
  error?: Error;
}

/**
 * A failure that the same files give every time (a manifest that does not parse, a chart that
 * does not render), so it is kept with the reads until they change. A failed read, or a tool
 * that timed out, is not one. Its name is still `InputError`.
 */
class ManifestInputError extends InputError {}

function formatError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Locations are cached per entity: a relative `file:` path resolves against the entity's
 * catalog file, and a chart renders with the release and values its annotations name.
 */
function cacheKeyOf(
  entityRef: string,
  entity: Entity,
  location: SourceLocation,
): string {
  const annotations = createHash('sha256')
    .update(JSON.stringify(entity.metadata.annotations ?? {}))
    .digest('base64url');
  const where =
    location.type === 'file' ? `file:${location.path}` : `url:${location.url}`;
  return `${entityRef}|${annotations}|${where}`;
}

/**
 * Reads an entity's Kubernetes manifests from the locations of `driftwatch.io/source`:
 * `url:` locations through Backstage's UrlReader (a folder URL as a tree, a `.yaml`/`.yml`/
 * `.json` URL as one file), `file:` locations through the FileLocationReader, inside the
 * configured roots. A folder with a kustomization file is rendered with `kustomize build`, one
 * with a `Chart.yaml` with `helm template`; any other folder is read as plain manifests. Every
 * error names the entity, the location and, for a malformed manifest, the file and document;
 * a render error names the tool too.
 *
 * Each location's result is kept with the ETags of the reads it came from (for `file:`, a
 * fingerprint of the files). The next scan passes them back: when every read answers "not
 * modified", the location is neither fetched, parsed nor rendered again.
 */
export class KubernetesManifestSource implements DesiredStateSource {
  readonly id = 'kubernetes-manifests';

  private readonly renderer: ManifestRenderer;
  private readonly render: RenderConfig;
  private readonly cache: LruCache<CachedLocation>;

  constructor(
    private readonly options: LocationReaders & {
      /** `drift.render`; its defaults when absent. */
      render?: RenderConfig;
      cache?: ManifestCacheLimits;
    },
  ) {
    this.render = options.render ?? readRenderConfig(new ConfigReader({}));
    this.renderer = new ManifestRenderer(this.render);
    this.cache = new LruCache({
      maxEntries: options.cache?.maxEntries ?? 5000,
      maxBytes: options.cache?.maxBytes ?? 64 * 1024 * 1024,
      sizeOf: ({ documents, error }) =>
        documents
          ? JSON.stringify(documents).length
          : error?.message.length ?? 0,
    });
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
      locations.map(async location => ({
        targetKind: KUBERNETES_TARGET_KIND,
        location: location.ref,
        ...(location.environment && { environment: location.environment }),
        documents: await this.documentsOf(entity, entityRef, location, options),
      })),
    );
  }

  /** A location's objects: the last ones when none of its reads changed. */
  private async documentsOf(
    entity: Entity,
    entityRef: string,
    location: SourceLocation,
    { signal, work }: ProviderCallOptions,
  ): Promise<ParsedManifest[]> {
    const key = cacheKeyOf(entityRef, entity, location);
    // A Git host that stops answering must not hold the scan: every read has a deadline.
    const timeout = AbortSignal.timeout(READ_TIMEOUT_MS);
    const reads = new LocationReads(this.options, entity, {
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      work,
      maxBytes: this.render.maxInputBytes,
    });
    const cached = this.cache.get(key);
    if (
      cached &&
      (await this.reading(entityRef, location, () =>
        reads.unchanged(cached.reads),
      ))
    ) {
      if (cached.tool) work?.count('rendersSkipped');
      if (cached.error) throw cached.error;
      return cached.documents!;
    }

    const files = await this.readFiles(entityRef, location, reads);
    const tool = files.folder ? detectRenderer(files.paths) : undefined;
    const keep = (result: Omit<CachedLocation, 'reads' | 'tool'>) => {
      const stamps = reads.recorded();
      if (stamps) this.cache.set(key, { reads: stamps, tool, ...result });
      else this.cache.delete(key);
    };
    try {
      const documents = tool
        ? await this.renderLocation(entity, entityRef, location, tool, reads, {
            signal,
            work,
          })
        : parseFiles(entityRef, location, files.files, work);
      keep({ documents });
      return documents;
    } catch (error) {
      if (error instanceof ManifestInputError) keep({ error });
      else this.cache.delete(key);
      throw error;
    }
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
    reads: LocationReads,
    { signal, work }: Pick<ProviderCallOptions, 'signal' | 'work'>,
  ): Promise<ParsedManifest[]> {
    const failed = (error: unknown) => {
      const message = `${entityRef}: cannot render ${location.ref} with ${tool}: ${formatError(error)}`;
      return error instanceof RenderError && error.transient
        ? new InputError(message)
        : new ManifestInputError(message);
    };
    let current = location;
    let dir = '';
    let files = await this.readTree(entityRef, current, reads);
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
        files = await this.readTree(entityRef, current, reads);
      }
      work?.count('rendersRun');
      output = await this.renderer.render({ tool, files, dir, entity, signal });
    } catch (error) {
      if (error instanceof RenderError) throw failed(error);
      throw error;
    }
    let rendered: ParsedManifest[];
    try {
      rendered = parseManifests(output);
    } catch (error) {
      throw failed(
        new RenderError(
          `its output is not Kubernetes objects: ${formatError(error)}`,
        ),
      );
    }
    return rendered
      .filter(m => !(tool === 'helm' && isHelmHook(m.object)))
      .filter(
        m => !TOOL_GROUPS.has(splitApiVersion(m.object.apiVersion).group),
      )
      .map(m => ({ ...m, source: { ...m.source, rendered: true } }));
  }

  /** Runs reads of a location; a failure names the entity and the location. */
  private async reading<T>(
    entityRef: string,
    location: SourceLocation,
    read: () => Promise<T>,
  ): Promise<T> {
    try {
      return await read();
    } catch (error) {
      // ForwardedError keeps the cause's name (NotFoundError, NotAllowedError, ...).
      throw new ForwardedError(
        `${entityRef}: cannot read ${location.ref}`,
        error,
      );
    }
  }

  private readTree(
    entityRef: string,
    location: SourceLocation,
    reads: LocationReads,
  ): Promise<TreeFile[]> {
    return this.reading(entityRef, location, () =>
      reads.files(location, 'tree'),
    );
  }

  private async readFiles(
    entityRef: string,
    location: SourceLocation,
    reads: LocationReads,
  ): Promise<{ folder: boolean; paths: string[]; files: ManifestFile[] }> {
    const single =
      location.type === 'url' &&
      isManifestFile(new URL(location.url).pathname);
    const files = await this.reading(entityRef, location, () =>
      reads.files(location, single ? 'file' : 'manifests'),
    );
    return {
      // A file: location of one file comes back as that file alone.
      folder:
        !single &&
        !(
          location.type === 'file' &&
          files.length === 1 &&
          location.path.endsWith(`${path.sep}${files[0].path}`)
        ),
      paths: files.map(({ path: file }) => file),
      files: files
        .filter(({ path: file }) => isManifestFile(file))
        .map(({ path: file, content }) => ({
          file,
          text: content.toString('utf8'),
        })),
    };
  }
}

/** Plain manifests: every file's objects, build-tool configuration left out. */
function parseFiles(
  entityRef: string,
  location: SourceLocation,
  files: ManifestFile[],
  work?: ScanWorkCounter,
): ParsedManifest[] {
  const documents: ParsedManifest[] = [];
  for (const { file, text } of files) {
    let parsed: ParsedManifest[];
    work?.count('filesParsed');
    try {
      parsed = parseManifests(text, { file });
    } catch (error) {
      // The engine's message names the file and document and never quotes the content.
      throw new ManifestInputError(
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
