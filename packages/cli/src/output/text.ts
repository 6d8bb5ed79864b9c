import type {
  Change,
  DriftReport,
  ResourceDiff,
  ResourceStatus,
  Severity,
} from '@driftwatch/plugin-drift-common';

/** ANSI styling that collapses to plain text when colors are off. */
export interface Style {
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  magenta(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

function ansi(open: number, close: number, enabled: boolean) {
  return (text: string) =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
}

/** Styling on or off. */
export function createStyle(enabled: boolean): Style {
  return {
    red: ansi(31, 39, enabled),
    green: ansi(32, 39, enabled),
    yellow: ansi(33, 39, enabled),
    magenta: ansi(35, 39, enabled),
    dim: ansi(2, 22, enabled),
    bold: ansi(1, 22, enabled),
  };
}

const MARKS: Record<ResourceStatus, string> = {
  'in-sync': '✓',
  drifted: '✗',
  missing: '−',
  extra: '+',
  unknown: '?',
};

function statusText(status: ResourceStatus, style: Style): string {
  const text = `${MARKS[status]} ${status}`;
  if (status === 'in-sync') return style.green(text);
  if (status === 'extra') return style.yellow(text);
  return style.red(text);
}

function severityText(severity: Severity | null, style: Style): string {
  if (!severity) return '';
  if (severity === 'critical') return style.bold(style.magenta(severity));
  if (severity === 'high') return style.red(severity);
  if (severity === 'medium') return style.yellow(severity);
  return style.dim(severity);
}

function valueText(value: unknown): string {
  if (value === null || value === undefined) return '(not set)';
  if (
    typeof value === 'object' &&
    (value as { redacted?: boolean }).redacted === true
  ) {
    const hash = (value as { sha256?: string }).sha256;
    return hash ? `(secret value, fingerprint ${hash})` : '(sensitive value)';
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

const OPS: Record<Change['op'], string> = {
  changed: '~',
  added: '+',
  removed: '-',
};

function changeLines(
  entry: Change,
  style: Style,
  desiredLabel: string,
): string[] {
  const where = entry.field || entry.path || '(object)';
  const head = `    ${OPS[entry.op]} ${style.bold(where)}  ${
    entry.category
  } ${severityText(entry.severity, style)}`;
  const lines = [head];
  const desired =
    entry.op === 'added' && entry.default !== undefined
      ? `${valueText(null)}, default ${valueText(entry.default)}`
      : valueText(entry.desired);
  const width = Math.max(desiredLabel.length, 4) + 1;
  lines.push(`        ${`${desiredLabel}:`.padEnd(width)} ${desired}`);
  let live = `        ${'live:'.padEnd(width)} ${valueText(entry.live)}`;
  if (entry.manager)
    live += style.dim(
      `  (by ${entry.manager}${entry.time ? ` at ${entry.time}` : ''})`,
    );
  lines.push(live);
  return lines;
}

function title(resource: ResourceDiff): string {
  return (
    resource.key ||
    [resource.kind, resource.namespace, resource.name].filter(Boolean).join(':')
  );
}

/** A readable per-resource report. */
export function renderText(
  report: Pick<DriftReport, 'drifted' | 'summary'> & {
    resources: ResourceDiff[];
  },
  style: Style,
  /** What the desired side is called: `git` for manifests, `state` for Terraform. */
  desiredLabel = 'git',
): string {
  const lines: string[] = [];
  for (const resource of report.resources) {
    let head = `${statusText(resource.status, style)}  ${style.bold(
      title(resource),
    )}`;
    if (resource.status !== 'in-sync')
      head += `  severity ${severityText(resource.severity, style)}, score ${
        resource.score
      }`;
    if (resource.comparison === 'disabled')
      head += style.dim('  (comparison disabled)');
    if (resource.ignoredChanges)
      head += style.dim(`  (${resource.ignoredChanges} ignored)`);
    lines.push(head);
    if (resource.status === 'missing')
      lines.push(style.dim('    declared in Git, not found live'));
    if (resource.status === 'extra')
      lines.push(
        style.dim(
          "    live with the application's labels, not declared in Git",
        ),
      );
    for (const entry of resource.changes)
      lines.push(...changeLines(entry, style, desiredLabel));
  }
  const counts = (['drifted', 'missing', 'extra', 'in-sync'] as const)
    .filter(status => report.summary[status] > 0)
    .map(status => `${report.summary[status]} ${status}`);
  lines.push('');
  const total = report.summary.total;
  const verdict = report.drifted
    ? style.red('drift found')
    : style.green('in sync');
  lines.push(
    `${total} resource${total === 1 ? '' : 's'}: ${
      counts.join(', ') || 'none'
    } — ${verdict}`,
  );
  return `${lines.join('\n')}\n`;
}
