import type {
  Change,
  DriftReport,
  ResourceDiff,
} from '@driftwatch/plugin-drift-common';

function change(entry: Change) {
  const out: Record<string, unknown> = {
    path: entry.path,
    field: entry.field,
    op: entry.op,
    category: entry.category,
    severity: entry.severity,
    desired: entry.desired,
    live: entry.live,
    manager: entry.manager ?? null,
    time: entry.time ?? null,
  };
  if (entry.default !== undefined) out.default = entry.default;
  if (entry.operation !== undefined) out.operation = entry.operation;
  return out;
}

function resource(entry: ResourceDiff & Record<string, unknown>) {
  const out: Record<string, unknown> = {
    apiVersion: entry.apiVersion,
    kind: entry.kind,
    namespace: entry.namespace ?? null,
    name: entry.name,
    status: entry.status,
    severity: entry.severity,
    score: entry.score,
    changes: entry.changes.map(change),
  };
  for (const key of ['address', 'type', 'provider', 'actions'] as const) {
    if (entry[key] !== undefined) out[key] = entry[key];
  }
  if (entry.ignoredChanges) out.ignoredChanges = entry.ignoredChanges;
  if (entry.comparison) out.comparison = entry.comparison;
  return out;
}

/** The machine-readable report: every resource, in-sync ones included. */
export function renderJson(
  report: Pick<DriftReport, 'drifted' | 'summary' | 'untracked'> & {
    resources: ResourceDiff[];
  },
): string {
  const out: Record<string, unknown> = {
    drifted: report.drifted,
    summary: report.summary,
    resources: report.resources.map(entry =>
      resource(entry as ResourceDiff & Record<string, unknown>),
    ),
  };
  if (report.untracked.length) out.untracked = report.untracked;
  return `${JSON.stringify(out, null, 2)}\n`;
}
