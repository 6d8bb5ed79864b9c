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
  | 'reopened';


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
  /** Opened findings by severity; days only. */
  bySeverity?: Partial<Record<Severity, number>>;
}
