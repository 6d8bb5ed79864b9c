// @ts-check

/**
 * What permission conditions look at: each scanned entity's owner, system, tier and
 * environment, kept current by every scan, so one filter serves findings, resources, events
 * and rollups alike.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('drift_entities', table => {
    table.comment('Catalog attributes of each scanned entity, for permission conditions');
    table.string('entity_ref').primary();
    table.string('owner').nullable().comment('Owner entity ref');
    table.string('system').nullable().comment('System entity ref');
    table.integer('tier').nullable().comment('Null until the next scan for entities backfilled without findings');
    table.string('environment').nullable().comment('The driftwatch.io/environment annotation');
    table.index(['owner'], 'drift_entities_owner_idx');
  });

  // Entities scanned before this migration: their attributes as their findings recorded them;
  // entities with resources only get theirs at the next scan.
  const fromFindings = /** @type {Array<{ entity_ref: string }>} */ (
    await knex('drift_findings')
      .select('entity_ref')
      .max({ owner: 'owner', system: 'system', tier: 'tier' })
      .groupBy('entity_ref')
  );
  const known = new Set(fromFindings.map(row => row.entity_ref));
  const fromResources = (await knex('drift_resources').distinct('entity_ref'))
    .filter(row => !known.has(row.entity_ref))
    .map(row => ({ entity_ref: row.entity_ref, owner: null, system: null, tier: null }));
  await knex.batchInsert('drift_entities', [...fromFindings, ...fromResources], 500);
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('drift_entities');
};
