import type { LoggerService, RootConfigService } from '@backstage/backend-plugin-api';
import type { DriftStore } from '../store/DriftStore';

const CONFIG_KEY = 'drift.secretFingerprintKey';
const MIN_LENGTH = 32;

/**
 * The key of Secret value fingerprints: the operator's `drift.secretFingerprintKey`, or else
 * one generated once and kept in the plugin's database. The fallback keeps fingerprints stable
 * across restarts, but whoever reads the database then holds the key as well.
 */
export async function readSecretHashKey(options: {
  config: RootConfigService;
  store: DriftStore;
  logger: LoggerService;
}): Promise<string> {
  const configured = options.config.getOptionalString(CONFIG_KEY);
  if (configured !== undefined) {
    if (configured.length < MIN_LENGTH) {
      throw new Error(`${CONFIG_KEY} must be at least ${MIN_LENGTH} characters long`);
    }
    return configured;
  }
  options.logger.warn(
    `${CONFIG_KEY} is not set: Secret fingerprints use a key generated and stored in the plugin's database. ` +
      'Set it from your secret store so that the database alone cannot be used to check guessed Secret values.',
  );
  return options.store.getSecretHashKey();
}
