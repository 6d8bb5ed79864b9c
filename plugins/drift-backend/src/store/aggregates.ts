import {
  DRIFT_CATEGORIES,
  type DriftStatistics,
  type ReviewReport,
  type StatisticsGroup,
  type StatisticsGroupBy,
} from '@driftwatch/plugin-drift-common';
import type { Knex } from 'knex';
import { findingFromRow } from './rows';
import type { Finding, FindingFilter } from './types';

// Statistics and the review report, aggregated in the database. Every query starts from the
// findings the list route would return for the same filter (and the caller's read scope), so
// counts agree with the list; the work grows with the findings of the window, never with its
// length times the findings.

const DAY_MS = 86_400_000;

/** Where the aggregates read from: the store's filtered queries. */
export interface AggregateSources {
  db: Knex;
  /** drift_findings, filtered as the findings list filters it. */
  findings(filter: FindingFilter): Knex.QueryBuilder;
  /** drift_resources, in the caller's scope. */
  resources(): Knex.QueryBuilder;
  /**
   * A part of an answer, computed once per data version and scope: the dashboard's requests
   * for one window share its totals and coverage.
   */
  memo<T>(part: string, params: unknown, compute: () => Promise<T>): Promise<T>;
}

/** What a finding counts under when grouped by category: its categories, or its status. */
const CATEGORY_KEYS = [...DRIFT_CATEGORIES, 'missing', 'extra'] as const;

/** SQL condition and bindings. */
type Condition = [string, Knex.RawBinding[]];

function categoryCondition(key: (typeof CATEGORY_KEYS)[number]): Condition {
  // Categories are a JSON list of names from a closed set, as the list filter reads them.
  return key === 'missing' || key === 'extra'
    ? ["categories = '[]' and resource_status = ?", [key]]
    : ['categories like ?', [`%"${key}"%`]];
}

const and = (...conditions: Condition[]): Condition => [
  conditions.map(([sql]) => `(${sql})`).join(' and '),
  conditions.flatMap(([, bindings]) => bindings),
];

function countIf(db: Knex, [sql, bindings]: Condition, alias: string) {
  return db.raw(`sum(case when ${sql} then 1 else 0 end) as ??`, [...bindings, alias]);
}

const count = (value: unknown) => Number(value ?? 0);

/** A row of an aggregate query: counts come back as numbers or (PostgreSQL) strings. */
type Row = Record<string, any>;

/** The UTC day (YYYY-MM-DD) of a timestamp column. */
function dayOf(db: Knex, column: string): Knex.Raw {
  switch (db.client.dialect) {
    case 'postgresql':
      return db.raw(`to_char(?? at time zone 'UTC', 'YYYY-MM-DD')`, [column]);
    case 'sqlite3':
      // knex stores dates as epoch milliseconds in SQLite.
      return db.raw(`strftime('%Y-%m-%d', ?? / 1000, 'unixepoch')`, [column]);
    default:
      return db.raw(`date_format(??, '%Y-%m-%d')`, [column]);
  }
}

/** Milliseconds since the epoch of a timestamp column. */
function epochMs(db: Knex, column: string): string {
  const quoted = db.raw('??', [column]).toQuery();
  switch (db.client.dialect) {
    case 'postgresql':
      return `(extract(epoch from ${quoted}) * 1000)`;
    case 'sqlite3':
      return quoted;
    default:
      return `(unix_timestamp(${quoted}) * 1000)`;
  }
}

/**
 * A column SQLite must not pick an index for. Without range statistics its planner takes
 * `first_detected_at <= now` (true of every finding) for a selective bound and reads each row
 * through that index, ten times slower than scanning the covering statistics index; the unary
 * `+` takes the term out of index selection. PostgreSQL's planner has the statistics.
 */
function notIndexed(db: Knex, column: string): Knex.Raw {
  return db.raw(db.client.dialect === 'sqlite3' ? '+??' : '??', [column]);
}

