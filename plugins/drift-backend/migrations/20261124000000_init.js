// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('drift_scans', table => {
    table.comment('One scan run: what triggered it, its progress and outcome');
    table.string('id').primary().comment('Scan id (uuid)');
    table.string('trigger').notNullable().comment('schedule, manual or startup');
    table.string('entity_ref').nullable().comment('The one entity scanned, or null for all');
    table.string('requested_by').nullable().comment('User or service that asked for the scan');
    table.string('status').notNullable().comment('queued, running, succeeded, partial, failed');
    table.timestamp('queued_at', { useTz: true }).notNullable();
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.integer('entities_total').notNullable().defaultTo(0);
    table.integer('entities_done').notNullable().defaultTo(0);
    table.integer('resources_scanned').notNullable().defaultTo(0);
    table.integer('findings_opened').notNullable().defaultTo(0);
    table.integer('findings_resolved').notNullable().defaultTo(0);
    table.text('errors').nullable().comment('JSON list of {entityRef, location, message}');
    table.index(['status'], 'drift_scans_status_idx');
    table.index(['queued_at'], 'drift_scans_queued_at_idx');
  });

  await knex.schema.createTable('drift_resources', table => {
    table.comment('Every monitored object with its current status: surface area and coverage');
    table.bigIncrements('id').primary();
    table.string('entity_ref').notNullable();
    table.string('provider').notNullable().comment('kubernetes, terraform, ...');
    table.string('location').notNullable().comment('Cluster name or plan location');
    table.string('resource_key', 1024).notNullable().comment('Kind:namespace:name or address');
    table.string('api_version').nullable();
    table.string('kind').notNullable();
    table.string('namespace').nullable();
    table.string('name', 512).notNullable();
    table.string('status').notNullable().comment('in-sync, drifted, missing, extra, unknown');
    table.string('last_scan_id').nullable();
    table.timestamp('last_scanned_at', { useTz: true }).notNullable();
    table.text('error').nullable().comment('Why the status is unknown');
    table.unique(['entity_ref', 'provider', 'location', 'resource_key'], {
      indexName: 'drift_resources_identity_uniq',
    });
    table.index(['status'], 'drift_resources_status_idx');
  });

  await knex.schema.createTable('drift_findings', table => {
    table.comment('One per drifted resource, with its lifecycle');
    table.string('id').primary().comment('Finding id (uuid)');
    table.string('entity_ref').notNullable();
    table.string('provider').notNullable();
    table.string('location').notNullable();
    table.string('resource_key', 1024).notNullable();
    table.string('kind').notNullable();
    table.string('namespace').nullable();
    table.string('name', 512).notNullable();
    table.string('resource_status').notNullable().comment('drifted, missing or extra');
    table.string('status').notNullable().comment('active, acknowledged, suppressed, resolved');
    table.string('severity').notNullable();
    table.integer('severity_rank').notNullable().comment('0 low .. 3 critical, for sorting');
    table.float('score').notNullable().defaultTo(0);
    table.text('categories').notNullable().comment('JSON list of drift categories');
    table.text('changes').notNullable().comment('JSON list of redacted field changes');
    table.string('drift_hash').notNullable().comment('Fingerprint of the changes, to notice change');
    table.string('last_known_good_hash').nullable();
    table.integer('tier').notNullable();
    table.string('owner').nullable();
    table.string('system').nullable();
    table.timestamp('first_detected_at', { useTz: true }).notNullable();
    table
      .timestamp('opened_at', { useTz: true })
      .notNullable()
      .comment('Start of the current episode: first detection, or the last reopening');
    table.timestamp('last_seen_at', { useTz: true }).notNullable();
    table.timestamp('resolved_at', { useTz: true }).nullable();
    table.timestamp('sla_due_at', { useTz: true }).nullable();
    table.boolean('sla_breached').notNullable().defaultTo(false);
    table.string('acknowledged_by').nullable();
    table.timestamp('acknowledged_at', { useTz: true }).nullable();
    table.text('acknowledge_note').nullable();
    table.string('suppressed_by').nullable();
    table.timestamp('suppressed_until', { useTz: true }).nullable();
    table.text('suppress_reason').nullable();
    table.unique(['entity_ref', 'provider', 'location', 'resource_key'], {
      indexName: 'drift_findings_identity_uniq',
    });
    table.index(['status', 'severity'], 'drift_findings_status_severity_idx');
    table.index(['owner'], 'drift_findings_owner_idx');
    table.index(['first_detected_at'], 'drift_findings_first_detected_idx');
  });

  await knex.schema.createTable('drift_events', table => {
    table.comment('Append-only audit log of detections and human decisions');
    table.bigIncrements('id').primary();
    table.string('finding_id').nullable();
    table.string('entity_ref').notNullable();
    table
      .string('type')
      .notNullable()
      .comment('detected, changed, resolved, acknowledged, suppressed, routed, escalated, reopened');
    table.string('actor').notNullable().comment('User ref, or driftwatch for automatic events');
    table.timestamp('at', { useTz: true }).notNullable();
    table.text('note').nullable();
    table.text('details').nullable().comment('JSON');
    table.index(['finding_id'], 'drift_events_finding_idx');
    table.index(['at'], 'drift_events_at_idx');
    table.index(['type'], 'drift_events_type_idx');
  });

  await knex.schema.createTable('drift_settings', table => {
    table.comment('Plugin-wide values that must survive restarts, e.g. the secret fingerprint key');
    table.string('key').primary();
    table.text('value').notNullable();
  });

  await knex.schema.createTable('drift_daily_rollups', table => {
    table.comment('Per-day counts for trend queries');
    table.string('day', 10).notNullable().comment('YYYY-MM-DD (UTC)');
    table.string('entity_ref').notNullable();
    table.string('owner').notNullable().defaultTo('');
    table.integer('tier').notNullable();
    table.string('category').notNullable();
    table.string('provider').notNullable();
    table.string('severity').notNullable();
    table.integer('detected').notNullable().defaultTo(0);
    table.integer('resolved').notNullable().defaultTo(0);
    table.primary(
      ['day', 'entity_ref', 'tier', 'category', 'provider', 'severity'],
      'drift_daily_rollups_pk',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('drift_settings');
  await knex.schema.dropTable('drift_daily_rollups');
  await knex.schema.dropTable('drift_events');
  await knex.schema.dropTable('drift_findings');
  await knex.schema.dropTable('drift_resources');
  await knex.schema.dropTable('drift_scans');
};
