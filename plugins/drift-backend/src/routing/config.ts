import type { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, type HumanDuration } from '@backstage/types';
import type { Severity } from '@driftwatch/plugin-drift-common';
import { SEVERITY_RANK } from '../store/lifecycle';

/** What routing does for the findings of one tier. */
export interface TierRouting {
  /** Action ids, run in this order for each outcome they handle. */
  actions: string[];
  /** Drift below this severity is tracked but not routed. */
  minSeverity: Severity;
  /** Route an unacknowledged finding again this often; undefined for never. */
  renotifyMs?: number;
  /** Past the SLA, route the finding with this tier's actions; undefined for none. */
  escalateTo?: number;
}

export interface RoutingConfig {
  tiers: Record<number, TierRouting>;
  /** Attempts before an intent is given up as failed. */
  maxAttempts: number;
  /** The first retry's delay; each further retry doubles it, up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
  /** How often the worker looks for due intents. */
  frequency: HumanDuration;
  /** Where finding links point: the app's base URL. */
  appBaseUrl: string;
}

/** The policy of the product: page and open a PR, notify the owner, or wait for the owner. */
export const DEFAULT_TIER_ROUTING: Record<number, TierRouting> = {
  1: { actions: ['pagerduty', 'github-pull-request'], minSeverity: 'low' },
  2: { actions: ['notify-owner'], minSeverity: 'low', renotifyMs: 24 * 3_600_000, escalateTo: 1 },
  3: { actions: [], minSeverity: 'low', escalateTo: 2 },
};

const SEVERITIES = Object.keys(SEVERITY_RANK) as Severity[];

export function readRoutingConfig(root: Config): RoutingConfig {
  const config = root.getOptionalConfig('drift.routing');
  const tiers: Record<number, TierRouting> = structuredClone(DEFAULT_TIER_ROUTING);
  for (const tierConfig of config?.getOptionalConfigArray('tiers') ?? []) {
    const tier = tierConfig.getNumber('tier');
    if (![1, 2, 3].includes(tier)) {
      throw new Error(`drift.routing.tiers: tier must be 1, 2 or 3, got ${tier}`);
    }
    const minSeverity = tierConfig.getOptionalString('minSeverity') ?? tiers[tier].minSeverity;
    if (!SEVERITIES.includes(minSeverity as Severity)) {
      throw new Error(
        `drift.routing.tiers (tier ${tier}): minSeverity must be one of ${SEVERITIES.join(', ')}, got '${minSeverity}'`,
      );
    }
    const escalateTo = tierConfig.has('escalateTo')
      ? tierConfig.getOptionalNumber('escalateTo')
      : tiers[tier].escalateTo;
    if (escalateTo !== undefined && (![1, 2, 3].includes(escalateTo) || escalateTo >= tier)) {
      throw new Error(
        `drift.routing.tiers (tier ${tier}): escalateTo must be a higher tier (a smaller number), got ${escalateTo}`,
      );
    }
    let renotifyMs = tiers[tier].renotifyMs;
    if (tierConfig.has('renotify')) {
      const value = tierConfig.getOptional('renotify');
      renotifyMs =
        value === false
          ? undefined
          : durationToMilliseconds(readDurationFromConfig(tierConfig, { key: 'renotify' }));
    }
    tiers[tier] = {
      actions: tierConfig.getOptionalStringArray('actions') ?? tiers[tier].actions,
      minSeverity: minSeverity as Severity,
      renotifyMs,
      escalateTo,
    };
  }
  return {
    tiers,
    maxAttempts: positiveInteger(config, 'maxAttempts', 8),
    backoffMs: config?.has('backoff')
      ? durationToMilliseconds(readDurationFromConfig(config, { key: 'backoff' }))
      : 30_000,
    maxBackoffMs: config?.has('maxBackoff')
      ? durationToMilliseconds(readDurationFromConfig(config, { key: 'maxBackoff' }))
      : 3_600_000,
    frequency: config?.has('frequency')
      ? readDurationFromConfig(config, { key: 'frequency' })
      : { seconds: 15 },
    appBaseUrl: root.getOptionalString('app.baseUrl') ?? '',
  };
}

function positiveInteger(config: Config | undefined, key: string, fallback: number): number {
  const value = config?.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`drift.routing.${key} must be a positive integer, got ${value}`);
  }
  return value;
}

/** When the next attempt of an intent that failed `attempts` times is due. */
export function nextAttemptAt(
  config: Pick<RoutingConfig, 'backoffMs' | 'maxBackoffMs'>,
  attempts: number,
  now: Date,
  retryAfterSeconds?: number,
): Date {
  const backoff = Math.min(config.backoffMs * 2 ** Math.max(0, attempts - 1), config.maxBackoffMs);
  const asked = (retryAfterSeconds ?? 0) * 1000;
  return new Date(now.getTime() + Math.max(backoff, asked));
}
