import { readDurationFromConfig, type Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';

/** How Helm charts and Kustomize overlays are rendered, from `drift.render`. */
export interface RenderConfig {
  /** Configured binary paths; otherwise each is looked up on the backend's PATH. */
  helm?: string;
  kustomize?: string;
  timeoutMs: number;
  maxOutputBytes: number;
  maxInputBytes: number;
}

export const DEFAULT_RENDER_TIMEOUT_MS = 30_000;
export const DEFAULT_RENDER_MAX_OUTPUT_BYTES = 32 * 1024 * 1024;
export const DEFAULT_RENDER_MAX_INPUT_BYTES = 32 * 1024 * 1024;

function positiveInteger(config: Config, key: string, fallback: number): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new InputError(`drift.render.${key} must be a positive integer, got ${value}`);
  }
  return value;
}

/** Reads `drift.render`; every key is optional. */
export function readRenderConfig(root: Config): RenderConfig {
  const config = root.getOptionalConfig('drift.render');
  if (!config) {
    return {
      timeoutMs: DEFAULT_RENDER_TIMEOUT_MS,
      maxOutputBytes: DEFAULT_RENDER_MAX_OUTPUT_BYTES,
      maxInputBytes: DEFAULT_RENDER_MAX_INPUT_BYTES,
    };
  }
  const timeoutMs = config.has('timeout')
    ? durationToMilliseconds(readDurationFromConfig(config, { key: 'timeout' }))
    : DEFAULT_RENDER_TIMEOUT_MS;
  if (!(timeoutMs > 0)) {
    throw new InputError('drift.render.timeout must be longer than zero');
  }
  return {
    helm: config.getOptionalString('helm') || undefined,
    kustomize: config.getOptionalString('kustomize') || undefined,
    timeoutMs,
    maxOutputBytes: positiveInteger(config, 'maxOutputBytes', DEFAULT_RENDER_MAX_OUTPUT_BYTES),
    maxInputBytes: positiveInteger(config, 'maxInputBytes', DEFAULT_RENDER_MAX_INPUT_BYTES),
  };
}
