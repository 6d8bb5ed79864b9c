import type { Change, ResourceStatus, Severity } from '../engine';

// The data shapes of the drift backend's HTTP API (plugins/drift-backend/src/schema/openapi.yaml),
// shared by the backend that writes them and the clients that read them.

/** Lifecycle of a finding. @public */
export type FindingStatus =
  | 'active'
  | 'acknowledged'
  | 'suppressed'
  | 'resolved';

/** Columns the findings list can be sorted by. @public */
export type FindingSort =
  | 'severity'
  | 'firstDetected'
  | 'lastSeen'
  | 'slaDue'
  | 'score';

/** Audit and lifecycle event types. @public */
export type DriftEventType =
  | 'detected'
  | 'changed'
  | 'resolved'
  | 'acknowledged'
  | 'suppressed'
  | 'routed'
  | 'escalated'
  | 'reopened'
  | 'incident-linked';


/** One drifted, missing or extra resource and its lifecycle. @public */
export interface DriftFinding {
  id: string;
  entityRef: string;
  provider: string;
  location: string;
  /** `Kind:namespace:name`. */
  resourceKey: string;
  kind: string;
  namespace: string | null;
  name: string;
  resourceStatus: 'drifted' | 'missing' | 'extra';
  status: FindingStatus;
  severity: Severity;
  score: number;
  categories: string[];
  changes: Change[];
  tier: number;
  owner: string | null;
  system: string | null;
  firstDetectedAt: string;
  openedAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
  slaDueAt: string | null;
  slaBreached: boolean;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  acknowledgeNote: string | null;
  suppressedBy: string | null;
  suppressedUntil: string | null;
  suppressReason: string | null;
  /**
   * Why a resolved finding was closed without its drift being fixed: `entity-removed` (the
   * entity left the catalog) or `entity-unlinked` (it lost its drift annotations); null otherwise.
   */
  closeReason: string | null;
  /** The environment of `location` (`drift.environments`); null outside every environment. */
  environment: string | null;
}

/** An entry of a finding's history. @public */
export interface DriftEvent {
  id: number;
  findingId: string | null;
  entityRef: string;
  type: DriftEventType;
  /** A user entity ref for people's decisions, `driftwatch` for the scanner. */
  actor: string;
  at: string;
  note: string | null;
  details: Record<string, unknown> | null;
}

/** An audit-log entry with the resource the event is about. @public */
export interface DriftAuditEvent extends DriftEvent {
  resourceKey: string | null;
  owner: string | null;
  severity: Severity | null;
}

/** A resource Driftwatch compares (the surface area). @public */
export interface MonitoredResource {
  entityRef: string;
  provider: string;
  location: string;
  resourceKey: string;
  apiVersion: string | null;
  kind: string;
  namespace: string | null;
  name: string;
  status: ResourceStatus;
  lastScannedAt: string;
  error: string | null;
  /** The environment of `location`; null outside every environment. */
  environment: string | null;
}

/** Which monitored resources `GET /surface` counts; owner, system and tier are the entity's. @public */
export interface SurfaceFilter {
  entityRef?: string[];
  owner?: string[];
  system?: string[];
  tier?: number[];
  environment?: string[];
  location?: string[];
}

/** Monitored resources under one key, by status. @public */
export type SurfaceGroup = {
  /** A provider, a kind, or a system ref (null: entities without a system). */
  key: string | null;
  total: number;
  /** Counts by resource status; statuses without resources are left out. */
  byStatus: Record<string, number>;
};

/** `GET /surface`: the monitored resources counted by status, per provider, kind and system. @public */
export type SurfaceArea = {
  monitored: number;
  byStatus: Record<string, number>;
  provider: SurfaceGroup[];
  kind: SurfaceGroup[];
  system: SurfaceGroup[];
  /** By environment (null: locations outside every environment). */
  environment: SurfaceGroup[];
  /** By location (a cluster, a plan), with the provider that reads it. */
  location: Array<SurfaceGroup & { provider: string }>;
};

