import type {
  Change,
  ResourceStatus,
  Severity,
} from '@driftwatch/plugin-drift-common';

/** Lifecycle of a finding. */
export type FindingStatus = 'active' | 'acknowledged' | 'suppressed' | 'resolved';

export const FINDING_STATUSES: FindingStatus[] = [
  'active',
  'acknowledged',
  'suppressed',
  'resolved',
];

/** Audit and lifecycle events; human decisions carry the user as actor. */
export type EventType =
  | 'detected'
  | 'changed'
  | 'resolved'
  | 'acknowledged'
  | 'suppressed'
  | 'routed'
  | 'escalated'
  | 'reopened';

export type ScanTrigger = 'schedule' | 'manual' | 'startup' | 'demo';
export type ScanStatus = 'queued' | 'running' | 'succeeded' | 'partial' | 'failed';

/** Actor of events the scanner records on its own. */
export const SYSTEM_ACTOR = 'driftwatch';

export interface Finding {
  id: string;
  entityRef: string;
  provider: string;
  location: string;
  resourceKey: string;
  kind: string;
  namespace: string | null;
  name: string;
  resourceStatus: Exclude<ResourceStatus, 'in-sync' | 'unknown'>;
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

export interface DriftEvent {
  id: number;
  findingId: string | null;
  entityRef: string;
  type: EventType;
  actor: string;
  at: string;
  note: string | null;
  details: Record<string, unknown> | null;
}

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

export interface Scan {
  id: string;
  trigger: ScanTrigger;
  entityRef: string | null;
  requestedBy: string | null;
  status: ScanStatus;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  entitiesTotal: number;
  entitiesDone: number;
  resourcesScanned: number;
  findingsOpened: number;
  findingsResolved: number;
  errors: ScanError[];
}

export interface ScanError {
  entityRef: string;
  location: string;
  message: string;
}

/** What the catalog says about the entity a finding belongs to. */
export interface EntityContext {
  entityRef: string;
  owner: string | null;
  system: string | null;
  tier: number;
  /** Hours until a finding of this tier breaches its SLA. */
  slaHours: number;
}

export type FindingSort = 'severity' | 'firstDetected' | 'lastSeen' | 'slaDue' | 'score';

export interface FindingFilter {
  entityRef?: string[];
  status?: FindingStatus[];
  severity?: Severity[];
  tier?: number[];
  owner?: string[];
  category?: string[];
  provider?: string[];
  breached?: boolean;
}

export interface FindingPage {
  items: Finding[];
  totalCount: number;
  nextCursor?: string;
}
