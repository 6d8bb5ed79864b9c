// @ts-check

/**
 * Columns that hold URLs, addresses, refs and names become text: a `url:` location, a
 * Terraform address under nested modules or a long entity ref does not fit varchar(255).
 * Only PostgreSQL needs this: SQLite does not enforce lengths. PostgreSQL's text has no
 * length limit; index entries (the identity indexes cover location) must stay below about
 * 2.7 kB after compression.
 */
const COLUMNS = {
  drift_scans: { entity_ref: 255, requested_by: 255 },
  drift_resources: {
    entity_ref: 255,
    provider: 255,
    location: 255,
    resource_key: 1024,
    api_version: 255,
    kind: 255,
    namespace: 255,
    name: 512,
  },
  drift_findings: {
    entity_ref: 255,
    provider: 255,
    location: 255,
    resource_key: 1024,
    kind: 255,
    namespace: 255,
    name: 512,
    owner: 255,
    system: 255,
    acknowledged_by: 255,
    suppressed_by: 255,
  },
  drift_events: { entity_ref: 255, actor: 255 },
  drift_daily_rollups: { entity_ref: 255, owner: 255, provider: 255 },
};

/**
 * @param {import('knex').Knex} knex
 * @param {(length: number) => string} type
 */
async function retype(knex, type) {
  if (knex.client.dialect !== 'postgresql') return;
  for (const [table, columns] of Object.entries(COLUMNS)) {
    const lengths = Object.values(columns);
    const changes = lengths.map(length => `alter column ?? type ${type(length)}`);
    await knex.raw(`alter table ?? ${changes.join(', ')}`, [table, ...Object.keys(columns)]);
  }
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await retype(knex, () => 'text');
};

/**
 * Fails, rather than cut values, when a value no longer fits.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await retype(knex, length => `varchar(${length})`);
};
