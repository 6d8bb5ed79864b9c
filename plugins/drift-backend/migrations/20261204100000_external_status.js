// @ts-check

/**
 * What the tools that deploy an entity say about it (Argo CD's sync and health status), as the
 * last scan read them, kept beside Driftwatch's own verdict.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('drift_external_status', table => {
    table.comment('Status of each entity as the tools that deploy it report it, from the last scan');
    table.text('entity_ref').notNullable();
    table.string('source').notNullable().comment('The tool, e.g. argocd');
    table.text('app').notNullable().comment('The deployment, as the tool names it');
    table.string('sync').nullable().comment('e.g. Synced, OutOfSync');
    table.string('health').nullable().comment('e.g. Healthy, Degraded');
    table.text('revision').nullable();
    table.timestamp('observed_at', { useTz: true }).notNullable();
    table.index(['entity_ref'], 'drift_external_status_entity_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('drift_external_status');
};
