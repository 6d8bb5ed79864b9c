import type {
  DriftEvent,
  RoutedEventDetails,
} from '@driftwatch/plugin-drift-common';

/** Where a hotfix pull request stands, as its latest event says. */
export type PullRequestState = 'open' | 'merged' | 'closed';

const STATUSES: ReadonlyArray<RoutedEventDetails['status']> = [
  'delivered',
  'skipped',
  'retrying',
  'failed',
];

/** The details of a `routed` event, or undefined when they are not what one records. */
export function routedDetails(
  event: Pick<DriftEvent, 'type' | 'details'>,
): RoutedEventDetails | undefined {
  const details = event.details;
  if (event.type !== 'routed' || !details) return undefined;
  if (typeof details.action !== 'string') return undefined;
  if (!STATUSES.includes(details.status as RoutedEventDetails['status']))
    return undefined;
  return details as unknown as RoutedEventDetails;
}

/** The pull request number a GitHub delivery names in its summary or URL. */
export function pullRequestNumber(
  details: RoutedEventDetails,
): number | undefined {
  const match =
    /PR #(\d+)/.exec(details.summary) ??
    /\/pull\/(\d+)/.exec(details.externalUrl ?? '');
  return match ? Number(match[1]) : undefined;
}

function pullRequestStep(
  details: RoutedEventDetails,
): { verb: string; state?: PullRequestState } | undefined {
  if (details.status !== 'delivered') return undefined;
  const { summary } = details;
  if (/did not converge/i.test(summary))
    return { verb: 'merged, fix did not converge' };
  if (/merged/i.test(summary)) return { verb: 'merged', state: 'merged' };
  if (/closed/i.test(summary)) return { verb: 'closed', state: 'closed' };
  if (/^Updated/i.test(summary)) return { verb: 'updated', state: 'open' };
  return { verb: 'opened', state: 'open' };
}

/**
 * The latest state of each hotfix pull request among a finding's events (oldest first), so
 * that the row where a pull request was opened can say whether it was merged since.
 */
export function pullRequestStates(
  events: Array<Pick<DriftEvent, 'type' | 'details'>>,
): Map<number, PullRequestState> {
  const states = new Map<number, PullRequestState>();
  for (const event of events) {
    const details = routedDetails(event);
    if (details?.action !== 'github-pull-request' || details.dryRun) continue;
    const number = pullRequestNumber(details);
    const state = pullRequestStep(details)?.state;
    if (number !== undefined && state) states.set(number, state);
  }
  return states;
}

/** What the action did (`done`) or was asked to do (`todo`, for skips and failures). */
function phrases(details: RoutedEventDetails): { done: string; todo: string } {
  const { action, outcome } = details;
  if (action === 'pagerduty') {
    switch (outcome) {
      case 'resolved':
        return {
          done: 'PagerDuty alert resolved',
          todo: 'Resolve the PagerDuty alert',
        };
      case 'acknowledged':
        return {
          done: 'PagerDuty alert acknowledged',
          todo: 'Acknowledge the PagerDuty alert',
        };
      case 'changed':
        return {
          done: 'PagerDuty alert updated',
          todo: 'Update the PagerDuty alert',
        };
      default:
        return { done: 'Paged (PagerDuty)', todo: 'Page (PagerDuty)' };
    }
  }
  if (action === 'github-pull-request') {
    const number = pullRequestNumber(details);
    const step = pullRequestStep(details);
    const closing = outcome === 'resolved' || /close/i.test(details.summary);
    const todo = closing ? 'Close the hotfix PR' : 'Open a hotfix PR';
    if (number !== undefined && step)
      return { done: `PR #${number} ${step.verb}`, todo };
    return {
      done: closing ? 'Hotfix PR would be closed' : 'Hotfix PR would be opened',
      todo,
    };
  }
  if (action === 'notify-owner') {
    const request = details.request as
      | { recipients?: { entityRef?: unknown } }
      | undefined;
    const owner =
      typeof request?.recipients?.entityRef === 'string'
        ? request.recipients.entityRef
        : 'the owner';
    const again = outcome === 'renotify' ? ' again' : '';
    return {
      done: `Notified ${owner}${again}`,
      todo: `Notify ${owner}${again}`,
    };
  }
  return { done: action, todo: action };
}

/** One line for a routing delivery: what was done, or what was attempted and how it ended. */
export function routedTitle(details: RoutedEventDetails): string {
  const { done, todo } = phrases(details);
  switch (details.status) {
    case 'delivered':
      return done;
    case 'skipped':
      return `${todo}: skipped`;
    case 'retrying':
      return `${todo}: attempt ${details.attempt} failed, retrying`;
    default:
      return `${todo}: failed`;
  }
}
