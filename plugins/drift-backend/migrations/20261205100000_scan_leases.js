// @ts-check

/**
 * Scans shared by replicas: the replica running a scan holds a lease on it and renews it, so a
 * scan whose replica died is recognised by its expired lease. A queued or running triggered scan
 * keeps what it covers in `active_coverage`, unique, so two replicas asked for the same scan at
 * once start one.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('drift_scans', table => {
    table.string('lease_owner').nullable().comment('The replica running the scan');
    table.timestamp('lease_until', { useTz: true }).nullable().comment('Abandoned when past');
    table
      .string('active_coverage', 1024)
      .nullable()
      .comment('What a queued or running triggered scan covers (catalog, entity:<ref>); null once it ends');
    table.unique(['active_coverage'], { indexName: 'drift_scans_active_coverage_uniq' });
    table.index(['finished_at'], 'drift_scans_finished_at_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('drift_scans', table => {
    table.dropIndex(['finished_at'], 'drift_scans_finished_at_idx');
    table.dropUnique(['active_coverage'], 'drift_scans_active_coverage_uniq');
    table.dropColumn('active_coverage');
    table.dropColumn('lease_until');
    table.dropColumn('lease_owner');
  });
};
