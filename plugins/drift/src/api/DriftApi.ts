import { createApiRef } from '@backstage/core-plugin-api';
import type {
  CreateScanRequest,
  CreateScanResponse,
  DriftAuditEvent,
  DriftFinding,
  DriftHealth,
  DriftScan,
  DriftStatistics,
  DriftTrends,
  EntityDriftSummary,
  EnvironmentComparison,
  FindingDetails,
  FindingNoteRequest,
  FindingPage,
  GateResult,
  IncidentLink,
  LinkIncidentRequest,
  ListEventsRequest,
  ListFindingsRequest,
  ListResourcesRequest,
  MonitoredResource,
  ReviewExportFormat,
  ReviewReport,
  RoutingPolicy,
  RoutingSummary,
  StatisticsRequest,
  SurfaceArea,
  SurfaceFilter,
  SuppressFindingRequest,
  TimeWindow,
  TrendsRequest,
} from '@driftwatch/plugin-drift-common';

// The API's requests and responses are drift-common's, shared with the backend that serves
// them; re-exported so the plugin's users need not depend on drift-common for them.
export type {
  CreateScanRequest,
  CreateScanResponse,
  DriftAuditEvent,
  DriftAuditLog,
  DriftEvent,
  DriftEventType,
  DriftFinding,
  DriftHealth,
  DriftScan,
  DriftScanSummary,
  DriftStatistics,
  DriftTrendRow,
  DriftTrends,
  EntityDriftSummary,
  EntityExternalStatus,
  EnvironmentComparison,
  EnvironmentPair,
  FindingDetails,
  FindingFilter,
  FindingNoteRequest,
  FindingPage,
  FindingSort,
  FindingStatus,
  GateResult,
  IncidentLink,
  LinkIncidentRequest,
  ListEventsRequest,
  ListFindingsRequest,
  ListResourcesRequest,
  MonitoredResource,
  ResourcePage,
  ReviewExportFormat,
  ReviewIncident,
  ReviewReport,
  ReviewReportRequest,
  RoutedEventDetails,
  RoutingPolicy,
  RoutingSummary,
  StatisticsGroup,
  StatisticsGroupBy,
  StatisticsRequest,
  SuppressFindingRequest,
  SurfaceArea,
  SurfaceFilter,
  SurfaceGroup,
  TierRoutingPolicy,
  TimeWindow,
  TrendsRequest,
} from '@driftwatch/plugin-drift-common';

/** An exported review, ready to be saved. @public */
export interface ExportedFile {
  filename: string;
  contentType: string;
  content: string;
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
    options?: FindingNoteRequest,
  ): Promise<DriftFinding>;
  suppressFinding(
    id: string,
    options: SuppressFindingRequest,
  ): Promise<DriftFinding>;
  reopenFinding(
    id: string,
    options?: FindingNoteRequest,
  ): Promise<DriftFinding>;
  getEntitySummary(entityRef: string): Promise<EntityDriftSummary>;
  /** The entity's objects compared across its environments, live against live. */
  getEntityEnvironments(entityRef: string): Promise<EnvironmentComparison>;
  /** Every monitored resource that matches, read page by page. */
  listResources(
    request?: Omit<ListResourcesRequest, 'limit' | 'cursor'>,
  ): Promise<MonitoredResource[]>;
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
  createScan(options?: CreateScanRequest): Promise<CreateScanResponse>;
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
