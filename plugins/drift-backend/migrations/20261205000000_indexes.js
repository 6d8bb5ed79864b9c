// @ts-check

/**
 * Indexes for the read routes at volume (hundreds of thousands of findings, millions of
 * events): one per sort of the findings list, ending in the id its cursor pages by; one per
 * filter the API offers; the time columns the statistics, the review and the routing summary
 * select windows by; covering indexes the aggregates read instead of the tables; and the audit
 * log by entity and by type, newest first.
 */
const INDEXES = {
  drift_findings: {
    drift_findings_severity_rank_id_idx: ['severity_rank', 'id'],
    drift_findings_first_detected_id_idx: ['first_detected_at', 'id'],
    drift_findings_last_seen_id_idx: ['last_seen_at', 'id'],
    drift_findings_sla_due_id_idx: ['sla_due_at', 'id'],
    drift_findings_score_id_idx: ['score', 'id'],
    // Everything the statistics, the review's counts and a page's total read, by entity: the
    // read scope seeks into it and no table row is read.
    drift_findings_entity_statistics_idx: [
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
    ],
    drift_findings_tier_idx: ['tier', 'status'],
    drift_findings_provider_idx: ['provider', 'status'],
    drift_findings_environment_idx: ['environment', 'status'],
    drift_findings_location_idx: ['location', 'status'],
    drift_findings_breached_idx: ['sla_breached', 'status'],
    drift_findings_opened_idx: ['opened_at'],
    drift_findings_resolved_idx: ['resolved_at'],
    drift_findings_acknowledged_idx: ['acknowledged_at'],
  },
  drift_events: {
    drift_events_entity_at_idx: ['entity_ref', 'at', 'id'],
    drift_events_type_at_idx: ['type', 'at'],
  },
  drift_resources: {
    drift_resources_entity_id_idx: ['entity_ref', 'id'],
    // The surface area's counts, read from the index alone.
    drift_resources_entity_surface_idx: ['entity_ref', 'provider', 'kind', 'environment', 'location', 'status'],
  },
  drift_incident_links: {
    drift_incident_links_linked_at_idx: ['linked_at'],
  },
};

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  for (const [table, indexes] of Object.entries(INDEXES)) {
    await knex.schema.alterTable(table, t => {
      for (const [name, columns] of Object.entries(indexes)) t.index(columns, name);
    });
  }
  // Fresh statistics, so the planners pick these indexes at once.
  if (knex.client.dialect === 'postgresql') {
    await knex.raw(`analyze ${Object.keys(INDEXES).join(', ')}`);
  } else if (knex.client.dialect === 'sqlite3') {
    await knex.raw('analyze');
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  for (const [table, indexes] of Object.entries(INDEXES)) {
    await knex.schema.alterTable(table, t => {
      for (const name of Object.keys(indexes)) t.dropIndex([], name);
    });
  }
};
