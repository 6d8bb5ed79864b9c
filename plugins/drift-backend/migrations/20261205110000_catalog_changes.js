// @ts-check

/**
 * Catalog changes: a finding closed because its entity left the catalog says so (it is not
 * fixed drift), and a desired-state source that keeps failing for an entity is retried with a
 * growing delay.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('drift_findings', table => {
    table
      .string('close_reason')
      .nullable()
      .comment('Why a resolved finding closed without the drift being fixed, e.g. entity-removed');
  });

  await knex.schema.createTable('drift_source_backoff', table => {
    table.comment('Desired-state sources failing for an entity, and when they are tried again');
    table.text('entity_ref').notNullable();
    table.string('source').notNullable().comment('Source id');
    table.integer('failures').notNullable().comment('Consecutive failures');
    table.text('last_error').notNullable();
    table.timestamp('failed_at', { useTz: true }).notNullable();
    table.timestamp('next_attempt_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'source']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('drift_source_backoff');
  await knex.schema.alterTable('drift_findings', table => {
    table.dropColumn('close_reason');
  });
};
