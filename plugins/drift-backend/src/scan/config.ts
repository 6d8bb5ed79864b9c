import type { Config } from '@backstage/config';
import type { HumanDuration } from '@backstage/types';
import { durationToMilliseconds } from '@backstage/types';
import { readDurationFromConfig } from '@backstage/config';
import {
  type DiffOptions,
  parseIgnoreRules,
} from '@driftwatch/plugin-drift-common';

/** Scan interval and SLA of one tier. */
export interface TierPolicy {
  scanIntervalMs: number;
  slaHours: number;
}

/** Picks a tier for entities without a `driftwatch.io/tier` annotation. */
export interface TierRule {
  tier: number;
  system?: string;
  type?: string;
  tag?: string;
}

export interface DriftConfig {
  /** How often the scheduler looks for entities that are due. */
  schedulerFrequency: HumanDuration;
  schedulerTimeout: HumanDuration;
  tiers: Record<number, TierPolicy>;
  tierRules: TierRule[];
  defaultTier: number;
  /**
   * Tier overrides of `drift.environments` (read with the rest of that key by the Kubernetes
   * module): a finding in such an environment is at least this tier.
   */
  environmentTiers: Record<string, number>;
  retentionMs: number;
  /** How long events, ended scans and daily rollups are kept. */
  retention: { eventsMs: number; scansMs: number; rollupsMs: number };
  /**
   * How long a scan's lease lasts unless renewed; the replica running it renews it three times
   * per lease. A scan whose lease ran out is failed by the other replicas.
   */
  scanLeaseMs: number;
  /** Ages in days of demo snapshots to replay, oldest first, when the store is empty. */
  demoReplayDays: number[];
  /** The latest a suppression may last, in days from when it is made. */
  maxSuppressionDays: number;
  /** The longest window, in days, that statistics, trends and the review report cover. */
  maxWindowDays: number;
  /** Entities compared per provider call; bounds memory and keeps LIST batches large. */
  batchSize: number;
  /** Engine options: ignore rules, severity and weight overrides. */
  engine: Pick<DiffOptions, 'ignore' | 'severities' | 'weights'>;
}

const DAY_MS = 86_400_000;

const DEFAULT_TIERS: Record<number, TierPolicy> = {
  1: { scanIntervalMs: 15 * 60_000, slaHours: 4 },
  2: { scanIntervalMs: 60 * 60_000, slaHours: 72 },
  3: { scanIntervalMs: 6 * 60 * 60_000, slaHours: 14 * 24 },
};

export function readDriftConfig(root: Config): DriftConfig {
  const config = root.getOptionalConfig('drift');
  const tiers: Record<number, TierPolicy> = { ...DEFAULT_TIERS };
  for (const tierConfig of config?.getOptionalConfigArray('tiers') ?? []) {
    const tier = tierConfig.getNumber('tier');
    if (![1, 2, 3].includes(tier)) {
      throw new Error(`drift.tiers: tier must be 1, 2 or 3, got ${tier}`);
    }
    tiers[tier] = {
      scanIntervalMs: tierConfig.has('scanInterval')
        ? durationToMilliseconds(readDurationFromConfig(tierConfig, { key: 'scanInterval' }))
        : DEFAULT_TIERS[tier].scanIntervalMs,
      slaHours: tierConfig.getOptionalNumber('slaHours') ?? DEFAULT_TIERS[tier].slaHours,
    };
  }
  const tierRules = (config?.getOptionalConfigArray('tierRules') ?? []).map(rule => {
    const tier = rule.getNumber('tier');
    if (![1, 2, 3].includes(tier)) {
      throw new Error(`drift.tierRules: tier must be 1, 2 or 3, got ${tier}`);
    }
    return {
      tier,
      system: rule.getOptionalString('system'),
      type: rule.getOptionalString('type'),
      tag: rule.getOptionalString('tag'),
    };
  });
  const defaultTier = config?.getOptionalNumber('defaultTier') ?? 3;
  if (![1, 2, 3].includes(defaultTier)) {
    throw new Error(`drift.defaultTier must be 1, 2 or 3, got ${defaultTier}`);
  }
  return {
    schedulerFrequency: config?.has('schedule.frequency')
      ? readDurationFromConfig(config, { key: 'schedule.frequency' })
      : { minutes: 1 },
    schedulerTimeout: config?.has('schedule.timeout')
      ? readDurationFromConfig(config, { key: 'schedule.timeout' })
      : { minutes: 30 },
    tiers,
    tierRules,
    defaultTier,
    environmentTiers: readEnvironmentTiers(config),
    retentionMs: config?.has('retention.resolvedFindings')
      ? durationToMilliseconds(readDurationFromConfig(config, { key: 'retention.resolvedFindings' }))
      : 90 * DAY_MS,
    retention: {
      eventsMs: durationOr(config, 'retention.events', 400 * DAY_MS),
      scansMs: durationOr(config, 'retention.scans', 30 * DAY_MS),
      rollupsMs: durationOr(config, 'retention.rollups', 800 * DAY_MS),
    },
    scanLeaseMs: durationOr(config, 'schedule.scanLease', 2 * 60_000),
    demoReplayDays: readReplayDays(config),
    batchSize: config?.getOptionalNumber('batchSize') ?? 50,
    maxSuppressionDays: positiveNumber(config, 'lifecycle.maxSuppressionDays', 90),
    maxWindowDays: positiveNumber(config, 'statistics.maxWindowDays', 366),
    engine: {
      ignore: config?.has('engine.ignore')
        ? // JSON is YAML: reuse the ignore-file parser so config gets the same validation.
          parseIgnoreRules(JSON.stringify({ ignore: config.get('engine.ignore') }), 'drift.engine.ignore')
        : undefined,
      severities: config?.getOptional('engine.severities'),
      weights: config?.getOptional('engine.weights'),
    },
  };
}

function readEnvironmentTiers(config: Config | undefined): Record<string, number> {
  const tiers: Record<string, number> = {};
  for (const environment of config?.getOptionalConfigArray('environments') ?? []) {
    const tier = environment.getOptionalNumber('tier');
    if (tier === undefined) continue;
    if (![1, 2, 3].includes(tier)) {
      throw new Error(`drift.environments: tier must be 1, 2 or 3, got ${tier}`);
    }
    tiers[environment.getString('name')] = tier;
  }
  return tiers;
}

function durationOr(config: Config | undefined, key: string, fallbackMs: number): number {
  return config?.has(key) ? durationToMilliseconds(readDurationFromConfig(config, { key })) : fallbackMs;
}

function positiveNumber(config: Config | undefined, key: string, fallback: number): number {
  const value = config?.getOptionalNumber(key) ?? fallback;
  if (!(value > 0)) throw new Error(`drift.${key} must be a positive number, got ${value}`);
  return value;
}

function readReplayDays(config: Config | undefined): number[] {
  const days = config?.getOptional<unknown>('demo.replayDays') ?? [];
  if (!Array.isArray(days) || days.some(d => typeof d !== 'number' || d < 0)) {
    throw new Error('drift.demo.replayDays must be a list of non-negative numbers of days');
  }
  // Oldest first, so the replay builds history in order.
  return [...days].sort((a, b) => b - a);
}
