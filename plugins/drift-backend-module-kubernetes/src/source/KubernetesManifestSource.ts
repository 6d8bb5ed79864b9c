import path from 'node:path';
import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
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
  FileLocationReader,
  ProviderCallOptions,
} from '@driftwatch/plugin-drift-node';
import { isManifestFile } from '../manifestFiles';
import { KUBERNETES_TARGET_KIND } from '../target/desiredObjects';
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

function formatError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Reads an entity's Kubernetes manifests from the locations of `driftwatch.io/source`:
 * `url:` locations through Backstage's UrlReader (a folder URL as a tree, a `.yaml`/`.yml`/
 * `.json` URL as one file), `file:` locations through the FileLocationReader, inside the
 * configured roots. Every error names the entity, the location and, for a malformed manifest,
 * the file and document.
 */
export class KubernetesManifestSource implements DesiredStateSource {
  readonly id = 'kubernetes-manifests';

  constructor(
    private readonly options: {
      urlReader: UrlReaderService;
      files: FileLocationReader;
    },
  ) {}

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
        const documents: ParsedManifest[] = [];
        for (const { file, text } of files) {
          let parsed: ParsedManifest[];
          try {
            parsed = parseManifests(text, { file });
          } catch (error) {
            // The engine's message names the file and document and never quotes the content.
            throw new InputError(
              `${entityRef}: cannot parse ${location.ref}: ${formatError(
                error,
              )}`,
            );
          }
          documents.push(
            ...parsed.filter(
              m => !TOOL_GROUPS.has(splitApiVersion(m.object.apiVersion).group),
            ),
          );
        }
        return {
          targetKind: KUBERNETES_TARGET_KIND,
          location: location.ref,
          ...(location.environment && { environment: location.environment }),
          documents,
        };
      }),
    );
  }

  private async readFiles(
    entity: Entity,
    entityRef: string,
    location: SourceLocation,
    signal?: AbortSignal,
  ): Promise<ManifestFile[]> {
    try {
      if (location.type === 'url') {
        return await this.readUrlLocation(location.url, signal);
      }
      const files = await this.options.files.read(entity, location, {
        filter: isManifestFile,
      });
      return files.map(({ path: file, content }) => ({
        file,
        text: content.toString('utf8'),
      }));
    } catch (error) {
      // ForwardedError keeps the cause's name (NotFoundError, NotModifiedError, ...).
      throw new ForwardedError(
        `${entityRef}: cannot read ${location.ref}`,
        error,
      );
    }
  }

  private async readUrlLocation(
    url: string,
    signal?: AbortSignal,
  ): Promise<ManifestFile[]> {
    const { urlReader } = this.options;
    const pathname = new URL(url).pathname;
    if (isManifestFile(pathname)) {
      const response = await urlReader.readUrl(url, { signal });
      return [
        {
          file: path.posix.basename(pathname),
          text: (await response.buffer()).toString('utf8'),
        },
      ];
    }
    const tree = await urlReader.readTree(url, {
      signal,
      filter: file => isManifestFile(file),
    });
    const files = (await tree.files()).sort((a, b) =>
      a.path.localeCompare(b.path),
    );
    return Promise.all(
      files.map(async entry => ({
        file: entry.path,
        text: (await entry.content()).toString('utf8'),
      })),
    );
  }
}
