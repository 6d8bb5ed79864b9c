import { readDurationFromConfig, type Config } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

/** The module's settings, from `drift.pagerduty`. */
export interface PagerDutyConfig {
  enabled: boolean;
  /** The fallback integration key; a credential, never logged or recorded. */
  routingKey?: string;
  /** Without a trailing slash. */
  eventsUrl: string;
  timeoutMs: number;
  incidentUrlTemplate?: string;
}

export const DEFAULT_EVENTS_URL = 'https://events.pagerduty.com';
const DEFAULT_TIMEOUT_MS = 10_000;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1']);

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * Refuses an events URL that would carry integration keys in the clear: plain http is only
 * accepted on the Backstage host itself (a local relay or a test server).
 */
function readEventsUrl(config: Config): string {
  const value = config.getOptionalString('eventsUrl') ?? DEFAULT_EVENTS_URL;
  if (!URL.canParse(value)) {
    throw new Error(`drift.pagerduty.eventsUrl is not a URL: ${value}`);
  }
  const url = new URL(value);
  const secure =
    url.protocol === 'https:' ||
    (url.protocol === 'http:' && LOOPBACK_HOSTS.has(hostOf(url)));
  if (!secure) {
    throw new Error(
      `drift.pagerduty.eventsUrl must be an https URL (plain http only on a loopback host), got ${value}`,
    );
  }
  if (url.search || url.hash) {
    throw new Error(
      `drift.pagerduty.eventsUrl must not have a query or fragment, got ${value}`,
    );
  }
  return value.replace(/\/+$/, '');
}

function readIncidentUrlTemplate(config: Config): string | undefined {
  const template = config.getOptionalString('incidentUrlTemplate');
  if (template === undefined) return undefined;
  const sample = template.replaceAll('{dedupKey}', 'driftwatch-example');
  if (!URL.canParse(sample) || !/^https?:$/.test(new URL(sample).protocol)) {
    throw new Error(
      `drift.pagerduty.incidentUrlTemplate must be an http(s) URL, got ${template}`,
    );
  }
  return template;
}

/** Reads `drift.pagerduty`, with its defaults; throws on settings that cannot work. */
export function readPagerDutyConfig(root: Config): PagerDutyConfig {
  const config = root.getOptionalConfig('drift.pagerduty');
  if (!config) {
    return {
      enabled: false,
      eventsUrl: DEFAULT_EVENTS_URL,
      timeoutMs: DEFAULT_TIMEOUT_MS,
    };
  }
  const timeoutMs = config.has('timeout')
    ? durationToMilliseconds(readDurationFromConfig(config, { key: 'timeout' }))
    : DEFAULT_TIMEOUT_MS;
  if (!(timeoutMs > 0)) {
    throw new Error('drift.pagerduty.timeout must be longer than zero');
  }
  return {
    enabled: config.getOptionalBoolean('enabled') ?? false,
    routingKey: config.getOptionalString('routingKey')?.trim() || undefined,
    eventsUrl: readEventsUrl(config),
    timeoutMs,
    incidentUrlTemplate: readIncidentUrlTemplate(config),
  };
}
