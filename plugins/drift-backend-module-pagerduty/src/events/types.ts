/** The Events API v2 event actions. */
export type EventAction = 'trigger' | 'acknowledge' | 'resolve';

/** PagerDuty's severities, in increasing order. */
export type PagerDutySeverity = 'info' | 'warning' | 'error' | 'critical';

/** The `payload` of a trigger event. */
export interface TriggerPayload {
  summary: string;
  source: string;
  severity: PagerDutySeverity;
  component: string;
  group: string;
  class: string;
  custom_details: Record<string, unknown>;
}

/**
 * An Events API v2 event without its `routing_key`, which is added only when it is sent so
 * that what is recorded and logged never carries the credential.
 */
export interface EventBody {
  event_action: EventAction;
  dedup_key: string;
  payload?: TriggerPayload;
  links?: Array<{ href: string; text: string }>;
  client?: string;
  client_url?: string;
}

/** An event as sent: the body and the routing key (or, when recorded, where it came from). */
export type PagerDutyEvent = { routing_key: string } & EventBody;
