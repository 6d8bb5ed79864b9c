import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { createTestDatabases } from '../__testUtils__/databases';

jest.setTimeout(60_000);

const migrations = {
  directory: resolvePackagePath('@driftwatch/plugin-drift-backend', 'migrations'),
  tableName: 'drift_knex_migrations',
};

describe('the drift_entities migration', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'backfills the entities scanned before it, and rolls back, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.up({ ...migrations, name: '20261124000000_init.js' });
      const now = new Date();
      const finding = (id: string, resourceKey: string) => ({
        id,
        entity_ref: 'component:default/a',
        provider: 'kubernetes',
        location: 'prod',
        resource_key: resourceKey,
        kind: 'Deployment',
        name: 'a',
        resource_status: 'drifted',
        status: 'active',
        severity: 'high',
        severity_rank: 2,
        categories: '[]',
        changes: '[]',
        drift_hash: 'h',
        tier: 1,
        owner: 'group:default/shop',
        system: 'system:default/web',
        first_detected_at: now,
        opened_at: now,
        last_seen_at: now,
      });
      await knex('drift_findings').insert([finding('f1', 'Deployment:ns:a'), finding('f2', 'Service:ns:a')]);
      await knex('drift_resources').insert({
        entity_ref: 'component:default/b',
        provider: 'kubernetes',
        location: 'prod',
        resource_key: 'Deployment:ns:b',
        kind: 'Deployment',
        name: 'b',
        status: 'in-sync',
        last_scanned_at: now,
      });

      await knex.migrate.up({ ...migrations, name: '20261201000000_entities.js' });
      const rows = await knex('drift_entities').orderBy('entity_ref');
      expect(rows.map(r => ({ ...r, tier: r.tier === null ? null : Number(r.tier) }))).toEqual([
        { entity_ref: 'component:default/a', owner: 'group:default/shop', system: 'system:default/web', tier: 1, environment: null },
        { entity_ref: 'component:default/b', owner: null, system: null, tier: null, environment: null },
      ]);

      await knex.migrate.down({ ...migrations, name: '20261201000000_entities.js' });
      expect(await knex.schema.hasTable('drift_entities')).toBe(false);
      expect(await knex.schema.hasTable('drift_findings')).toBe(true);
    },
  );
});