/** A scan and its progress. @public */
export interface DriftScan {
  id: string;
  trigger: 'schedule' | 'manual' | 'startup' | 'demo';
  entityRef: string | null;
  requestedBy: string | null;
  status: 'queued' | 'running' | 'succeeded' | 'partial' | 'failed';
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  entitiesTotal: number;
  entitiesDone: number;
  resourcesScanned: number;
  findingsOpened: number;
  findingsResolved: number;
  errors: Array<{ entityRef: string; location: string; message: string }>;
}

/** Filters shared by the findings list and the statistics. @public */
export interface FindingFilter {
  entityRef?: string[];
  status?: FindingStatus[];
  severity?: Severity[];
  tier?: number[];
  /** Owner entity refs, e.g. `group:default/team-booking`. */
  owner?: string[];
  category?: string[];
  provider?: string[];
  breached?: boolean;
  /** Environments of `drift.environments`. */
  environment?: string[];
  /** Locations: clusters, plans. */
  location?: string[];
}

/** One page of findings. @public */
export interface FindingPage {
  items: DriftFinding[];
  totalCount: number;
  nextCursor?: string;
}

/** One page of monitored resources. @public */
export interface ResourcePage {
  items: MonitoredResource[];
  totalCount: number;
  nextCursor?: string;
}

/** What statistics can be grouped by. @public */
export type StatisticsGroupBy =
  | 'day'
  | 'owner'
  | 'tier'
  | 'category'
  | 'provider'
  | 'severity';


/** One group of the statistics: a day, an owner, a tier, ... @public */
export interface StatisticsGroup {
  key: string;
  /** Findings opened in the window (for days: on that day). */
  detected: number;
  /** Findings resolved in the window (for days: on that day). */
  resolved: number;
  /** Unresolved findings (for days: at the end of that day). */
  active: number;
  /** Unresolved findings past their SLA; every grouping but days. */
  breached?: number;
  /** Opened findings by severity; days only. */
  bySeverity?: Partial<Record<Severity, number>>;
}

/**
 * The `details` of a `routed` event: one delivery attempt of one routing action.
 *
 * @public
 */
export interface RoutedEventDetails {
  action: string;
  /** What happened to the finding: opened, changed, severity-rose, acknowledged, resolved, ... */
  outcome: string;
  intentId: string;
  attempt: number;
  /** `retrying`: failed, tried again later; `failed`: given up or refused by the peer. */
  status: 'delivered' | 'skipped' | 'retrying' | 'failed';
  dryRun: boolean;
  summary: string;
  /** What was sent, or in a dry run what would have been sent; never credentials or secrets. */
  request?: unknown;
  externalUrl?: string;
  error?: string;
  /** The tier whose actions ran (differs from the finding's when escalated). */
  tier: number;
}

/** One tier's routing, as in force. @public */
export interface TierRoutingPolicy {
  tier: number;
  /** Action ids, in order, e.g. `pagerduty`, `github-pull-request`, `notify-owner`. */
  actions: Array<{ id: string; registered: boolean; dryRun: boolean }>;
  slaHours: number;
  /** Drift below this severity is tracked but not routed. */
  minSeverity: Severity;
  /** Re-notify an unacknowledged finding this often; null for never. */
  renotifyHours: number | null;
  /** Past the SLA, the finding is routed with this tier's actions; null for none. */
  escalateTo: number | null;
}

/** `GET /routing/policy`. @public */
export interface RoutingPolicy {
  tiers: TierRoutingPolicy[];
  maxAttempts: number;
}

/** `GET /routing/summary`: routing outcomes in a window. @public */
export interface RoutingSummary {
  from: string;
  to: string;
  /** Findings paged (a delivered or dry-run PagerDuty trigger). */
  paged: number;
  pullRequestsOpened: number;
  pullRequestsMerged: number;
  notified: number;
  /** Findings acknowledged before their SLA was due, of those acknowledged. */
  acknowledgedWithinSla: number;
  acknowledged: number;
  escalated: number;
  failedDeliveries: number;
  /** Intents not delivered yet. */
  pending: number;
}

/** A link from a finding to an incident (the PagerDuty incident it raised, or any URL). @public */
export interface IncidentLink {
  findingId: string;
  url: string;
  title: string | null;
  linkedBy: string;
  linkedAt: string;
}

