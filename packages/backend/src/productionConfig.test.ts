import { resolve } from 'node:path';
import { mockServices, startTestBackend, TestDatabases, type TestDatabaseId } from '@backstage/backend-test-utils';
import type { Config } from '@backstage/config';
import { ConfigSources } from '@backstage/config-loader';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import driftPlugin from '@driftwatch/plugin-drift-backend';
import { capturedLogsServiceFactory, type LogLine } from './__testUtils__/capturedLogs';
import { driftwatchPermissionPolicy } from './permissionPolicy';

jest.setTimeout(60_000);

const root = resolve(__dirname, '../../..');
const FINGERPRINT_KEY = 'k'.repeat(48);
const productionEnv = {
  POSTGRES_HOST: 'db.internal',
  POSTGRES_PORT: '5432',
  POSTGRES_USER: 'backstage',
  POSTGRES_PASSWORD: 'from-the-secret-store',
  DRIFTWATCH_SECRET_FINGERPRINT_KEY: FINGERPRINT_KEY,
};

/**
 * The config a backend reads when started with these files, as the root config service reads it
 * (`--config` arguments; `${...}` from the environment).
 */
async function configOf(files: string[], env: Record<string, string> = productionEnv): Promise<Config> {
  const source = ConfigSources.default({
    argv: files.flatMap(file => ['--config', resolve(root, file)]),
    env: {},
    substitutionFunc: async name => env[name],
    rootDir: root,
  });
  const config = await ConfigSources.toConfig(source);
  config.close();
  return config;
}

const production = ['app-config.yaml', 'app-config.production.yaml'];
const demo = ['app-config.yaml', 'app-config.demo.yaml'];

/** What the demo switches on; none of it may reach production. */
const demoOnly = {
  'the replayed demo snapshots': (c: Config) => c.getOptional('drift.demo.replayDays'),
  'the snapshot cluster': (c: Config) => c.getOptional('drift.kubernetes.snapshots'),
  'reads from localhost': (c: Config) =>
    c.getOptionalConfigArray('backend.reading.allow')?.filter(rule => rule.getOptionalString('host') === 'localhost')
      .length || undefined,
  'the guest sign-in provider': (c: Config) => c.getOptional('auth.providers.guest'),
  'the example catalog': (c: Config) =>
    c.getOptionalConfigArray('catalog.locations')?.filter(l => l.getString('target').includes('examples/')).length ||
    undefined,
  'the example file locations': (c: Config) => c.getOptional('drift.fileLocations.roots'),
};

describe('the production config', () => {
  it.each(Object.entries(demoOnly))('leaves out %s, which the demo config sets', async (_, read) => {
    expect(read(await configOf(demo))).toBeDefined();
    expect(read(await configOf(production))).toBeUndefined();
  });

  it('turns permissions on and keeps the default auth policy', async () => {
    const config = await configOf(production);
    expect(config.getOptionalBoolean('permission.enabled')).toBe(true);
    expect(config.getOptional('backend.auth.dangerouslyDisableDefaultAuthPolicy')).toBeUndefined();
  });

  it('turns permissions on itself, not only through app-config.yaml', async () => {
    const withoutShared = await configOf(['app-config.production.yaml']);
    expect(withoutShared.getOptionalBoolean('permission.enabled')).toBe(true);
  });

  it('reads PostgreSQL and the Secret fingerprint key from the environment', async () => {
    const config = await configOf(production);
    expect(config.getString('backend.database.client')).toBe('pg');
    expect(config.getConfig('backend.database.connection').get()).toMatchObject({
      host: 'db.internal',
      port: '5432',
      user: 'backstage',
      password: 'from-the-secret-store',
    });
    expect(config.getString('drift.secretFingerprintKey')).toBe(FINGERPRINT_KEY);

    // Unset, the key is left out and the plugin falls back to a generated one, with a warning.
    const { DRIFTWATCH_SECRET_FINGERPRINT_KEY: _, ...withoutKey } = productionEnv;
    expect((await configOf(production, withoutKey)).getOptional('drift.secretFingerprintKey')).toBeUndefined();
  });

  describe('started', () => {
    const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

    type ConfigData = NonNullable<mockServices.rootConfig.Options['data']>;

    /**
     * Warnings and errors about access and secrets of a backend with the permission and drift
     * plugins and this config; other warnings, such as routing actions whose modules this
     * backend does not install, are not about the config's safety.
     */
    async function problemsStartingWith(data: ConfigData, databaseId: TestDatabaseId) {
      const lines: LogLine[] = [];
      const backend = await startTestBackend({
        features: [
          permissionPlugin,
          driftwatchPermissionPolicy,
          driftPlugin,
          catalogServiceMock.factory({ entities: [] }),
          mockServices.rootConfig.factory({ data }),
          // The test's own database stands in for the production server.
          mockServices.database.factory({ knex: await databases.init(databaseId) }),
          capturedLogsServiceFactory(lines),
        ],
      });
      await backend.stop();
      return lines.filter(
        line =>
          (line.level === 'warn' || line.level === 'error') &&
          /permission|disabled|auth|secret|insecure|dangerous/i.test(line.message),
      );
    }

    it.each(databases.eachSupportedId())('logs no warning about permissions, auth or secrets on %p', async databaseId => {
      const data = (await configOf(production)).get<ConfigData>();
      expect(await problemsStartingWith(data, databaseId)).toEqual([]);
    });

    it.each(databases.eachSupportedId())(
      'warns when permissions are off or the fingerprint key is missing, on %p',
      async databaseId => {
        const { DRIFTWATCH_SECRET_FINGERPRINT_KEY: _, ...withoutKey } = productionEnv;
        const data = { ...(await configOf(production, withoutKey)).get<ConfigData>(), permission: { enabled: false } };
        const problems = await problemsStartingWith(data, databaseId);
        expect(problems).toEqual([
          { plugin: 'permission', level: 'warn', message: expect.stringMatching(/started with permissions disabled/) },
          { plugin: 'drift', level: 'warn', message: expect.stringMatching(/^drift\.secretFingerprintKey is not set/) },
        ]);
      },
    );
  });
});
