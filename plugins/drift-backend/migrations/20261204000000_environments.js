// @ts-check

/**
 * Environments: the environment of each finding and monitored resource (that of the cluster it
 * was compared in), and the normalized desired and live objects of each resource, from which the
 * same object is compared across environments. Secrets' objects are never stored.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('drift_findings', table => {
    table.text('environment').nullable().comment('Environment of the location (drift.environments)');
  });
  await knex.schema.alterTable('drift_resources', table => {
    table.text('environment').nullable().comment('Environment of the location (drift.environments)');
    table.text('desired_object').nullable().comment('JSON: the normalized desired object; never a Secret');
    table.text('live_object').nullable().comment('JSON: the normalized live object; never a Secret');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('drift_resources', table => {
    table.dropColumn('live_object');
    table.dropColumn('desired_object');
    table.dropColumn('environment');
  });
  await knex.schema.alterTable('drift_findings', table => {
    table.dropColumn('environment');
  });
};
