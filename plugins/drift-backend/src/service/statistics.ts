import type { DriftStore } from '../store/DriftStore';
import type { Finding, FindingFilter } from '../store/types';

export type StatisticsGroupBy = 'day' | 'owner' | 'tier' | 'category' | 'provider' | 'severity';

export interface StatisticsGroup {
  key: string;
  detected: number;
  resolved: number;
  active: number;
  bySeverity?: Record<string, number>;
}

const DAY_MS = 86_400_000;
const day = (iso: string) => iso.slice(0, 10);
const isOpen = (f: Finding) => f.status !== 'resolved';

function matches(f: Finding, filter: FindingFilter): boolean {
  if (filter.entityRef?.length && !filter.entityRef.includes(f.entityRef)) return false;
  if (filter.owner?.length && !filter.owner.includes(f.owner ?? '')) return false;
  if (filter.tier?.length && !filter.tier.includes(f.tier)) return false;
  if (filter.provider?.length && !filter.provider.includes(f.provider)) return false;
  if (filter.severity?.length && !filter.severity.includes(f.severity)) return false;
  if (filter.category?.length && !filter.category.some(c => f.categories.includes(c))) return false;
  return true;
}

function keysOf(f: Finding, groupBy: Exclude<StatisticsGroupBy, 'day'>): string[] {
  switch (groupBy) {
    case 'owner':
      return [f.owner ?? 'unowned'];
    case 'tier':
      return [String(f.tier)];
    case 'provider':
      return [f.provider];
    case 'severity':
      return [f.severity];
    case 'category':
      // Missing and extra objects have no field changes; they count under their status.
      return f.categories.length ? f.categories : [f.resourceStatus];
    default:
      return [];
  }
}

/** Counts and trends over a time window, computed from the findings of that window. */
export async function computeStatistics(
  store: DriftStore,
  options: { from: Date; to: Date; groupBy: StatisticsGroupBy; filter: FindingFilter },
) {
  const { from, to, groupBy, filter } = options;
  const inRange = (iso: string | null) =>
    iso !== null && Date.parse(iso) >= from.getTime() && Date.parse(iso) <= to.getTime();
  const findings = (await store.findingsTouchedBetween(from, to)).filter(f => matches(f, filter));

  const groups = new Map<string, StatisticsGroup>();
  const group = (key: string) => {
    let g = groups.get(key);
    if (!g) {
      g = { key, detected: 0, resolved: 0, active: 0 };
      groups.set(key, g);
    }
    return g;
  };

  if (groupBy === 'day') {
    for (let t = Date.parse(day(from.toISOString())); t <= to.getTime(); t += DAY_MS) {
      group(day(new Date(t).toISOString())).bySeverity = {};
    }
    for (const f of findings) {
      if (inRange(f.openedAt)) {
        const g = group(day(f.openedAt));
        g.detected++;
        g.bySeverity = { ...g.bySeverity, [f.severity]: (g.bySeverity?.[f.severity] ?? 0) + 1 };
      }
      if (inRange(f.resolvedAt)) group(day(f.resolvedAt!)).resolved++;
    }
    // Active at the end of each day: opened by then and not yet resolved.
    for (const g of groups.values()) {
      const end = Date.parse(g.key) + DAY_MS;
      g.active = findings.filter(
        f => Date.parse(f.openedAt) < end && (f.resolvedAt === null || Date.parse(f.resolvedAt) >= end),
      ).length;
    }
  } else {
    for (const f of findings) {
      for (const key of keysOf(f, groupBy)) {
        const g = group(key);
        if (inRange(f.openedAt)) g.detected++;
        if (inRange(f.resolvedAt)) g.resolved++;
        if (isOpen(f)) g.active++;
      }
    }
  }

  const open = findings.filter(isOpen);
  const resolvedInRange = findings.filter(f => inRange(f.resolvedAt));
  const mttrHours = resolvedInRange.length
    ? resolvedInRange.reduce((sum, f) => sum + (Date.parse(f.resolvedAt!) - Date.parse(f.openedAt)), 0) /
      resolvedInRange.length /
      3_600_000
    : null;
  const count = <K extends string>(items: Finding[], key: (f: Finding) => K) =>
    items.reduce<Record<string, number>>((acc, f) => {
      acc[key(f)] = (acc[key(f)] ?? 0) + 1;
      return acc;
    }, {});

  const resources = await store.listResources({});
  const coverage = resources.reduce<Record<string, number>>((acc, r) => {
    acc[r.status] = (acc[r.status] ?? 0) + 1;
    return acc;
  }, {});

  return {
    from: from.toISOString(),
    to: to.toISOString(),
    groupBy,
    totals: {
      active: open.filter(f => f.status === 'active').length,
      acknowledged: open.filter(f => f.status === 'acknowledged').length,
      suppressed: open.filter(f => f.status === 'suppressed').length,
      unresolved: open.length,
      detectedInRange: findings.filter(f => inRange(f.openedAt)).length,
      resolvedInRange: resolvedInRange.length,
      breached: open.filter(f => f.slaBreached).length,
      mttrHours,
      bySeverity: count(open, f => f.severity),
      byTier: count(open, f => String(f.tier)),
      byCategory: open.reduce<Record<string, number>>((acc, f) => {
        for (const c of keysOf(f, 'category')) acc[c] = (acc[c] ?? 0) + 1;
        return acc;
      }, {}),
    },
    coverage: {
      monitored: resources.length,
      inSync: coverage['in-sync'] ?? 0,
      byStatus: coverage,
      inSyncRatio: resources.length ? (coverage['in-sync'] ?? 0) / resources.length : null,
    },
    groups: [...groups.values()].sort((a, b) => a.key.localeCompare(b.key)),
  };
}
