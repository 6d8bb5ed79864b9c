import { createApiRef } from '@backstage/core-plugin-api';
import type {
  Change,
  ResourceStatus,
  Severity,
} from '@driftwatch/plugin-drift-common';

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
  | 'reopened';

/** Outcome of the most recent scan, as reported by the backend's health route. @public */
export interface DriftScanSummary {
  id: string;
  status: string;
  finishedAt: string | null;
  trigger?: string;
}

/** `GET /health`. @public */
export interface DriftHealth {
  status: string;
  database: string;
  /** True when the data comes from the replayed demo snapshots. */
  demo?: boolean;
  lastScan: DriftScanSummary | null;
}

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
}

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
  resourcesScanned?: number;
  findingsOpened?: number;
  findingsResolved?: number;
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

/** One page of findings. @public */
export interface FindingPage {
  items: DriftFinding[];
  totalCount: number;
  nextCursor?: string;
}

/** A time window; either end defaults on the backend. Both are ISO 8601 timestamps. @public */
export interface TimeWindow {
  from?: string;
  to?: string;
}

/** What statistics can be grouped by. @public */
export type StatisticsGroupBy =
  | 'day'
  | 'owner'
  | 'tier'
  | 'category'
  | 'provider'
  | 'severity';

/** `GET /statistics` parameters. @public */
export interface StatisticsRequest
  extends TimeWindow,
    Omit<FindingFilter, 'status' | 'breached'> {
  groupBy?: StatisticsGroupBy;
}

/** One group of the statistics: a day, an owner, a tier, ... @public */
export interface StatisticsGroup {
  key: string;
  /** Findings opened in the window (for days: on that day). */
  detected: number;
  /** Findings resolved in the window (for days: on that day). */
  resolved: number;
  /** Unresolved findings (for days: at the end of that day). */
  active: number;
  /** Opened findings by severity; days only. */
  bySeverity?: Partial<Record<Severity, number>>;
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

/** `GET /trends` parameters. @public */
export interface TrendsRequest extends TimeWindow {
  category?: string[];
  severity?: Severity[];
  owner?: string[];
  tier?: number[];
}

/** One day, category and severity with activity. @public */
export interface DriftTrendRow {
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

/** `GET /events` parameters (the audit log). @public */
export interface ListEventsRequest extends TimeWindow {
  entityRef?: string[];
  type?: DriftEventType[];
  /** `human` for people's decisions only, `system` for the scanner's. */
  actor?: 'human' | 'system';
  limit?: number;
}

/** `GET /report`: the review of a window. @public */
export interface ReviewReport {
  from: string;
  to: string;
  newFindings: DriftFinding[];
  resolved: DriftFinding[];
  stillOpen: DriftFinding[];
  breaches: DriftFinding[];
  topOwners: Array<{ owner: string; open: number; breached: number }>;
  topCategories: Array<{ category: string; open: number }>;
}

/** Text formats the review exports to. @public */
export type ReviewExportFormat = 'csv' | 'markdown';

/** An exported review, ready to be saved. @public */
export interface ExportedFile {
  filename: string;
  contentType: string;
  content: string;
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
}

/**
 * Client for the Driftwatch backend.
 *
 * @public
 */
export interface DriftApi {
  getHealth(): Promise<DriftHealth>;
  listFindings(request?: ListFindingsRequest): Promise<FindingPage>;
  getFinding(
    id: string,
  ): Promise<{ finding: DriftFinding; events: DriftEvent[] }>;
  acknowledgeFinding(
    id: string,
    options?: { note?: string },
  ): Promise<DriftFinding>;
  suppressFinding(
    id: string,
    options: { until: string; reason: string },
  ): Promise<DriftFinding>;
  reopenFinding(id: string, options?: { note?: string }): Promise<DriftFinding>;
  getEntitySummary(entityRef: string): Promise<EntityDriftSummary>;
  listResources(request?: {
    entityRef?: string;
    status?: ResourceStatus[];
  }): Promise<MonitoredResource[]>;
  getStatistics(request?: StatisticsRequest): Promise<DriftStatistics>;
  getTrends(request?: TrendsRequest): Promise<DriftTrends>;
  listEvents(request?: ListEventsRequest): Promise<DriftAuditEvent[]>;
  getReviewReport(window?: TimeWindow): Promise<ReviewReport>;
  exportReviewReport(
    window: TimeWindow & { format: ReviewExportFormat },
  ): Promise<ExportedFile>;
  /** Queues a scan of one entity, or of the whole catalog without one. */
  createScan(options?: { entityRef?: string }): Promise<{ id: string }>;
  getScan(id: string): Promise<DriftScan>;
}

/** @public */
export const driftApiRef = createApiRef<DriftApi>({
  id: 'plugin.drift.service',
});
