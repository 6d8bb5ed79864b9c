import path from 'node:path';
import { readDurationFromConfig, type Config } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import {
  DEFAULT_EXTRA_KINDS,
  type KindRef,
} from './target/KubernetesLiveTarget';

/** A cluster whose live state is read from a directory of exported objects. */
export interface SnapshotClusterConfig {
  cluster: string;
  /** Absolute, resolved against the backend's working directory. */
  directory: string;
}

/** The module's settings, from `drift.kubernetes`. */
export interface DriftKubernetesConfig {
  /** Only these clusters are scanned, when set. */
  clusters?: string[];
  pageSize: number;
  concurrency: number;
  requestTimeoutMs: number;
  extraKinds: KindRef[];
  snapshots: SnapshotClusterConfig[];
}

const DEFAULT_PAGE_SIZE = 500;
const DEFAULT_CONCURRENCY = 4;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

function positiveInteger(
  config: Config,
  key: string,
  fallback: number,
): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(
      `drift.kubernetes.${key} must be a positive integer, got ${value}`,
    );
  }
  return value;
}

/** Reads `drift.kubernetes`, with its defaults. */
export function readDriftKubernetesConfig(root: Config): DriftKubernetesConfig {
  const config = root.getOptionalConfig('drift.kubernetes');
  if (!config) {
    return {
      pageSize: DEFAULT_PAGE_SIZE,
      concurrency: DEFAULT_CONCURRENCY,
      requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
      extraKinds: DEFAULT_EXTRA_KINDS,
      snapshots: [],
    };
  }
  const requestTimeoutMs = config.has('requestTimeout')
    ? durationToMilliseconds(
        readDurationFromConfig(config, { key: 'requestTimeout' }),
      )
    : DEFAULT_REQUEST_TIMEOUT_MS;
  const extraKinds = config.has('extraKinds')
    ? config.getConfigArray('extraKinds').map(kind => ({
        apiVersion: kind.getString('apiVersion'),
        kind: kind.getString('kind'),
      }))
    : DEFAULT_EXTRA_KINDS;
  return {
    clusters: config.getOptionalStringArray('clusters'),
    pageSize: positiveInteger(config, 'pageSize', DEFAULT_PAGE_SIZE),
    concurrency: positiveInteger(config, 'concurrency', DEFAULT_CONCURRENCY),
    requestTimeoutMs,
    extraKinds,
    snapshots: (config.getOptionalConfigArray('snapshots') ?? []).map(
      snapshot => ({
        cluster: snapshot.getString('cluster'),
        directory: path.resolve(snapshot.getString('directory')),
      }),
    ),
  };
}
