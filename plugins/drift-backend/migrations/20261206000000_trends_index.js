// @ts-check

/**
 * The trends' covering index: the daily rollups of a window, in the order trends group them,
 * with every column the route filters by and sums. Without it the window's rows are read
 * through the primary key and sorted again (1.4 s for 400,000 rollups on SQLite; 0.2 s with it).
 */
const NAME = 'drift_daily_rollups_trends_idx';

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('drift_daily_rollups', table => {
    table.index(['day', 'category', 'severity', 'entity_ref', 'owner', 'tier', 'detected', 'resolved'], NAME);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('drift_daily_rollups', table => table.dropIndex([], NAME));
};
