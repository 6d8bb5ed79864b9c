// @ts-check

/**
 * The statistics' covering index (20261205000000_indexes.js) also holds close_reason, which
 * the resolved counts read since 20261205110000_catalog_changes.js: without it every finding
 * of the window is read from the table.
 */
const NAME = 'drift_findings_entity_statistics_idx';
const COLUMNS = [
  'entity_ref',
  'status',
  'first_detected_at',
  'opened_at',
  'resolved_at',
  'severity',
  'tier',
  'sla_breached',
  'resource_status',
  'owner',
  'categories',
];

/**
 * @param {import('knex').Knex} knex
 * @param {string[]} columns
 */
async function recreate(knex, columns) {
  await knex.schema.alterTable('drift_findings', table => table.dropIndex([], NAME));
  await knex.schema.alterTable('drift_findings', table => table.index(columns, NAME));
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await recreate(knex, [...COLUMNS, 'close_reason']);
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await recreate(knex, COLUMNS);
};
