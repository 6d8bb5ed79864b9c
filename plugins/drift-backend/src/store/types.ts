import type {
  DriftEventType,
  DriftFinding,
  DriftScan,
  FindingStatus,
} from '@driftwatch/plugin-drift-common';

export type {
  DriftEvent,
  FindingFilter,
  FindingPage,
  FindingSort,
  FindingStatus,
  MonitoredResource,
  ResourcePage,
} from '@driftwatch/plugin-drift-common';

export const FINDING_STATUSES: FindingStatus[] = [
  'active',
  'acknowledged',
  'suppressed',
  'resolved',
];

export type Finding = DriftFinding;
export type EventType = DriftEventType;
export type Scan = DriftScan;
export type ScanTrigger = DriftScan['trigger'];
export type ScanStatus = DriftScan['status'];
export type ScanError = DriftScan['errors'][number];

/** Actor of events the scanner records on its own. */
export const SYSTEM_ACTOR = 'driftwatch';

/** What the catalog says about the entity a finding belongs to. */
export interface EntityContext {
  entityRef: string;
  owner: string | null;
  system: string | null;
  tier: number;
  /** Hours until a finding of this tier breaches its SLA. */
  slaHours: number;
  /** The `driftwatch.io/environment` annotation, when the entity has one. */
  environment?: string;
  /** Tier and SLA in environments whose override lowers the entity's urgency. */
  environments?: Record<string, { tier: number; slaHours: number }>;
}

/** The entity as its findings in one environment see it: the environment's tier, if lower. */
export function contextIn(entity: EntityContext, environment: string | undefined): EntityContext {
  const override = environment === undefined ? undefined : entity.environments?.[environment];
  return override ? { ...entity, ...override } : entity;
}
