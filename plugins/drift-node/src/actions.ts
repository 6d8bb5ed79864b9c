import type { Entity } from '@backstage/catalog-model';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Change, ResourceStatus, Severity } from '@driftwatch/plugin-drift-common';

/**
 * What happened to a finding that routing reacts to. The store's lifecycle step reports these,
 * and routing turns each into one outbox intent per action of the finding's tier.
 *
 * - `opened`: first detected, or drifted again after it had resolved
 * - `changed`: the drift itself changed (another field, another value)
 * - `severity-rose`: the drift changed and its severity is higher than before
 * - `acknowledged`: the owner acknowledged it
 * - `resolved`: live matches Git again (or the resource left the surface area)
 * - `escalated`: past its tier's SLA; routed with the actions of the escalation target tier
 * - `renotify`: still unacknowledged after the tier's re-notify cadence
 *
 * @public
 */
export type FindingOutcome =
  | 'opened'
  | 'changed'
  | 'severity-rose'
  | 'acknowledged'
  | 'resolved'
  | 'escalated'
  | 'renotify';

/**
 * Where the object of a finding is declared: the desired-state location it was read from, and
 * the file and document inside it. `rendered` is true for objects produced by a renderer (Helm,
 * Kustomize), whose files cannot be edited to match live.
 *
 * @public
 */
export interface DesiredObjectSource {
  /** The location as read: a URL (or `file:` path) of a folder or a file. */
  location: string;
  /** The file relative to `location`, when the location is a folder. */
  file?: string;
  /** 1-based YAML document number in the file. */
  document?: number;
  rendered?: boolean;
}

/**
 * A finding as actions see it. `changes` are the engine's, so Secret values are already
 * replaced by fingerprints ("value changed"); an action must never add live values of its own.
 *
 * @public
 */
export interface RoutedFinding {
  id: string;
  entityRef: string;
  provider: string;
  /** The live location (cluster, plan). */
  location: string;
  resourceKey: string;
  kind: string;
  namespace: string | null;
  name: string;
  resourceStatus: Extract<ResourceStatus, 'drifted' | 'missing' | 'extra'>;
  status: 'active' | 'acknowledged' | 'suppressed' | 'resolved';
  severity: Severity;
  categories: string[];
  changes: Change[];
  /** The tier whose actions this delivery runs: the finding's own, or its escalation target. */
  tier: number;
  owner: string | null;
  system: string | null;
  firstDetectedAt: string;
  /** When a scan last saw it drifted; tells a refresh whether scans ran since a fix merged. */
  lastSeenAt: string;
  slaDueAt: string | null;
  slaBreached: boolean;
  acknowledgedBy: string | null;
  source?: DesiredObjectSource;
  /** The finding's page in Backstage. */
  url: string;
}

/** One delivery of one intent to one action. @public */
export interface ActionDelivery {
  /** The outbox intent's id: stable across retries, restarts and replicas. */
  intentId: string;
  outcome: FindingOutcome;
  finding: RoutedFinding;
  /** The catalog entity, for annotations such as `pagerduty.com/integration-key`. */
  entity: Entity | undefined;
  /** 1 for the first attempt. */
  attempt: number;
  /**
   * What earlier deliveries of this action for this finding returned as `state` (a PR number, a
   * branch), so a redelivery continues instead of starting over.
   */
  state: Record<string, unknown> | undefined;
}

/**
 * What an action did. `request` is what it sent, or in a dry run what it would have sent,
 * without credentials; it is recorded in the audit log.
 *
 * @public
 */
export interface ActionResult {
  /** `skipped` when the outcome needs nothing from this action (a resolve that was never paged). */
  status: 'delivered' | 'skipped';
  /** True when no credentials are configured and nothing was sent. */
  dryRun?: boolean;
  /** One line for the timeline, e.g. "Opened PR #12" or "Triggered PagerDuty incident". */
  summary: string;
  request?: unknown;
  /** Kept and handed back as `ActionDelivery.state` next time; replaces the previous state. */
  state?: Record<string, unknown>;
  /** A link for the timeline: the PR, the incident. */
  externalUrl?: string;
  /** An incident this delivery raised, linked to the finding for the review. */
  incident?: { url: string; title?: string };
}

/**
 * Thrown by an action when a delivery failed. Retryable failures (429, 5xx, network) are tried
 * again with backoff; others (400, 401, 404) are recorded as failed deliveries at once.
 * Errors of other types count as retryable.
 *
 * @public
 */
export class ActionDeliveryError extends Error {
  readonly name = 'ActionDeliveryError';
  constructor(
    message: string,
    readonly retryable: boolean,
    /** Seconds the peer asked to wait (`Retry-After`). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** Options handed to every action call. @public */
export interface ActionCallOptions {
  logger: LoggerService;
  signal?: AbortSignal;
}

/**
 * Something routing can do for a finding: page, open a pull request, notify. Deliveries are at
 * least once, so `deliver` must be idempotent per finding: key external calls by `finding.id`
 * (PagerDuty `dedup_key`, one branch per finding) and use `state`.
 *
 * @public
 */
export interface DriftAction {
  /** Referenced from `drift.routing.tiers[].actions`, e.g. `pagerduty`, `github-pull-request`. */
  readonly id: string;
  /** The outcomes this action acts on; intents are written only for these. */
  readonly outcomes: readonly FindingOutcome[];
  /** True when it would only record what it would send (no credentials configured). */
  isDryRun(): boolean;
  deliver(delivery: ActionDelivery, options: ActionCallOptions): Promise<ActionResult>;
  /**
   * Looks at what earlier deliveries left outside (is the PR merged?), for open findings that
   * have state with this action. Called by the routing worker on each round.
   */
  refresh?(
    finding: RoutedFinding,
    state: Record<string, unknown>,
    options: ActionCallOptions,
  ): Promise<ActionRefresh | undefined>;
}

/** What `refresh` saw. @public */
export interface ActionRefresh {
  state: Record<string, unknown>;
  /** A line for the timeline, e.g. "PR #12 merged"; recorded once per distinct summary. */
  summary?: string;
  externalUrl?: string;
  /** Ask for a scan of the finding's entity now (the fix merged: confirm it). */
  rescan?: boolean;
}
