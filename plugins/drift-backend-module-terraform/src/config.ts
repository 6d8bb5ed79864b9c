import { readDurationFromConfig, type Config } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import {
  BUILT_IN_IGNORE_RULES,
  type TerraformIgnoreRule,
} from './noise/ignoreRules';

/** Where an HCP Terraform or Terraform Enterprise workspace's assessments are read. */
export interface TerraformCloudConfig {
  /** Without a trailing slash. */
  baseUrl: string;
  /** An API token; a credential, never logged or returned. */
  token?: string;
  maxAgeMs: number;
  timeoutMs: number;
}

/** The module's settings, from `drift.terraform`. */
export interface TerraformConfig {
  /** Oldest plan file accepted, by its `timestamp`. */
  maxAgeMs: number;
  ignore: TerraformIgnoreRule[];
  cloud: TerraformCloudConfig;
}

export const DEFAULT_CLOUD_URL = 'https://app.terraform.io';
const DEFAULT_MAX_AGE_MS = 24 * 60 * 60 * 1000;
const DEFAULT_TIMEOUT_MS = 10_000;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1']);

function readDuration(
  config: Config | undefined,
  key: string,
  path: string,
  fallback: number,
): number {
  if (!config?.has(key)) return fallback;
  const ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  if (!(ms > 0)) throw new Error(`${path} must be longer than zero`);
  return ms;
}

/** The token travels with every request: plain http only to the Backstage host itself. */
function readBaseUrl(config: Config | undefined): string {
  const value = config?.getOptionalString('baseUrl') ?? DEFAULT_CLOUD_URL;
  if (!URL.canParse(value)) {
    throw new Error(`drift.terraform.cloud.baseUrl is not a URL: ${value}`);
  }
  const url = new URL(value);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const secure =
    url.protocol === 'https:' ||
    (url.protocol === 'http:' && LOOPBACK_HOSTS.has(host));
  if (!secure || url.search || url.hash) {
    throw new Error(
      `drift.terraform.cloud.baseUrl must be an https URL without query or fragment (plain http only on a loopback host), got ${value}`,
    );
  }
  return value.replace(/\/+$/, '');
}

function readIgnoreRules(config: Config | undefined): TerraformIgnoreRule[] {
  const rules = (config?.getOptionalConfigArray('ignore') ?? []).map(rule => ({
    type: rule.getString('type'),
    attributes: rule.getStringArray('attributes'),
  }));
  const builtIn = config?.getOptionalBoolean('builtInIgnore') ?? true;
  return builtIn ? [...BUILT_IN_IGNORE_RULES, ...rules] : rules;
}

/** Reads `drift.terraform`, with its defaults; throws on settings that cannot work. */
export function readTerraformConfig(root: Config): TerraformConfig {
  const config = root.getOptionalConfig('drift.terraform');
  const cloud = config?.getOptionalConfig('cloud');
  const maxAgeMs = readDuration(
    config,
    'maxAge',
    'drift.terraform.maxAge',
    DEFAULT_MAX_AGE_MS,
  );
  return {
    maxAgeMs,
    ignore: readIgnoreRules(config),
    cloud: {
      baseUrl: readBaseUrl(cloud),
      token: cloud?.getOptionalString('token')?.trim() || undefined,
      maxAgeMs: readDuration(
        cloud,
        'maxAge',
        'drift.terraform.cloud.maxAge',
        maxAgeMs,
      ),
      timeoutMs: readDuration(
        cloud,
        'timeout',
        'drift.terraform.cloud.timeout',
        DEFAULT_TIMEOUT_MS,
      ),
    },
  };
}
