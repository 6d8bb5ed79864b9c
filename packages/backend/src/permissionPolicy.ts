import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isPermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  createDriftFindingConditionalDecision,
  driftFindingConditions,
} from '@driftwatch/plugin-drift-backend';
import {
  driftFindingAcknowledgePermission,
  driftFindingReadPermission,
  driftFindingSuppressPermission,
  driftScanCreatePermission,
} from '@driftwatch/plugin-drift-common';

/** Groups whose members hold a Driftwatch role, as entity refs. */
export interface DriftwatchRoles {
  /** Acknowledge, suppress and reopen any finding. */
  sreGroups: string[];
  /** Read every finding, and every catalog entity, whatever the rules for everyone else. */
  securityGroups: string[];
}

/** `driftwatch.permissions`; the defaults are the demo catalog's groups. */
export function readDriftwatchRoles(config: Config): DriftwatchRoles {
  return {
    sreGroups: config.getOptionalStringArray('driftwatch.permissions.sreGroups') ?? ['group:default/sre'],
    securityGroups: config.getOptionalStringArray('driftwatch.permissions.securityGroups') ?? [
      'group:default/security',
    ],
  };
}

const allow: PolicyDecision = { result: AuthorizeResult.ALLOW };
const deny: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * Driftwatch's roles:
 * - security groups read every finding and every catalog entity;
 * - everyone else signed in reads the drift of the entities the catalog lets them see (the
 *   drift backend asks the catalog with the user's credentials), and may ask for a re-scan;
 * - owners acknowledge the findings of entities they own (IS_FINDING_OWNER with the user's
 *   ownership refs: the user and their groups);
 * - SRE groups acknowledge, suppress and reopen any finding.
 *
 * Other plugins' permissions, the catalog's among them, are allowed, as the demo needs: the
 * demo catalog is readable by everyone. Restrict that branch to restrict what others see.
 */
export class DriftwatchPermissionPolicy implements PermissionPolicy {
  constructor(private readonly roles: DriftwatchRoles) {}

  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    const { permission } = request;
    const claims = user?.info.ownershipEntityRefs ?? [];
    const memberOf = (groups: string[]) => claims.some(ref => groups.includes(ref));

    const readsEverything =
      isPermission(permission, driftFindingReadPermission) ||
      isPermission(permission, catalogEntityReadPermission);
    if (readsEverything && memberOf(this.roles.securityGroups)) return allow;
    if (!permission.name.startsWith('drift.')) return allow;
    // Everyone reads; the catalog limits what each one sees.
    if (isPermission(permission, driftFindingReadPermission)) return allow;
    if (!user) return deny;

    const sre = memberOf(this.roles.sreGroups);
    if (isPermission(permission, driftFindingAcknowledgePermission)) {
      return sre
        ? allow
        : createDriftFindingConditionalDecision(
            permission,
            driftFindingConditions.isFindingOwner({ claims }),
          );
    }
    if (isPermission(permission, driftFindingSuppressPermission)) {
      return sre ? allow : deny;
    }
    if (isPermission(permission, driftScanCreatePermission)) return allow;
    return deny;
  }
}

/** Installs {@link DriftwatchPermissionPolicy} in the permission backend. */
export const driftwatchPermissionPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'driftwatch-policy',
  register(reg) {
    reg.registerInit({
      deps: { config: coreServices.rootConfig, policy: policyExtensionPoint },
      async init({ config, policy }) {
        policy.setPolicy(new DriftwatchPermissionPolicy(readDriftwatchRoles(config)));
      },
    });
  },
});
