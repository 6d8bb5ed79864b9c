import { createApiRef } from '@backstage/core-plugin-api';
import type {
  DriftAuditEvent,
  DriftEvent,
  DriftEventType,
  DriftFinding,
  DriftScan,
  EnvironmentComparison,
  FindingFilter,
  FindingPage,
  FindingSort,
  FindingStatus,
  GateResult,
  IncidentLink,
  MonitoredResource,
  ResourceStatus,
  RoutingPolicy,
  RoutingSummary,
  Severity,
  StatisticsGroup,
  StatisticsGroupBy,
  SurfaceArea,
  SurfaceFilter,
} from '@driftwatch/plugin-drift-common';

// The API's data shapes live in drift-common, shared with the backend that writes them.
export type {
  DriftAuditEvent,
  DriftEvent,
  DriftEventType,
  DriftFinding,
  DriftScan,
  EnvironmentComparison,
  EnvironmentPair,
  FindingFilter,
  FindingPage,
  FindingSort,
  FindingStatus,
  GateResult,
  IncidentLink,
  MonitoredResource,
  RoutedEventDetails,
  RoutingPolicy,
  RoutingSummary,
  StatisticsGroup,
  StatisticsGroupBy,
  SurfaceArea,
  SurfaceFilter,
  SurfaceGroup,
  TierRoutingPolicy,
} from '@driftwatch/plugin-drift-common';

/** Outcome of the most recent scan, as reported by the backend's health route. @public */
export interface DriftScanSummary {
  id: string;
  status: string;
  finishedAt: string | null;
  trigger?: string;
}

/**
 * `GET /health`. Only `status` for callers who may not read findings; signed-in readers (the
 * app's requests carry the user's token) get the details too. @public
 */
export interface DriftHealth {
  status: string;
  database?: string;
  /** True when the data comes from the replayed demo snapshots. */
  demo?: boolean;
  lastScan?: DriftScanSummary | null;
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

/** A time window; either end defaults on the backend. Both are ISO 8601 timestamps. @public */
export interface TimeWindow {
  from?: string;
  to?: string;
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
  /** How many findings each list has; the lists hold the most severe few hundred. */
  counts: {
    newFindings: number;
    resolved: number;
    stillOpen: number;
    breaches: number;
  };
  topOwners: Array<{ owner: string; open: number; breached: number }>;
  topCategories: Array<{ category: string; open: number }>;
  /** Drift linked to incidents in the window, for the RCA. */
  incidents: Array<
    IncidentLink & {
      entityRef: string;
      resourceKey: string;
      severity: Severity;
      status: FindingStatus;
    }
  >;
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
  externalStatus?: EntityExternalStatus[];
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

/** `GET /findings/{id}`: the finding, its events oldest first, and the incidents it is linked to. @public */
export interface FindingDetails {
  finding: DriftFinding;
  events: DriftEvent[];
  incidents: IncidentLink[];
}

/** `POST /findings/{id}/incidents` body. @public */
export interface LinkIncidentRequest {
  /** An `http(s)` URL. */
  url: string;
  title?: string;
}

/**
 * Client for the Driftwatch backend.
 *
 * @public
 */
export interface DriftApi {
  getHealth(): Promise<DriftHealth>;
  listFindings(request?: ListFindingsRequest): Promise<FindingPage>;
  getFinding(id: string): Promise<FindingDetails>;
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
  /** The entity's objects compared across its environments, live against live. */
  getEntityEnvironments(entityRef: string): Promise<EnvironmentComparison>;
  listResources(request?: {
    entityRef?: string;
    status?: ResourceStatus[];
  }): Promise<MonitoredResource[]>;
  getStatistics(request?: StatisticsRequest): Promise<DriftStatistics>;
  /** The monitored resources counted by status, per provider, kind and system. */
  getSurface(filter?: SurfaceFilter): Promise<SurfaceArea>;
  getTrends(request?: TrendsRequest): Promise<DriftTrends>;
  listEvents(request?: ListEventsRequest): Promise<DriftAuditEvent[]>;
  getReviewReport(window?: TimeWindow): Promise<ReviewReport>;
  exportReviewReport(
    window: TimeWindow & { format: ReviewExportFormat },
  ): Promise<ExportedFile>;
  /** Queues a scan of one entity, or of the whole catalog without one. */
  createScan(options?: { entityRef?: string }): Promise<{ id: string }>;
  getScan(id: string): Promise<DriftScan>;
  /** The routing policy in force: each tier's actions, SLA and escalation. */
  getRoutingPolicy(): Promise<RoutingPolicy>;
  /** Pages, pull requests, notifications and failures of a window. */
  getRoutingSummary(window?: TimeWindow): Promise<RoutingSummary>;
  /** The merge gate of an entity. */
  getGate(entityRef: string): Promise<GateResult>;
  /** Links a finding to an incident; allowed to those who may acknowledge it. */
  linkIncident(
    findingId: string,
    request: LinkIncidentRequest,
  ): Promise<IncidentLink>;
}

/** @public */
export const driftApiRef = createApiRef<DriftApi>({
  id: 'plugin.drift.service',
});
