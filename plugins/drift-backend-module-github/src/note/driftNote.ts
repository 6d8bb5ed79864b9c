import { escapeMarkdown, type Change } from '@driftwatch/plugin-drift-common';
import type { RoutedFinding } from '@driftwatch/plugin-drift-node';
import { isSecret, type ManualStep } from '../reverseSync/planEdits';

/** What the pull request does with the file, for the note's opening line. */
export type NoteMode = 'reverse-sync' | 'note-only';

const MAX_VALUE = 200;

/** The object as people name it: `Deployment shop/cart`. */
export function objectName(finding: RoutedFinding): string {
  return `${finding.kind} ${finding.namespace ? `${finding.namespace}/` : ''}${
    finding.name
  }`;
}

export function pullRequestTitle(finding: RoutedFinding): string {
  return `Drift hotfix: ${objectName(finding)} (tier ${finding.tier}, ${
    finding.severity
  })`;
}

/** The hidden marker that ties a pull request to its finding. */
export function findingMarker(findingId: string): string {
  return `<!-- driftwatch-finding: ${findingId.replace(
    /[^A-Za-z0-9._:-]/g,
    '_',
  )} -->`;
}

/** Cluster text as Markdown that renders as the same text, shortened. */
function text(value: string): string {
  const short =
    value.length > MAX_VALUE ? `${value.slice(0, MAX_VALUE)}…` : value;
  return escapeMarkdown(short);
}

function valueText(change: Change, side: 'desired' | 'live'): string {
  if (isSecret(change)) return 'value changed';
  const value = change[side];
  if (value === null || value === undefined) return '(not set)';
  return text(typeof value === 'string' ? value : JSON.stringify(value));
}

function who(change: Change): string {
  if (!change.manager) return 'unknown';
  const how = [
    change.operation,
    change.subresource && `via ${change.subresource}`,
  ]
    .filter(Boolean)
    .join(', ');
  return text(how ? `${change.manager} (${how})` : change.manager);
}

/** A link only to an http(s) page, with nothing in it that could end the Markdown link. */
function link(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
      return undefined;
    return parsed.href.replace(/[()]/g, c => (c === '(' ? '%28' : '%29'));
  } catch {
    return undefined;
  }
}

function statusLine(finding: RoutedFinding, mode: NoteMode): string {
  const name = text(objectName(finding));
  if (finding.resourceStatus === 'missing') {
    return `${name} is declared in Git but absent from ${text(
      finding.location,
    )}. This pull request only records the drift: apply the manifest again, or remove it from Git if the deletion was intended.`;
  }
  if (finding.resourceStatus === 'extra') {
    return `${name} runs in ${text(
      finding.location,
    )} but Git does not declare it. This pull request only records the drift: add the object to Git, or delete it from the cluster.`;
  }
  return mode === 'reverse-sync'
    ? `${name} in ${text(
        finding.location,
      )} no longer matches Git. This pull request changes Git to match live; if the live change was a mistake, close it and revert the cluster instead.`
    : `${name} in ${text(
        finding.location,
      )} no longer matches Git, and its manifest cannot be edited here (rendered by a tool, or not found). This pull request records the drift; fix the chart, overlay or cluster by hand.`;
}

/**
 * The drift note: the pull request's body, and the note file when nothing can be patched.
 * Everything that comes from the cluster is escaped, and Secret values never appear: their
 * changes say "value changed".
 */
export function driftNote(
  finding: RoutedFinding,
  options: { mode: NoteMode; manual: ManualStep[] },
): string {
  const lines: string[] = [];
  lines.push(`## Drift on ${text(objectName(finding))}`, '');
  lines.push(statusLine(finding, options.mode), '');
  const href = link(finding.url);
  lines.push(
    '| | |',
    '|---|---|',
    `| Severity | ${finding.severity} |`,
    `| Tier | ${finding.tier} |`,
    `| Entity | ${text(finding.entityRef)} |`,
    `| Owner | ${finding.owner ? text(finding.owner) : 'none'} |`,
    `| SLA due | ${finding.slaDueAt ? text(finding.slaDueAt) : 'none'}${
      finding.slaBreached ? ' (breached)' : ''
    } |`,
    `| First detected | ${text(finding.firstDetectedAt)} |`,
    `| Last seen | ${text(finding.lastSeenAt)} |`,
    `| Finding | ${
      href ? `[Open in Backstage](${href})` : text(finding.url)
    } |`,
    '',
  );
  if (finding.changes.length) {
    lines.push(
      '### What changed',
      '',
      '| Field | Git | Live | Changed by | When |',
      '|---|---|---|---|---|',
      ...finding.changes.map(
        c =>
          `| ${text(c.field)} | ${valueText(c, 'desired')} | ${valueText(
            c,
            'live',
          )} | ${who(c)} | ${c.time ? text(c.time) : 'unknown'} |`,
      ),
      '',
    );
  }
  if (options.manual.length) {
    lines.push('### Not changed in Git, do by hand', '');
    for (const step of options.manual) {
      lines.push(
        step.reason === 'secret'
          ? `- ${text(
              step.field,
            )}: value changed. Secret values never go to Git: rotate or update the secret in its store, then update the cluster from there.`
          : `- ${text(
              step.field,
            )}: not found in the manifest; change it by hand.`,
      );
    }
    lines.push('');
  }
  lines.push(findingMarker(finding.id), '');
  return lines.join('\n');
}
