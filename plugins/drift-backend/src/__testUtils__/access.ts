import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  type PermissionCondition,
  type PermissionCriteria,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import { driftFindingReadPermission } from '@driftwatch/plugin-drift-common';
import { createDriftFindingConditionalDecision } from '../permissions/rules';

const userOf = (credentials?: BackstageCredentials) =>
  (credentials?.principal as { userEntityRef?: string } | undefined)?.userEntityRef;

/**
 * A catalog that shows each user only some entities, as a catalog permission policy would;
 * service principals (the scanner) see everything.
 */
export function catalogVisibleTo(entities: Entity[], hidden: Record<string, string[]>) {
  const catalogFor = (options?: object) => {
    const credentials = (options as { credentials?: BackstageCredentials } | undefined)?.credentials;
    const hide = hidden[userOf(credentials) ?? ''] ?? [];
    return catalogServiceMock({ entities: entities.filter(e => !hide.includes(stringifyEntityRef(e))) });
  };
  return catalogServiceMock.mock({
    getEntities: (request, options) => catalogFor(options).getEntities(request),
    getEntityByRef: (ref, options) => catalogFor(options).getEntityByRef(ref),
    queryEntities: (request, options) => catalogFor(options).queryEntities(request),
  }).factory;
}

/** One decision per permission name, for one user. */
export type Role = Record<
  string,
  AuthorizeResult.ALLOW | AuthorizeResult.DENY | PermissionCriteria<PermissionCondition<'drift-finding'>>
>;

/**
 * A permissions service that answers from a table of roles, the way a policy would: a user
 * without a role, or a permission a role does not name, is denied.
 */
export function permissionsFor(roles: Record<string, Role>) {
  const decide = (name: string, credentials: BackstageCredentials): PolicyDecision => {
    const role = roles[userOf(credentials) ?? (credentials.principal as { type: string }).type];
    const decision = role?.[name] ?? AuthorizeResult.DENY;
    if (decision === AuthorizeResult.ALLOW || decision === AuthorizeResult.DENY) return { result: decision };
    return createDriftFindingConditionalDecision(driftFindingReadPermission, decision);
  };
  return mockServices.permissions.mock({
    async authorizeConditional(requests, { credentials }) {
      return requests.map(r => decide(r.permission.name, credentials)) as any;
    },
    async authorize(requests, { credentials }) {
      return requests.map(r => {
        const decision = decide(r.permission.name, credentials);
        // Conditions on a single resource are the permission backend's to resolve; tests of that
        // path go through the real framework.
        return { result: decision.result === AuthorizeResult.ALLOW ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
      });
    },
  }).factory;
}
