import path from 'node:path';
import { readDurationFromConfig, type Config } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import type { EnvironmentConfig } from './environments/Environments';
import {
  DEFAULT_ALLOWED_KINDS,
  DEFAULT_DENIED_NAMESPACES,
  DEFAULT_SCOPE_RULES,
  type ScopeRules,
} from './target/entityScope';
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
  /** What entities may read; the extra kinds are allowed too. */
  scope: ScopeRules;
  /** Clusters that may be reached over plain http. */
  allowInsecureHttp: string[];
  snapshots: SnapshotClusterConfig[];
  /** `drift.environments`: which clusters each environment runs in. */
  environments: EnvironmentConfig[];
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

function readKinds(config: Config, key: string): KindRef[] | undefined {
  return config.getOptionalConfigArray(key)?.map(kind => ({
    apiVersion: kind.getString('apiVersion'),
    kind: kind.getString('kind'),
  }));
}

/** Reads `drift.environments`. */
export function readEnvironments(root: Config): EnvironmentConfig[] {
  return (root.getOptionalConfigArray('drift.environments') ?? []).map(environment => {
    const name = environment.getString('name');
    const tier = environment.getOptionalNumber('tier');
    if (tier !== undefined && ![1, 2, 3].includes(tier)) {
      throw new Error(`drift.environments: the tier of '${name}' must be 1, 2 or 3, got ${tier}`);
    }
    return { name, clusters: environment.getStringArray('clusters'), tier };
  });
}

/** Reads `drift.kubernetes` and `drift.environments`, with their defaults. */
export function readDriftKubernetesConfig(root: Config): DriftKubernetesConfig {
  const config = root.getOptionalConfig('drift.kubernetes');
  const environments = readEnvironments(root);
  if (!config) {
    return {
      environments,
      pageSize: DEFAULT_PAGE_SIZE,
      concurrency: DEFAULT_CONCURRENCY,
      requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
      extraKinds: DEFAULT_EXTRA_KINDS,
      scope: DEFAULT_SCOPE_RULES,
      allowInsecureHttp: [],
      snapshots: [],
    };
  }
  const requestTimeoutMs = config.has('requestTimeout')
    ? durationToMilliseconds(
        readDurationFromConfig(config, { key: 'requestTimeout' }),
      )
    : DEFAULT_REQUEST_TIMEOUT_MS;
  const extraKinds = readKinds(config, 'extraKinds') ?? DEFAULT_EXTRA_KINDS;
  return {
    environments,
    clusters: config.getOptionalStringArray('clusters'),
    pageSize: positiveInteger(config, 'pageSize', DEFAULT_PAGE_SIZE),
    concurrency: positiveInteger(config, 'concurrency', DEFAULT_CONCURRENCY),
    requestTimeoutMs,
    extraKinds,
    scope: {
      allowedKinds: readKinds(config, 'allowedKinds') ?? DEFAULT_ALLOWED_KINDS,
      clusterScopedKinds: readKinds(config, 'clusterScopedKinds') ?? [],
      allowedNamespaces: config.getOptionalStringArray('namespaces.allow'),
      deniedNamespaces:
        config.getOptionalStringArray('namespaces.deny') ??
        DEFAULT_DENIED_NAMESPACES,
    },
    allowInsecureHttp: config.getOptionalStringArray('allowInsecureHttp') ?? [],
    snapshots: (config.getOptionalConfigArray('snapshots') ?? []).map(
      snapshot => ({
        cluster: snapshot.getString('cluster'),
        directory: path.resolve(snapshot.getString('directory')),
      }),
    ),
  };
}
