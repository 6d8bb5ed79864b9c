import fs from 'node:fs/promises';
import path from 'node:path';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  isClusterScoped,
  parseManifests,
  splitApiVersion,
  type KubeObject,
  type ParsedManifest,
} from '@driftwatch/plugin-drift-common';
import { fingerprintFiles } from '@driftwatch/plugin-drift-node';
import {
  matchesFieldSelector,
  parseFieldSelector,
} from '../target/fieldSelector';
import {
  matchesLabelSelector,
  parseLabelSelector,
} from '../target/labelSelector';
import type {
  ClusterView,
  ListRequest,
  LiveCluster,
  OpenClusterOptions,
  ServedKind,
} from '../clusters/types';
import { listManifestFiles } from '../manifestFiles';

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * Exports are named by whole days, and a scan computes `asOf` a little before the export is
 * chosen (a replay of several scans, minutes before): within an hour, "6 days ago" is `6d`.
 */
const AS_OF_LEEWAY_MS = 60 * 60 * 1000;
const EXPORT_FOLDER = /^(\d+)d$/;

/** One `kubectl get -o yaml` export inside a snapshot directory. */
export interface SnapshotExport {
  directory: string;
  /** Age in days before now; 0 for a directory without history. */
  ageDays: number;
}

/**
 * Picks the export to read. A directory with subfolders named by age (`13d`, `6d`, `0d`) keeps
 * history: the newest export taken at or before `asOf` (within an hour), or the youngest without
 * `asOf`. A directory without such subfolders is one current export, whatever `asOf` says.
 */
export async function selectExport(
  directory: string,
  asOf: Date | undefined,
  now: Date,
): Promise<SnapshotExport> {
  let entries;
  try {
    entries = await fs.readdir(directory, { withFileTypes: true });
  } catch (error) {
    throw new NotFoundError(
      `Snapshot directory ${directory} cannot be read`,
      error,
    );
  }
  const history = entries
    .filter(entry => entry.isDirectory() && EXPORT_FOLDER.test(entry.name))
    .map(entry => ({
      directory: path.join(directory, entry.name),
      ageDays: Number(EXPORT_FOLDER.exec(entry.name)![1]),
    }))
    .sort((a, b) => a.ageDays - b.ageDays);
  if (history.length === 0) return { directory, ageDays: 0 };
  if (!asOf) return history[0];
  const age = now.getTime() - asOf.getTime() - AS_OF_LEEWAY_MS;
  const chosen = history.find(candidate => candidate.ageDays * DAY_MS >= age);
  if (!chosen) {
    throw new NotFoundError(
      `Snapshot directory ${directory} has no export as old as ${asOf.toISOString()} ` +
        `(the oldest is ${history[history.length - 1].ageDays}d)`,
    );
  }
  return chosen;
}

/** Reads every object of an export: `kind: List` documents and multi-document YAML alike. */
export async function readExport(directory: string): Promise<ParsedManifest[]> {
  const files = await listManifestFiles(directory);
  const objects: ParsedManifest[] = [];
  for (const file of files) {
    const text = await fs.readFile(path.join(directory, file), 'utf8');
    try {
      objects.push(...parseManifests(text, { file }));
    } catch (error) {
      throw new InputError(`Snapshot ${directory} cannot be parsed`, error);
    }
  }
  return objects;
}

class SnapshotView implements ClusterView {
  /** Each object's version: the fingerprint of the file it was exported in. */
  private readonly versions = new WeakMap<KubeObject, string>();

  constructor(
    private readonly objects: ParsedManifest[],
    fileVersions: Map<string, string>,
  ) {
    for (const { object, source } of objects) {
      const version = source.file && fileVersions.get(source.file);
      if (version) this.versions.set(object, version);
    }
  }

  versionOf(object: KubeObject): string | undefined {
    return this.versions.get(object);
  }

  async resolveKind(apiVersion: string, kind: string): Promise<ServedKind> {
    const { group } = splitApiVersion(apiVersion);
    const known = this.objects.filter(
      o => o.id.group === group && o.id.kind === kind,
    );
    // An export has no discovery document: the objects themselves tell the scope, and the
    // engine's list of cluster-scoped kinds covers kinds the export holds none of.
    const namespaced = known.length
      ? known.some(o => o.id.namespace !== undefined)
      : !isClusterScoped(kind);
    return { apiVersion, kind, group, namespaced };
  }

  async list(request: ListRequest): Promise<KubeObject[]> {
    const { kind, namespace, labelSelector } = request;
    const selector = labelSelector
      ? parseLabelSelector(labelSelector)
      : undefined;
    const fields = parseFieldSelector(request.fieldSelector ?? '');
    return this.objects
      .filter(
        o =>
          o.id.group === kind.group &&
          o.id.kind === kind.kind &&
          (!kind.namespaced || !namespace || o.id.namespace === namespace) &&
          (!selector ||
            matchesLabelSelector(
              selector,
              o.object.metadata.labels as Record<string, unknown> | undefined,
            )) &&
          matchesFieldSelector(fields, o.object),
      )
      .map(({ object }) =>
        request.metadataOnly
          ? {
              apiVersion: object.apiVersion,
              kind: object.kind,
              metadata: object.metadata,
            }
          : object,
      );
  }
}

/**
 * A cluster whose live state is a directory of exported objects, for offline audits and the
 * demo. Each round looks at the directory again, so a fresh export is picked up without a
 * restart; an export whose files are unchanged (by fingerprint: sizes and times) is not parsed
 * again, and its objects keep their versions, so their comparisons are reused.
 */
export class SnapshotCluster implements LiveCluster {
  private last?: { directory: string; fingerprint: string; view: SnapshotView };

  constructor(
    readonly name: string,
    private readonly directory: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async open(options: OpenClusterOptions): Promise<ClusterView> {
    const chosen = await selectExport(
      this.directory,
      options.asOf,
      this.clock(),
    );
    // Taken before the files are read: a file changing meanwhile is read again next round.
    const files = await listManifestFiles(chosen.directory);
    const versions = new Map<string, string>();
    for (const file of files) {
      versions.set(file, await fingerprintFiles(chosen.directory, [file]));
    }
    const fingerprint = [...versions.values()].join(',');
    if (
      this.last?.directory === chosen.directory &&
      this.last.fingerprint === fingerprint
    ) {
      return this.last.view;
    }
    options.logger.debug(
      `Drift snapshot cluster '${this.name}' reads ${chosen.directory}`,
    );
    const view = new SnapshotView(await readExport(chosen.directory), versions);
    this.last = { directory: chosen.directory, fingerprint, view };
    return view;
  }
}