function window(db: Knex, from: Date, to: Date) {
  const inWindow = (column: string): Condition => [`?? >= ? and ?? <= ?`, [column, from, column, to]];
  /**
   * Findings the window is about: open ones, and those opened or resolved in it, first seen by
   * its end.
   */
  const touched = (query: Knex.QueryBuilder) =>
    query
      .where(q =>
        q
          .whereNot('status', 'resolved')
          .orWhereBetween('resolved_at', [from, to])
          .orWhereBetween('opened_at', [from, to]),
      )
      .where(notIndexed(db, 'first_detected_at'), '<=', to);
  // A finding closed because its entity left the catalog was not fixed: it is no resolved drift.
  const [since, sinceBindings] = inWindow('resolved_at');
  const resolved: Condition = [`${since} and close_reason is null`, sinceBindings];
  return { inWindow, touched, opened: inWindow('opened_at'), resolved };
}

const OPEN: Condition = ["status <> 'resolved'", []];
const BREACHED: Condition = ['sla_breached = ?', [true]];

export interface StatisticsQuery {
  from: Date;
  to: Date;
  groupBy: StatisticsGroupBy;
  filter: FindingFilter;
}

/** Counts, coverage and groups of a window (`GET /statistics`). */
export async function queryStatistics(sources: AggregateSources, options: StatisticsQuery): Promise<DriftStatistics> {
  const { db } = sources;
  const { from, to, groupBy, filter } = options;
  const { touched, opened, resolved } = window(db, from, to);
  const findings = () => touched(sources.findings(filter));

  // One pass over the window's findings for every total: grouped by severity and tier, summed here.
  const [totalRows, coverageRows, groups]: [Row[], Row[], StatisticsGroup[]] = await Promise.all([
    sources.memo('statistics-totals', { from, to, filter }, async () =>
      findings()
        .select(
          'severity',
          'tier',
          countIf(db, ["status = 'active'", []], 'active'),
          countIf(db, ["status = 'acknowledged'", []], 'acknowledged'),
          countIf(db, ["status = 'suppressed'", []], 'suppressed'),
          countIf(db, OPEN, 'unresolved'),
          countIf(db, opened, 'detectedInRange'),
          countIf(db, resolved, 'resolvedInRange'),
          countIf(db, and(OPEN, BREACHED), 'breached'),
          db.raw(
            `sum(case when ${resolved[0]} then ${epochMs(db, 'resolved_at')} - ${epochMs(db, 'opened_at')} end) as ??`,
            [...resolved[1], 'resolvedMs'],
          ),
          ...CATEGORY_KEYS.map(key => countIf(db, and(OPEN, categoryCondition(key)), `category_${key}`)),
        )
        .groupBy('severity', 'tier'),
    ),
    sources.memo('coverage', {}, async () => sources.resources().select('status').count({ n: '*' }).groupBy('status')),
    sources.memo('statistics-groups', options, () => queryGroups(sources, options)),
  ]);
  const sum = (column: string, rows = totalRows) => rows.reduce((n, r) => n + count(r[column]), 0);
  const openBy = (column: 'severity' | 'tier') => {
    const counts: Record<string, number> = {};
    for (const r of totalRows) {
      if (count(r.unresolved)) counts[String(r[column])] = (counts[String(r[column])] ?? 0) + count(r.unresolved);
    }
    return counts;
  };
  const totals = {
    active: sum('active'),
    acknowledged: sum('acknowledged'),
    suppressed: sum('suppressed'),
    unresolved: sum('unresolved'),
    detectedInRange: sum('detectedInRange'),
    resolvedInRange: sum('resolvedInRange'),
    breached: sum('breached'),
  };
  const byCategory = Object.fromEntries(
    CATEGORY_KEYS.map(key => [key, sum(`category_${key}`)]).filter(([, n]) => Number(n) > 0),
  );
  const coverage = Object.fromEntries(coverageRows.map(r => [String(r.status), count(r.n)]));
  const monitored = Object.values(coverage).reduce((n, v) => n + v, 0);

  return {
    from: from.toISOString(),
    to: to.toISOString(),
    groupBy,
    totals: {
      ...totals,
      mttrHours: totals.resolvedInRange ? sum('resolvedMs') / totals.resolvedInRange / 3_600_000 : null,
      bySeverity: openBy('severity'),
      byTier: openBy('tier'),
      byCategory,
    },
    coverage: {
      monitored,
      inSync: coverage['in-sync'] ?? 0,
      byStatus: coverage,
      inSyncRatio: monitored ? (coverage['in-sync'] ?? 0) / monitored : null,
    },
    groups,
  };
}

