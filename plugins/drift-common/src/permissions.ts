import {
  createPermission,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';

/** Resource type of drift findings, used by conditional permission rules. @public */
export const DRIFT_FINDING_RESOURCE_TYPE = 'drift-finding';

/**
 * Read findings, resources, events, statistics and reports. A resource permission: a policy's
 * conditions (owner, system, tier, environment) filter every read in the database. @public
 */
export const driftFindingReadPermission: ResourcePermission<
  typeof DRIFT_FINDING_RESOURCE_TYPE
> = createPermission({
  name: 'drift.finding.read',
  attributes: { action: 'read' },
  resourceType: DRIFT_FINDING_RESOURCE_TYPE,
});

/** Acknowledge a finding (owners, through a conditional rule). @public */
export const driftFindingAcknowledgePermission: ResourcePermission<
  typeof DRIFT_FINDING_RESOURCE_TYPE
> = createPermission({
  name: 'drift.finding.acknowledge',
  attributes: { action: 'update' },
  resourceType: DRIFT_FINDING_RESOURCE_TYPE,
});

/** Suppress (accept) a finding until a date, with a reason, or reopen it. @public */
export const driftFindingSuppressPermission = createPermission({
  name: 'drift.finding.suppress',
  attributes: { action: 'update' },
});

/** Trigger a drift scan for one entity or the whole catalog. @public */
export const driftScanCreatePermission = createPermission({
  name: 'drift.scan.create',
  attributes: { action: 'create' },
});

/** Every permission Driftwatch defines. @public */
export const driftPermissions = [
  driftFindingReadPermission,
  driftFindingAcknowledgePermission,
  driftFindingSuppressPermission,
  driftScanCreatePermission,
];
