import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { NotificationSeverity } from '@backstage/plugin-notifications-common';
import type { Severity } from '@driftwatch/plugin-drift-common';
import type {
  ActionDelivery,
  ActionResult,
  DriftAction,
  FindingOutcome,
} from '@driftwatch/plugin-drift-node';

const SEVERITY: Record<Severity, NotificationSeverity> = {
  critical: 'critical',
  high: 'high',
  medium: 'normal',
  low: 'low',
};

const MAX_FIELDS = 5;

/**
 * Tier 2: tells the entity's owner through Backstage's notifications service, whose
 * processors reach Slack and email where they are installed. One notification per finding
 * (its scope), updated in place when the finding is routed again.
 */
export class NotifyOwnerAction implements DriftAction {
  readonly id = 'notify-owner';
  readonly outcomes: readonly FindingOutcome[] = ['opened', 'severity-rose', 'escalated', 'renotify'];

  constructor(private readonly notifications: NotificationService) {}

  isDryRun(): boolean {
    return false;
  }

  async deliver(delivery: ActionDelivery): Promise<ActionResult> {
    const { finding, outcome } = delivery;
    if (!finding.owner) {
      return { status: 'skipped', summary: `${finding.entityRef} has no owner to notify` };
    }
    const resource = [finding.kind, [finding.namespace, finding.name].filter(Boolean).join('/')].join(' ');
    const lead: Record<string, string> = {
      opened: 'Drift detected',
      'severity-rose': 'Drift severity rose',
      escalated: 'Drift past its SLA',
      renotify: 'Drift still unacknowledged',
    };
    // Field names and categories only: values stay in Driftwatch, behind its permissions.
    const fields = finding.changes.slice(0, MAX_FIELDS).map(c => `${c.field} (${c.category})`);
    const more = finding.changes.length - fields.length;
    const request = {
      recipients: { type: 'entity' as const, entityRef: finding.owner },
      payload: {
        title: `${lead[outcome] ?? 'Drift'}: ${resource} in ${finding.location} (${finding.severity})`,
        description: [
          `${finding.entityRef}, tier ${finding.tier}.`,
          finding.resourceStatus === 'drifted'
            ? `Changed: ${fields.join(', ')}${more > 0 ? ` and ${more} more` : ''}.`
            : `The object is ${finding.resourceStatus}.`,
          finding.slaDueAt ? `SLA due ${finding.slaDueAt}.` : '',
        ]
          .filter(Boolean)
          .join(' '),
        link: finding.url,
        severity: SEVERITY[finding.severity],
        topic: 'driftwatch',
        scope: `driftwatch:finding:${finding.id}`,
      },
    };
    await this.notifications.send(request);
    return {
      status: 'delivered',
      summary: `Notified ${finding.owner}`,
      request,
      state: { notifiedAt: new Date().toISOString(), lastOutcome: outcome },
    };
  }
}