async function queryGroups(sources: AggregateSources, options: StatisticsQuery): Promise<StatisticsGroup[]> {
  const { db } = sources;
  const { from, to, groupBy, filter } = options;
  const { touched, opened, resolved } = window(db, from, to);
  const findings = () => touched(sources.findings(filter));

  if (groupBy === 'day') return queryDays(sources, options);
  if (groupBy === 'category') {
    const [row]: Row[] = await findings().select(
      CATEGORY_KEYS.flatMap(key => {
        const category = categoryCondition(key);
        return [
          countIf(db, and(category, opened), `${key}_detected`),
          countIf(db, and(category, resolved), `${key}_resolved`),
          countIf(db, and(category, OPEN), `${key}_active`),
          countIf(db, and(category, OPEN, BREACHED), `${key}_breached`),
        ];
      }),
    );
    return CATEGORY_KEYS.map(key => ({
      key,
      detected: count(row[`${key}_detected`]),
      resolved: count(row[`${key}_resolved`]),
      active: count(row[`${key}_active`]),
      breached: count(row[`${key}_breached`]),
    }))
      .filter(g => g.detected || g.resolved || g.active)
      .sort((a, b) => a.key.localeCompare(b.key));
  }
  const column = { owner: 'owner', tier: 'tier', provider: 'provider', severity: 'severity' }[groupBy];
  const rows: Row[] = await findings()
    .select(
      `${column} as key`,
      countIf(db, opened, 'detected'),
      countIf(db, resolved, 'resolved'),
      countIf(db, OPEN, 'active'),
      countIf(db, and(OPEN, BREACHED), 'breached'),
    )
    .groupBy(column);
  return rows
    .map(r => ({
      key: r.key === null ? 'unowned' : String(r.key),
      detected: count(r.detected),
      resolved: count(r.resolved),
      active: count(r.active),
      breached: count(r.breached),
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * One group per day of the window: findings opened (by severity) and resolved that day, and
 * those active at its end. Active counts come from running sums of openings and resolutions
 * (a finding's resolution never precedes its opening), so no query scans the window per day.
 */
async function queryDays(sources: AggregateSources, options: StatisticsQuery): Promise<StatisticsGroup[]> {
  const { db } = sources;
  const { from, to, filter } = options;
  const { touched, opened, resolved } = window(db, from, to);
  const firstDay = Date.parse(from.toISOString().slice(0, 10));
  const start = new Date(firstDay);
  const end = new Date(Date.parse(to.toISOString().slice(0, 10)) + DAY_MS);
  const dayIn = (column: string) =>
    db.raw('case when ?? >= ? and ?? < ? then ? end', [column, start, column, end, dayOf(db, column)]);

  // One pass: findings by the day they opened and the day they were resolved (each null when
  // outside the days shown), and those opened or resolved before the first day.
  const rows: Row[] = await touched(sources.findings(filter))
    .select(
      dayIn('opened_at').wrap('', ' as opened_day'),
      dayIn('resolved_at').wrap('', ' as resolved_day'),
      'severity',
      countIf(db, opened, 'detected'),
      countIf(db, resolved, 'resolved'),
      countIf(db, ['opened_at < ?', [start]], 'opened_before'),
      countIf(db, ['resolved_at < ?', [start]], 'resolved_before'),
    )
    .count({ n: '*' })
    .groupByRaw('1, 2, 3');

  const days = new Map<string, StatisticsGroup & { bySeverity: Record<string, number>; opened: number; closed: number }>();
  for (let t = firstDay; t < end.getTime(); t += DAY_MS) {
    const key = new Date(t).toISOString().slice(0, 10);
    days.set(key, { key, detected: 0, resolved: 0, active: 0, bySeverity: {}, opened: 0, closed: 0 });
  }
  let active = 0;
  for (const r of rows) {
    active += count(r.opened_before) - count(r.resolved_before);
    const openedOn = r.opened_day === null ? undefined : days.get(String(r.opened_day));
    if (openedOn) {
      openedOn.opened += count(r.n);
      openedOn.detected += count(r.detected);
      if (count(r.detected)) {
        const severity = String(r.severity);
        openedOn.bySeverity[severity] = (openedOn.bySeverity[severity] ?? 0) + count(r.detected);
      }
    }
    const resolvedOn = r.resolved_day === null ? undefined : days.get(String(r.resolved_day));
    if (resolvedOn) {
      resolvedOn.closed += count(r.n);
      resolvedOn.resolved += count(r.resolved);
    }
  }
  return [...days.values()].map(({ opened: o, closed, ...group }) => {
    active += o - closed;
    return { ...group, active };
  });
}

/** The SRE review of a window: what came, what went, what is late (`GET /report`). */
export type { ReviewReport };

/** The most findings a list of the review holds, the most severe first. */
export const REPORT_LIST_LIMIT = 500;

/** The review of a window. */
export async function queryReviewReport(
  sources: AggregateSources,
  from: Date,
  to: Date,
): Promise<Omit<ReviewReport, 'incidents'>> {
  const { db } = sources;
  const { touched, opened, resolved } = window(db, from, to);
  const findings = () => touched(sources.findings({}));
  const list = async (query: Knex.QueryBuilder): Promise<Finding[]> =>
    (
      await query
        .orderBy([
          { column: 'severity_rank', order: 'desc' },
          { column: 'opened_at', order: 'asc' },
          { column: 'id', order: 'asc' },
        ])
        .limit(REPORT_LIST_LIMIT)
    ).map(findingFromRow);
  const openFindings = () => findings().whereNot('status', 'resolved');

  const [newFindings, resolvedFindings, stillOpen, breaches, [counts], owners, [categories]]: [
    Finding[],
    Finding[],
    Finding[],
    Finding[],
    Row[],
    Row[],
    Row[],
  ] = await Promise.all([
    list(findings().whereRaw(opened[0], opened[1] as any[])),
    list(findings().whereRaw(resolved[0], resolved[1] as any[])),
    list(openFindings()),
    list(openFindings().whereRaw(BREACHED[0], BREACHED[1] as any[])),
    findings().select(
      countIf(db, opened, 'newFindings'),
      countIf(db, resolved, 'resolved'),
      countIf(db, OPEN, 'stillOpen'),
      countIf(db, and(OPEN, BREACHED), 'breaches'),
    ),
    openFindings()
      .select('owner', countIf(db, BREACHED, 'breached'))
      .count({ open: '*' })
      .groupBy('owner'),
    openFindings().select(CATEGORY_KEYS.map(key => countIf(db, categoryCondition(key), key))),
  ]);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    newFindings,
    resolved: resolvedFindings,
    stillOpen,
    breaches,
    counts: {
      newFindings: count(counts.newFindings),
      resolved: count(counts.resolved),
      stillOpen: count(counts.stillOpen),
      breaches: count(counts.breaches),
    },
    topOwners: owners
      .map(r => ({ owner: r.owner ?? 'unowned', open: count(r.open), breached: count(r.breached) }))
      .sort((a, b) => b.open - a.open || a.owner.localeCompare(b.owner)),
    topCategories: CATEGORY_KEYS.map(category => ({ category: category as string, open: count(categories[category]) }))
      .filter(c => c.open > 0)
      .sort((a, b) => b.open - a.open || a.category.localeCompare(b.category)),
  };
}