/** `GET /gate`: may a change of this entity merge? @public */
export interface GateResult {
  entityRef: string;
  result: 'pass' | 'fail';
  /** One per tier-1 finding unreconciled past its SLA; empty on pass. */
  reasons: Array<{
    findingId: string;
    resourceKey: string;
    location: string;
    severity: Severity;
    slaDueAt: string;
    message: string;
  }>;
  checkedAt: string;
}

/** A field whose live value differs between two environments in a way Git does not declare. @public */
export interface EnvironmentFieldDifference {
  path: string;
  field: string;
  category: string;
  /** The live value in each of the pair's environments, in their order. */
  values: [unknown, unknown];
}

/** One object compared between two environments. @public */
export interface EnvironmentPair {
  environments: [string, string];
  /** The cluster each environment's object was read in. */
  locations: [string, string];
  differences: EnvironmentFieldDifference[];
  /** Live differences that Git declares: the environments' desired objects differ the same way. */
  declared: number;
}

/** One object (kind, namespace, name) of an entity, across its environments. @public */
export interface ObjectAcrossEnvironments {
  resourceKey: string;
  kind: string;
  namespace: string | null;
  name: string;
  pairs: EnvironmentPair[];
}

/** `GET /entities/{kind}/{namespace}/{name}/environments`. @public */
export interface EnvironmentComparison {
  entityRef: string;
  environments: string[];
  /** Objects found live in two or more environments. */
  objects: ObjectAcrossEnvironments[];
}

// ---- Requests and responses, route by route ----------------------------------------------
// The router, the client and the pages use these; src/schema/contract.test.ts in the backend
// checks the responses against openapi.yaml.

/** A time window; either end defaults on the backend. Both are ISO 8601 timestamps. @public */
export interface TimeWindow {
  from?: string;
  to?: string;
}

/** The most recent scan, as `GET /health` reports it. @public */
export interface DriftScanSummary {
  id: string;
  status: DriftScan['status'];
  finishedAt: string | null;
  trigger: DriftScan['trigger'];
}

/**
 * `GET /health`. Only `status` for callers who may not read findings; readers (the app's
 * requests carry the user's token) get the details too. @public
 */
export interface DriftHealth {
  status: 'ok';
  database?: 'ok';
  /** True when the data comes from the replayed demo snapshots. */
  demo?: boolean;
  lastScan?: DriftScanSummary | null;
}

/** `GET /health` with status 503: the database does not answer. @public */
export interface DriftUnavailable {
  status: 'unavailable';
}

