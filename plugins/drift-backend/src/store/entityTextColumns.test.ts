import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';

jest.setTimeout(60_000);

const migrations = {
  directory: resolvePackagePath('@driftwatch/plugin-drift-backend', 'migrations'),
  tableName: 'drift_knex_migrations',
};
const MIGRATION = '20261202100000_entity_text_columns.js';
const COLUMNS = ['entity_ref', 'owner', 'system', 'environment'];

/** The declared type of each retyped column; SQLite keeps what the first migration declared. */
async function columnTypes(knex: Knex) {
  const info = await knex('drift_entities').columnInfo();
  return COLUMNS.map(column => `${info[column].type}${info[column].maxLength ? `(${info[column].maxLength})` : ''}`);
}

const long = (prefix: string) => `${prefix}${'a-very-long-name-'.repeat(120)}`.slice(0, 2000);

describe('the drift_entities text columns migration', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'stores a 2,000-character entity ref and owner, and rolls back, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const postgres = databaseId === 'POSTGRES_15';
      await knex.migrate.latest(migrations);
      expect(await columnTypes(knex)).toEqual(COLUMNS.map(() => (postgres ? 'text' : 'varchar(255)')));

      const row = {
        entity_ref: long('component:default/'),
        owner: long('group:default/'),
        system: long('system:default/'),
        tier: 1,
        environment: long('production-'),
      };
      expect(row.entity_ref).toHaveLength(2000);
      await knex('drift_entities').insert(row);
      const stored = await knex('drift_entities').where({ owner: row.owner }).first();
      expect({ ...stored, tier: Number(stored.tier) }).toEqual(row);

      // Rolling back fails, rather than cut values, while a value does not fit.
      await knex('drift_entities').delete();
      await knex('drift_entities').insert({ entity_ref: 'component:default/cart', owner: 'group:default/shop' });
      await knex.migrate.down({ ...migrations, name: MIGRATION });
      expect(await columnTypes(knex)).toEqual(
        COLUMNS.map(() => (postgres ? 'character varying(255)' : 'varchar(255)')),
      );
      expect(await knex('drift_entities').select('entity_ref', 'owner')).toEqual([
        { entity_ref: 'component:default/cart', owner: 'group:default/shop' },
      ]);
    },
  );

  it.each(databases.eachSupportedId())('keeps a long value when rolling back on %p', async databaseId => {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest(migrations);
    await knex('drift_entities').insert({ entity_ref: long('component:default/') });
    const failure = await knex.migrate.down({ ...migrations, name: MIGRATION }).then(
      () => undefined,
      (error: Error) => error.message,
    );
    // SQLite does not enforce lengths, so it has nothing to retype.
    const expected = { POSTGRES_15: expect.stringMatching(/too long/), SQLITE_3: undefined };
    expect(failure).toEqual(expected[databaseId as keyof typeof expected]);
    expect((await knex('drift_entities').first()).entity_ref).toHaveLength(2000);
  });
});
