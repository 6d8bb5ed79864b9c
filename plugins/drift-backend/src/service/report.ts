import { escapeMarkdown, toCsv } from '@driftwatch/plugin-drift-common';
import type { ReviewReport } from '../store/aggregates';
import type { Finding } from '../store/types';

export type { ReviewReport };

const CSV_COLUMNS = [
  'section', 'id', 'entity', 'resource', 'provider', 'location', 'status', 'resourceStatus',
  'severity', 'tier', 'owner', 'categories', 'openedAt', 'resolvedAt', 'slaDueAt', 'slaBreached',
] as const;

export function reportToCsv(report: ReviewReport): string {
  const rows: unknown[][] = [];
  const sections: Array<[string, Finding[]]> = [
    ['new', report.newFindings],
    ['resolved', report.resolved],
    ['open', report.stillOpen],
  ];
  for (const [section, findings] of sections) {
    for (const f of findings) {
      rows.push([
        section, f.id, f.entityRef, f.resourceKey, f.provider, f.location, f.status, f.resourceStatus,
        f.severity, f.tier, f.owner, f.categories.join(' '), f.openedAt, f.resolvedAt, f.slaDueAt, f.slaBreached,
      ]);
    }
  }
  for (const i of report.incidents) {
    rows.push([
      'incident', i.findingId, i.entityRef, i.resourceKey, '', i.url, i.status, '',
      i.severity, '', '', i.title ?? '', i.linkedAt, '', '', '',
    ]);
  }
  return toCsv(CSV_COLUMNS, rows);
}

/** A table row; every value escaped, as catalog text may hold Markdown. */
const cells = (values: Array<string | number>) =>
  `| ${values.map(v => escapeMarkdown(String(v))).join(' | ')} |`;

export function reportToMarkdown(report: ReviewReport): string {
  const row = (f: Finding) =>
    cells([f.entityRef, f.resourceKey, f.severity, f.tier, f.owner ?? 'unowned',
      f.categories.join(', ') || f.resourceStatus, f.status]);
  const table = (findings: Finding[], total: number) =>
    findings.length
      ? [
          '| Entity | Resource | Severity | Tier | Owner | Categories | Status |',
          '|---|---|---|---|---|---|---|',
          ...findings.map(row),
          ...(total > findings.length ? ['', `_The ${findings.length} most severe of ${total}._`] : []),
        ].join('\n')
      : '_None._';
  return [
    `# Drift review ${report.from.slice(0, 10)} to ${report.to.slice(0, 10)}`,
    '',
    `- New: ${report.counts.newFindings}`,
    `- Resolved: ${report.counts.resolved}`,
    `- Still open: ${report.counts.stillOpen}`,
    `- SLA breaches: ${report.counts.breaches}`,
    '',
    '## SLA breaches',
    table(report.breaches, report.counts.breaches),
    '',
    '## New',
    table(report.newFindings, report.counts.newFindings),
    '',
    '## Resolved',
    table(report.resolved, report.counts.resolved),
    '',
    '## Still open',
    table(report.stillOpen, report.counts.stillOpen),
    '',
    '## Drift linked to incidents',
    report.incidents.length
      ? [
          '| Entity | Resource | Severity | Status | Incident | Linked by |',
          '|---|---|---|---|---|---|',
          ...report.incidents.map(i =>
            cells([i.entityRef, i.resourceKey, i.severity, i.status, i.title ? `${i.title} (${i.url})` : i.url, i.linkedBy]),
          ),
        ].join('\n')
      : '_None._',
    '',
    '## Top owners',
    report.topOwners.length
      ? ['| Owner | Open | Breached |', '|---|---|---|', ...report.topOwners.map(o => cells([o.owner, o.open, o.breached]))].join('\n')
      : '_None._',
    '',
    '## Top categories',
    report.topCategories.length
      ? ['| Category | Open |', '|---|---|', ...report.topCategories.map(c => cells([c.category, c.open]))].join('\n')
      : '_None._',
    '',
  ].join('\n');
}
