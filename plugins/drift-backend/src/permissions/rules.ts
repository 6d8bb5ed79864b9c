import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { DRIFT_FINDING_RESOURCE_TYPE } from '@driftwatch/plugin-drift-common';
import { z } from 'zod/v4';
import type { Finding } from '../store/types';

/** Findings as a permission resource; queries filter by owner refs. */
export const driftFindingResourceRef = createPermissionResourceRef<
  Finding,
  { owners: string[] }
>().with({ pluginId: 'drift', resourceType: DRIFT_FINDING_RESOURCE_TYPE });

/**
 * Allows a finding when its owner is among the given refs; policies pass the user's ownership
 * claims (`user.info.ownershipEntityRefs`), so owners can acknowledge their own drift.
 */
export const isFindingOwner = createPermissionRule({
  name: 'IS_FINDING_OWNER',
  description: "Allow when the finding's entity is owned by one of the given entity refs",
  resourceRef: driftFindingResourceRef,
  paramsSchema: z.object({
    claims: z.array(z.string()).describe('Entity refs of the owners to allow, e.g. group:default/team-a'),
  }),
  apply: (finding, { claims }) => finding.owner !== null && claims.includes(finding.owner),
  toQuery: ({ claims }) => ({ owners: claims }),
});

export const driftFindingRules = { isFindingOwner };

/** Conditions for permission policies, e.g. `driftFindingConditions.isFindingOwner({ claims })`. */
export const {
  conditions: driftFindingConditions,
  createConditionalDecision: createDriftFindingConditionalDecision,
} = createConditionExports({ resourceRef: driftFindingResourceRef, rules: driftFindingRules });
