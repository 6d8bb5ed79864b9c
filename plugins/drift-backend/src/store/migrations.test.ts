import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { connectDatabase, rollbackAll } from './migrations';

const tables = [
  'drift_scans',
  'drift_resources',
  'drift_findings',
  'drift_events',
  'drift_daily_rollups',
  'drift_settings',
];

jest.setTimeout(60_000);

describe('drift migrations', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())('run up and down on %p', async databaseId => {
    const knex = await databases.init(databaseId);
    const database = mockServices.database({ knex });

    const client = await connectDatabase(database);
    for (const table of tables) {
      expect(await client.schema.hasTable(table)).toBe(true);
    }
    // The same finding identity cannot be stored twice: scans rely on this to stay idempotent.
    const finding = {
      id: 'f1',
      entity_ref: 'component:default/a',
      provider: 'kubernetes',
      location: 'prod',
      resource_key: 'Deployment:shop:cart',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'cart',
      resource_status: 'drifted',
      status: 'active',
      severity: 'high',
      severity_rank: 2,
      categories: '[]',
      changes: '[]',
      drift_hash: 'h',
      tier: 2,
      first_detected_at: new Date(),
      opened_at: new Date(),
      last_seen_at: new Date(),
    };
    await client('drift_findings').insert(finding);
    await expect(
      client('drift_findings').insert({ ...finding, id: 'f2' }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/unique|duplicate/i) });

    await rollbackAll(client);
    for (const table of tables) {
      expect(await client.schema.hasTable(table)).toBe(false);
    }
  });

  it.each(databases.eachSupportedId())('stores a 2,000-character location and address on %p', async databaseId => {
    const client = await connectDatabase(mockServices.database({ knex: await databases.init(databaseId) }));
    const location = `url:https://github.com/acme/infra/blob/main/${'plans/'.repeat(330)}db.json`;
    const resourceKey = `module.${'nested.'.repeat(200)}aws_db_instance.main`;
    expect(location.length).toBeGreaterThan(2000);
    await client('drift_resources').insert({
      entity_ref: 'resource:default/orders-db',
      provider: 'terraform',
      location,
      resource_key: resourceKey,
      kind: 'aws_db_instance',
      name: resourceKey,
      status: 'in-sync',
      last_scanned_at: new Date(),
    });
    expect(await client('drift_resources').first()).toMatchObject({ location, resource_key: resourceKey });
  });

  it('waits for the migrations of a replica starting at the same time', async () => {
    const knex = await databases.init('SQLITE_3');
    // Another replica holds knex's migration lock.
    await knex.schema.createTable('drift_knex_migrations_lock', table => {
      table.increments('index').primary();
      table.integer('is_locked');
    });
    await knex('drift_knex_migrations_lock').insert({ is_locked: 1 });
    const connected = connectDatabase(mockServices.database({ knex }));
    let done = false;
    connected.then(() => {
      done = true;
    });
    await new Promise(resolve => setTimeout(resolve, 700));
    expect(done).toBe(false);
    // The other replica's migrations end.
    await knex('drift_knex_migrations_lock').update({ is_locked: 0 });
    await connected;
    expect(await knex.schema.hasTable('drift_findings')).toBe(true);
  });

  it('is skipped when migrations are turned off', async () => {
    const knex = await databases.init('SQLITE_3');
    const database = mockServices.database({ knex, migrations: { skip: true } });
    const client = await connectDatabase(database);
    expect(await client.schema.hasTable('drift_findings')).toBe(false);
  });
});
