import type { LoggerService } from '@backstage/backend-plugin-api';
import { readDurationFromConfig, type Config } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

/** An Argo CD API server of `argocd.appLocatorMethods`. */
export interface ArgoCdInstance {
  name: string;
  url: string;
  /** Never logged nor returned; absent when the instance is configured without one. */
  token?: string;
}

/** What the module reads from config. */
export interface ArgoCdSettings {
  /** In config order: the first is the default instance. */
  instances: ArgoCdInstance[];
  requestTimeoutMs: number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/**
 * Reads the Argo CD plugin's `argocd.appLocatorMethods`, so a Backstage that already shows Argo
 * CD applications needs no second list of instances, and `drift.argocd`.
 */
export function readArgoCdConfig(
  config: Config,
  logger: LoggerService,
): ArgoCdSettings {
  const instances: ArgoCdInstance[] = [];
  for (const method of config.getOptionalConfigArray(
    'argocd.appLocatorMethods',
  ) ?? []) {
    const type = method.getString('type');
    if (type !== 'config') {
      logger.warn(
        `Drift detection skips the '${type}' locator of argocd.appLocatorMethods; only 'config' locators are read`,
      );
      continue;
    }
    for (const instance of method.getOptionalConfigArray('instances') ?? []) {
      const name = instance.getString('name');
      const url = instance.getString('url');
      if (!URL.canParse(url)) {
        throw new Error(`Argo CD instance '${name}' has an invalid url '${url}'`);
      }
      instances.push({
        name,
        url: url.replace(/\/+$/, ''),
        token: instance.getOptionalString('token'),
      });
    }
  }
  const drift = config.getOptionalConfig('drift.argocd');
  const requestTimeoutMs = drift?.has('requestTimeout')
    ? durationToMilliseconds(
        readDurationFromConfig(drift, { key: 'requestTimeout' }),
      )
    : DEFAULT_REQUEST_TIMEOUT_MS;
  return { instances, requestTimeoutMs };
}
