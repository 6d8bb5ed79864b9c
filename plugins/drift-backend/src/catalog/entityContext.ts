import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { DRIFT_ENVIRONMENT_ANNOTATION, DRIFT_TIER_ANNOTATION } from '@driftwatch/plugin-drift-common';
import type { DriftConfig } from '../scan/config';
import type { EntityContext } from '../store/types';

/** Tier from the annotation, else the first matching config rule, else the default. */
export function tierOf(entity: Entity, config: DriftConfig): number {
  const annotated = entity.metadata.annotations?.[DRIFT_TIER_ANNOTATION];
  if (annotated && ['1', '2', '3'].includes(annotated.trim())) {
    return Number(annotated.trim());
  }
  const spec = (entity.spec ?? {}) as { system?: unknown; type?: unknown };
  for (const rule of config.tierRules) {
    if (rule.system && rule.system !== spec.system) continue;
    if (rule.type && rule.type !== spec.type) continue;
    if (rule.tag && !(entity.metadata.tags ?? []).includes(rule.tag)) continue;
    return rule.tier;
  }
  return config.defaultTier;
}

function ownerRef(entity: Entity): string | null {
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string' || !owner) return null;
  return stringifyEntityRef(
    parseEntityRef(owner, { defaultKind: 'group', defaultNamespace: entity.metadata.namespace ?? 'default' }),
  );
}

function systemRef(entity: Entity): string | null {
  const system = (entity.spec as { system?: unknown } | undefined)?.system;
  if (typeof system !== 'string' || !system) return null;
  return stringifyEntityRef(
    parseEntityRef(system, { defaultKind: 'system', defaultNamespace: entity.metadata.namespace ?? 'default' }),
  );
}

/**
 * The tier and SLA of the entity's findings in each environment whose tier override lowers
 * urgency below the entity's own: staging drift of a tier-1 service need not page anyone.
 */
function environmentTiers(tier: number, config: DriftConfig): EntityContext['environments'] {
  const environments: NonNullable<EntityContext['environments']> = {};
  for (const [environment, override] of Object.entries(config.environmentTiers)) {
    if (override > tier) environments[environment] = { tier: override, slaHours: config.tiers[override].slaHours };
  }
  return Object.keys(environments).length ? environments : undefined;
}

export function entityContext(entity: Entity, config: DriftConfig): EntityContext {
  const tier = tierOf(entity, config);
  const environments = environmentTiers(tier, config);
  return {
    ...(environments && { environments }),
    entityRef: stringifyEntityRef(entity),
    owner: ownerRef(entity),
    system: systemRef(entity),
    tier,
    slaHours: config.tiers[tier].slaHours,
    environment: entity.metadata.annotations?.[DRIFT_ENVIRONMENT_ANNOTATION]?.trim() || undefined,
  };
}