/** `GET /findings` parameters. @public */
export interface ListFindingsRequest extends FindingFilter {
  sort?: FindingSort;
  order?: 'asc' | 'desc';
  /** Page size, at most 500. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/** `GET /findings/{id}`: the finding, its events oldest first, and the incidents it is linked to. @public */
export interface FindingDetails {
  finding: DriftFinding;
  events: DriftEvent[];
  incidents: IncidentLink[];
}

/** `POST /findings/{id}/acknowledge` and `POST /findings/{id}/reopen` body. @public */
export interface FindingNoteRequest {
  note?: string;
}

/** `POST /findings/{id}/suppress` body. @public */
export interface SuppressFindingRequest {
  /** ISO 8601; at most `drift.suppression.maxDays` from now. */
  until: string;
  reason: string;
}

/** `POST /findings/{id}/incidents` body. @public */
export interface LinkIncidentRequest {
  /** An `http(s)` URL. */
  url: string;
  title?: string;
}

/** What a tool that deploys the entity (Argo CD) said at the last scan. @public */
export interface EntityExternalStatus {
  /** The tool, e.g. `argocd`. */
  source: string;
  app: string;
  sync?: string;
  health?: string;
  revision?: string;
  /** When the scan read it. */
  at: string;
}

/** `GET /entities/{kind}/{namespace}/{name}/summary`. @public */
export interface EntityDriftSummary {
  entityRef: string;
  resources: {
    total: number;
    byStatus: Partial<Record<ResourceStatus, number>>;
  };
  openFindings: number;
  worstSeverity: Severity | null;
  lastScannedAt: string | null;
  externalStatus: EntityExternalStatus[];
}

/** `GET /resources` parameters. @public */
export interface ListResourcesRequest {
  entityRef?: string;
  status?: ResourceStatus[];
  /** Page size, at most 500. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/** `GET /statistics` parameters. @public */
export interface StatisticsRequest
  extends TimeWindow,
    Omit<FindingFilter, 'status' | 'breached'> {
  groupBy?: StatisticsGroupBy;
}

/** `GET /statistics`. @public */
export interface DriftStatistics {
  from: string;
  to: string;
  groupBy: StatisticsGroupBy;
  totals: {
    active: number;
    acknowledged: number;
    suppressed: number;
    /** active + acknowledged + suppressed. */
    unresolved: number;
    detectedInRange: number;
    resolvedInRange: number;
    /** Unresolved findings past their SLA. */
    breached: number;
    /** Mean time to resolve of the findings resolved in the window; null when none was. */
    mttrHours: number | null;
    /** Unresolved findings by severity; severities without any are left out. */
    bySeverity: Partial<Record<Severity, number>>;
    byTier: Record<string, number>;
    byCategory: Record<string, number>;
  };
  coverage: {
    monitored: number;
    inSync: number;
    byStatus: Partial<Record<ResourceStatus, number>>;
    /** In-sync share of the monitored resources; null when nothing is monitored. */
    inSyncRatio: number | null;
  };
  groups: StatisticsGroup[];
}

/** `GET /events` parameters (the audit log). @public */
export interface ListEventsRequest extends TimeWindow {
  entityRef?: string[];
  type?: DriftEventType[];
  /** `human` for people's decisions only, `system` for the scanner's. */
  actor?: 'human' | 'system';
  limit?: number;
}

/** `GET /events`: the audit log, newest first. @public */
export interface DriftAuditLog {
  items: DriftAuditEvent[];
}

/** `GET /trends` parameters. @public */
export interface TrendsRequest extends TimeWindow {
  category?: string[];
  severity?: Severity[];
  owner?: string[];
  tier?: number[];
}

/** One day, category and severity with activity. @public */
export interface DriftTrendRow {
  /** YYYY-MM-DD (UTC). */
  day: string;
  category: string;
  severity: Severity;
  detected: number;
  resolved: number;
}

/** `GET /trends`. @public */
export interface DriftTrends {
  from: string;
  to: string;
  items: DriftTrendRow[];
}

/** Text formats the review exports to. @public */
export type ReviewExportFormat = 'csv' | 'markdown';

/** `GET /report` parameters. @public */
export interface ReviewReportRequest extends TimeWindow {
  /** `json` (the default) for {@link ReviewReport}; the others are text to save. */
  format?: 'json' | ReviewExportFormat;
}

/** Drift linked to an incident in the review's window. @public */
export interface ReviewIncident extends IncidentLink {
  entityRef: string;
  resourceKey: string;
  severity: Severity;
  status: FindingStatus;
}

/** `GET /report`: the review of a window. @public */
export interface ReviewReport {
  from: string;
  to: string;
  newFindings: DriftFinding[];
  resolved: DriftFinding[];
  stillOpen: DriftFinding[];
  breaches: DriftFinding[];
  /**
   * How many findings each list has; the lists hold the most severe few hundred, so a review
   * of a large estate stays a document one can read and export.
   */
  counts: {
    newFindings: number;
    resolved: number;
    stillOpen: number;
    breaches: number;
  };
  topOwners: Array<{ owner: string; open: number; breached: number }>;
  topCategories: Array<{ category: string; open: number }>;
  /** Drift linked to incidents in the window, for the RCA. */
  incidents: ReviewIncident[];
}

/** `GET /gate` parameters. @public */
export interface GateRequest {
  entityRef: string;
}

/** `POST /scans` body: one entity, or the whole catalog without one. @public */
export interface CreateScanRequest {
  entityRef?: string;
}

/** `POST /scans`: the queued scan, or the one already queued or running for the same request. @public */
export interface CreateScanResponse {
  id: string;
}
