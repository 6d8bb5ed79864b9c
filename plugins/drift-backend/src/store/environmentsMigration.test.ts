import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { createTestDatabases } from '../__testUtils__/databases';

jest.setTimeout(60_000);

const migrations = {
  directory: resolvePackagePath('@driftwatch/plugin-drift-backend', 'migrations'),
  tableName: 'drift_knex_migrations',
};
const MIGRATION = '20261204000000_environments.js';

describe('the environments migration', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())('adds and removes the environment and object columns on %p', async databaseId => {
    const knex = await databases.init(databaseId);
    await knex.migrate.up({ ...migrations, name: '20261124000000_init.js' });
    await knex.migrate.latest(migrations);

    expect(Object.keys(await knex('drift_findings').columnInfo())).toContain('environment');
    const resources = await knex('drift_resources').columnInfo();
    expect(resources).toMatchObject({
      environment: expect.objectContaining({ nullable: true }),
      desired_object: expect.objectContaining({ nullable: true }),
      live_object: expect.objectContaining({ nullable: true }),
    });

    const live = JSON.stringify({ kind: 'ConfigMap', data: { big: 'x'.repeat(60_000) } });
    await knex('drift_resources').insert({
      entity_ref: 'component:default/cart',
      provider: 'kubernetes',
      location: 'eu-staging',
      resource_key: 'ConfigMap:shop:cart',
      kind: 'ConfigMap',
      name: 'cart',
      status: 'in-sync',
      last_scanned_at: new Date(),
      environment: 'staging',
      live_object: live,
    });
    expect(await knex('drift_resources').first()).toMatchObject({ environment: 'staging', live_object: live, desired_object: null });

    await knex.migrate.down({ ...migrations, name: MIGRATION });
    expect(Object.keys(await knex('drift_findings').columnInfo())).not.toContain('environment');
    expect(Object.keys(await knex('drift_resources').columnInfo())).not.toEqual(
      expect.arrayContaining(['environment']),
    );
    expect(Object.keys(await knex('drift_resources').columnInfo())).not.toContain('live_object');
    expect(await knex('drift_resources').first()).toMatchObject({ resource_key: 'ConfigMap:shop:cart' });
  });
});
