// @ts-check

/**
 * Routing by SLA tier: the outbox of intents written with each finding change, what each
 * action keeps per finding (a PR number, a dedup key), incident links, and on findings where
 * the object is declared and when an unacknowledged finding is re-notified.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('drift_routing_outbox', table => {
    table.comment('Routing intents, written in the transaction of the finding change they route');
    table.bigIncrements('id').primary().comment('Delivery order');
    table.string('intent_id', 36).notNullable().unique().comment('Stable across retries (uuid)');
    table.string('finding_id', 36).notNullable();
    table.text('entity_ref').notNullable();
    table.string('action').notNullable().comment('Action id, e.g. pagerduty');
    table.string('outcome').notNullable().comment('opened, changed, resolved, ...');
    table.integer('tier').notNullable().comment('The tier whose actions this intent runs');
    table.string('status').notNullable().comment('pending, delivered, skipped, failed');
    table.integer('attempts').notNullable().defaultTo(0);
    table.timestamp('next_attempt_at', { useTz: true }).notNullable();
    table.string('lease_owner').nullable().comment('The worker delivering it now');
    table.timestamp('lease_until', { useTz: true }).nullable();
    table.text('last_error').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.index(['status', 'next_attempt_at'], 'drift_routing_outbox_due_idx');
    table.index(['finding_id', 'action'], 'drift_routing_outbox_finding_idx');
  });

  await knex.schema.createTable('drift_routing_state', table => {
    table.comment("What each action keeps per finding between deliveries");
    table.string('finding_id', 36).notNullable();
    table.string('action').notNullable();
    table.text('state').notNullable().comment('JSON');
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.primary(['finding_id', 'action']);
  });

  await knex.schema.createTable('drift_incident_links', table => {
    table.comment('Incidents a finding is linked to, for the review');
    table.bigIncrements('id').primary();
    table.string('finding_id', 36).notNullable();
    table.text('url').notNullable();
    table.text('title').nullable();
    table.text('linked_by').notNullable();
    table.timestamp('linked_at', { useTz: true }).notNullable();
    table.index(['finding_id'], 'drift_incident_links_finding_idx');
  });

  await knex.schema.alterTable('drift_findings', table => {
    table.text('source').nullable().comment('JSON: where Git declares the object');
    table
      .timestamp('renotify_due_at', { useTz: true })
      .nullable()
      .comment('When an unacknowledged finding is routed again');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('drift_findings', table => {
    table.dropColumn('renotify_due_at');
    table.dropColumn('source');
  });
  await knex.schema.dropTable('drift_incident_links');
  await knex.schema.dropTable('drift_routing_state');
  await knex.schema.dropTable('drift_routing_outbox');
};
