// @ts-check

/**
 * The refs and names of drift_entities become text, as the other tables' did in
 * 20261202000000_text_columns.js: a long entity or owner ref must not stop a scan from
 * recording the entity. Only PostgreSQL needs this: SQLite does not enforce lengths. The
 * primary key and the owner index cover these columns; PostgreSQL index entries must stay
 * below about 2.7 kB.
 */
const COLUMNS = ['entity_ref', 'owner', 'system', 'environment'];

/**
 * @param {import('knex').Knex} knex
 * @param {string} type
 */
async function retype(knex, type) {
  if (knex.client.dialect !== 'postgresql') return;
  const changes = COLUMNS.map(() => `alter column ?? type ${type}`);
  await knex.raw(`alter table ?? ${changes.join(', ')}`, ['drift_entities', ...COLUMNS]);
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await retype(knex, 'text');
};

/**
 * Fails, rather than cut values, when a value no longer fits.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await retype(knex, 'varchar(255)');
};
