import type { Config } from '@backstage/config';
import { PAGERDUTY_INTEGRATION_KEY_ANNOTATION } from '@driftwatch/plugin-drift-common';
import {
  ActionDeliveryError,
  type ActionCallOptions,
  type ActionDelivery,
  type ActionResult,
  type DriftAction,
  type FindingOutcome,
} from '@driftwatch/plugin-drift-node';
import { readPagerDutyConfig, type PagerDutyConfig } from './config';
import { EventsApiClient } from './events/EventsApiClient';
import { alertSummary, dedupKeyOf, eventBody } from './events/eventBody';
import type { EventAction, PagerDutyEvent } from './events/types';

/** What the action keeps per finding between deliveries. */
export interface PagerDutyActionState extends Record<string, unknown> {
  dedupKey: string;
  /** An alert is open for the finding: triggered and not resolved since. */
  triggered: boolean;
  lastAction: EventAction | null;
  /** Set when the state comes from dry runs, whose triggers never reached PagerDuty. */
  dryRun?: true;
}

/** Where the routing key of an entity comes from; recorded in its place. */
type RoutingKeyOrigin = 'annotation' | 'config';

const RECORDED_KEY: Record<RoutingKeyOrigin | 'none', string> = {
  annotation: `<from ${PAGERDUTY_INTEGRATION_KEY_ANNOTATION}>`,
  config: '<from config>',
  none: '<none>',
};

/** What a delivery does to the alert, as the timeline says it. */
type Step = 'trigger' | 'update' | 'acknowledge' | 'resolve';

const WORDS: Record<Step, { verb: string; done: string }> = {
  trigger: { verb: 'trigger', done: 'Triggered' },
  update: { verb: 'update', done: 'Updated' },
  acknowledge: { verb: 'acknowledge', done: 'Acknowledged' },
  resolve: { verb: 'resolve', done: 'Resolved' },
};

const SKIPPED: Partial<Record<FindingOutcome, Step>> = {
  changed: 'update',
  acknowledged: 'acknowledge',
  resolved: 'resolve',
};

/**
 * The `pagerduty` action: pages through the Events API v2, one alert per finding. New, worse
 * and escalated drift triggers the alert; a change updates an alert that is open; the owner's
 * acknowledgement and the drift's resolution acknowledge and resolve it.
 *
 * @public
 */
export class PagerDutyAction implements DriftAction {
  readonly id = 'pagerduty';
  readonly outcomes: readonly FindingOutcome[] = [
    'opened',
    'severity-rose',
    'escalated',
    'acknowledged',
    'resolved',
    'changed',
  ];

  private readonly client: EventsApiClient;

  static fromConfig(config: Config): PagerDutyAction {
    return new PagerDutyAction(readPagerDutyConfig(config));
  }

  constructor(private readonly config: PagerDutyConfig) {
    this.client = new EventsApiClient(config);
  }

  isDryRun(): boolean {
    return !this.config.enabled;
  }

  async deliver(
    delivery: ActionDelivery,
    options: ActionCallOptions,
  ): Promise<ActionResult> {
    const { finding, outcome } = delivery;
    const dryRun = this.isDryRun();
    const dedupKey = dedupKeyOf(finding);
    const previous = readState(delivery.state, dedupKey);
    // A dry run's trigger reached nobody: once enabled, only a real trigger has an alert to
    // update, acknowledge or resolve.
    const alertOpen = previous.triggered && (dryRun || !previous.dryRun);
    const action = eventActionFor(outcome, alertOpen);
    if (!action) {
      return {
        status: 'skipped',
        dryRun: dryRun || undefined,
        summary: `No PagerDuty alert is open for this finding: nothing to ${
          SKIPPED[outcome] ?? 'send'
        }`,
        state: previous,
      };
    }

    const key = this.routingKey(delivery);
    if (!key && !dryRun) {
      throw new ActionDeliveryError(
        `No PagerDuty routing key: set the ${PAGERDUTY_INTEGRATION_KEY_ANNOTATION} annotation on ${finding.entityRef} or drift.pagerduty.routingKey`,
        false,
      );
    }
    const body = eventBody(action, finding, outcome);
    const request: PagerDutyEvent = {
      routing_key: RECORDED_KEY[key?.origin ?? 'none'],
      ...body,
    };
    const step: Step = action === 'trigger' && alertOpen ? 'update' : action;
    const state = nextState(previous, step, dryRun);
    const what = `PagerDuty alert ${dedupKey}${
      body.payload ? ` (${body.payload.severity})` : ''
    }`;

    if (dryRun) {
      return {
        status: 'delivered',
        dryRun: true,
        summary: `Would ${WORDS[step].verb} ${what}`,
        request,
        state,
      };
    }

    await this.client.send(key!.value, body, options.signal);
    const summary = `${WORDS[step].done} ${what}`;
    options.logger.info(`${summary} for ${finding.entityRef} (${outcome})`);
    const url = this.alertUrl(dedupKey);
    return {
      status: 'delivered',
      summary,
      request,
      state,
      ...(url ? { externalUrl: url } : {}),
      // Only the trigger that opens the alert raises an incident; updates belong to it.
      ...(url && step === 'trigger'
        ? { incident: { url, title: alertSummary(finding) } }
        : {}),
    };
  }

  /** The entity's own integration key first, as the PagerDuty plugin reads it; then config. */
  private routingKey(
    delivery: ActionDelivery,
  ): { value: string; origin: RoutingKeyOrigin } | undefined {
    const annotated =
      delivery.entity?.metadata.annotations?.[
        PAGERDUTY_INTEGRATION_KEY_ANNOTATION
      ]?.trim();
    if (annotated) return { value: annotated, origin: 'annotation' };
    if (this.config.routingKey) {
      return { value: this.config.routingKey, origin: 'config' };
    }
    return undefined;
  }

  private alertUrl(dedupKey: string): string | undefined {
    return this.config.incidentUrlTemplate?.replaceAll(
      '{dedupKey}',
      encodeURIComponent(dedupKey),
    );
  }
}

/** Which event an outcome sends, given whether the finding has an open alert. */
function eventActionFor(
  outcome: FindingOutcome,
  alertOpen: boolean,
): EventAction | undefined {
  switch (outcome) {
    case 'opened':
    case 'severity-rose':
    case 'escalated':
      return 'trigger';
    case 'changed':
      return alertOpen ? 'trigger' : undefined;
    case 'acknowledged':
      return alertOpen ? 'acknowledge' : undefined;
    case 'resolved':
      return alertOpen ? 'resolve' : undefined;
    default:
      return undefined;
  }
}

/**
 * The state after a step. An alert opened in a dry run is marked so, and stays so through
 * dry updates; an alert that really exists stays real whatever later dry runs do.
 */
function nextState(
  previous: PagerDutyActionState,
  step: Step,
  dryRun: boolean,
): PagerDutyActionState {
  const { dedupKey } = previous;
  const lastAction = step === 'update' ? 'trigger' : step;
  if (step === 'resolve') return { dedupKey, triggered: false, lastAction };
  const simulated = step === 'trigger' ? dryRun : previous.dryRun === true;
  return {
    dedupKey,
    triggered: true,
    lastAction,
    ...(simulated ? { dryRun: true as const } : {}),
  };
}

function readState(
  state: Record<string, unknown> | undefined,
  dedupKey: string,
): PagerDutyActionState {
  return {
    dedupKey,
    triggered: state?.triggered === true,
    lastAction:
      typeof state?.lastAction === 'string'
        ? (state.lastAction as EventAction)
        : null,
    ...(state?.dryRun === true ? { dryRun: true as const } : {}),
  };
}
