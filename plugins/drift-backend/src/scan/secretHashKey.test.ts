import { mockServices } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import { createTestDatabases } from '../__testUtils__/databases';
import { DriftStore } from '../store/DriftStore';
import { connectDatabase } from '../store/migrations';
import { readSecretHashKey } from './secretHashKey';

jest.setTimeout(60_000);

const KEY = 'f'.repeat(64);

describe('readSecretHashKey', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    async function setup(drift: JsonObject) {
      const knex = await connectDatabase(mockServices.database({ knex: await databases.init(databaseId) }));
      const logger = mockServices.logger.mock();
      const config = mockServices.rootConfig({ data: { drift } });
      return { knex, logger, options: { config, store: new DriftStore(knex), logger } };
    }

    it("uses the operator's key and stores none", async () => {
      const { knex, logger, options } = await setup({ secretFingerprintKey: KEY });
      expect(await readSecretHashKey(options)).toBe(KEY);
      expect(await knex('drift_settings').select()).toEqual([]);
      expect(logger.warn).not.toHaveBeenCalled();
    });

    it('falls back to a generated key kept in the database, with a warning', async () => {
      const { knex, logger, options } = await setup({});
      const key = await readSecretHashKey(options);
      expect(key).toMatch(/^[0-9a-f]{64}$/);
      expect(await readSecretHashKey(options)).toBe(key);
      expect(await knex('drift_settings').select('key')).toEqual([{ key: 'secret-hash-key' }]);
      expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('drift.secretFingerprintKey is not set'));
    });

    it('refuses a short key, naming the setting', async () => {
      const { options } = await setup({ secretFingerprintKey: 'short' });
      await expect(readSecretHashKey(options)).rejects.toThrow(
        'drift.secretFingerprintKey must be at least 32 characters long',
      );
    });
  });
});
