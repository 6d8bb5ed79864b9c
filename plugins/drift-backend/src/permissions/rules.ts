import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { DRIFT_FINDING_RESOURCE_TYPE } from '@driftwatch/plugin-drift-common';
import { z } from 'zod/v4';

/**
 * What permission rules look at: a finding and the catalog attributes of its entity as of the
 * last scan. Resources, events and rollups of the same entity share these attributes, so one
 * database filter serves every read route.
 */
export interface DriftFindingResource {
  id: string;
  entityRef: string;
  owner: string | null;
  system: string | null;
  tier: number | null;
  environment: string | null;
}

/** A rule as a database filter: the entity attribute must be one of the values. */
export interface DriftFindingQuery {
  attribute: 'owner' | 'system' | 'tier' | 'environment';
  values: Array<string | number>;
}

/** Findings as a permission resource. */
export const driftFindingResourceRef = createPermissionResourceRef<
  DriftFindingResource,
  DriftFindingQuery
>().with({ pluginId: 'drift', resourceType: DRIFT_FINDING_RESOURCE_TYPE });

const oneOf = <T>(value: T | null, values: T[]) => value !== null && values.includes(value);

/**
 * Allows a finding when its entity's owner is among the given refs; policies pass the user's
 * ownership claims (`user.info.ownershipEntityRefs`), so owners read and acknowledge their drift.
 */
export const isFindingOwner = createPermissionRule({
  name: 'IS_FINDING_OWNER',
  description: "Allow when the finding's entity is owned by one of the given entity refs",
  resourceRef: driftFindingResourceRef,
  paramsSchema: z.object({
    claims: z.array(z.string()).describe('Entity refs of the owners to allow, e.g. group:default/team-a'),
  }),
  apply: (finding, { claims }) => oneOf(finding.owner, claims),
  toQuery: ({ claims }) => ({ attribute: 'owner', values: claims }),
});

/** Allows a finding when its entity is part of one of the given systems. */
export const isFindingInSystem = createPermissionRule({
  name: 'IS_FINDING_IN_SYSTEM',
  description: "Allow when the finding's entity is part of one of the given systems",
  resourceRef: driftFindingResourceRef,
  paramsSchema: z.object({
    systemRefs: z.array(z.string()).describe('System entity refs, e.g. system:default/booking'),
  }),
  apply: (finding, { systemRefs }) => oneOf(finding.system, systemRefs),
  toQuery: ({ systemRefs }) => ({ attribute: 'system', values: systemRefs }),
});

/** Allows a finding when its entity's SLA tier is one of the given tiers. */
export const isFindingInTier = createPermissionRule({
  name: 'IS_FINDING_IN_TIER',
  description: "Allow when the finding's entity has one of the given SLA tiers",
  resourceRef: driftFindingResourceRef,
  paramsSchema: z.object({
    tiers: z.array(z.number().int().min(1).max(3)).describe('SLA tiers, 1 to 3'),
  }),
  apply: (finding, { tiers }) => oneOf(finding.tier, tiers),
  toQuery: ({ tiers }) => ({ attribute: 'tier', values: tiers }),
});

/** Allows a finding when its entity's `driftwatch.io/environment` is one of the given names. */
export const isFindingInEnvironment = createPermissionRule({
  name: 'IS_FINDING_IN_ENVIRONMENT',
  description: "Allow when the finding's entity is annotated with one of the given environments",
  resourceRef: driftFindingResourceRef,
  paramsSchema: z.object({
    environments: z.array(z.string()).describe('Environment names, e.g. production'),
  }),
  apply: (finding, { environments }) => oneOf(finding.environment, environments),
  toQuery: ({ environments }) => ({ attribute: 'environment', values: environments }),
});

export const driftFindingRules = { isFindingOwner, isFindingInSystem, isFindingInTier, isFindingInEnvironment };

/** Conditions for permission policies, e.g. `driftFindingConditions.isFindingOwner({ claims })`. */
export const {
  conditions: driftFindingConditions,
  createConditionalDecision: createDriftFindingConditionalDecision,
} = createConditionExports({ resourceRef: driftFindingResourceRef, rules: driftFindingRules });
