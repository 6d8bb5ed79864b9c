import {
  coreServices,
  createServiceFactory,
  type AuthService,
  type BackstageCredentials,
  type BackstageServicePrincipal,
  type DiscoveryService,
  type PermissionsService,
  type UserInfoService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  AuthorizeResult,
  type AuthorizePermissionRequest,
  type AuthorizePermissionResponse,
  type ConditionalPolicyDecision,
  type Permission,
  type QueryPermissionRequest,
  type QueryPermissionResponse,
} from '@backstage/plugin-permission-common';
import type { PermissionPolicy, PolicyQueryUser } from '@backstage/plugin-permission-node';

/**
 * The decisions a backend with the permission backend and `policy` would take, with the policy
 * evaluated in this process. Going through the permission backend's HTTP API does not work in
 * tests: the mock auth service cannot carry the user a plugin asks on behalf of.
 *
 * What the permission framework does, this does too:
 * - service principals are decided by their access restrictions alone, without the policy
 *   (ServerPermissionClient);
 * - the policy sees users with their user info, and anyone else as no user;
 * - a conditional decision on a resource is resolved by the plugin that owns the resource type,
 *   through its apply-conditions endpoint, as the permission backend's PermissionIntegrationClient
 *   does.
 */
export class PolicyPermissions implements PermissionsService {
  constructor(
    private readonly policy: PermissionPolicy,
    private readonly services: { auth: AuthService; discovery: DiscoveryService; userInfo: UserInfoService },
  ) {}

  async authorizeConditional(
    queries: QueryPermissionRequest[],
    { credentials }: { credentials: BackstageCredentials },
  ): Promise<QueryPermissionResponse[]> {
    if (this.services.auth.isPrincipal(credentials, 'service')) return servicePrincipalDecisions(queries, credentials);
    const user = await this.userOf(credentials);
    return Promise.all(queries.map(({ permission }) => this.policy.handle({ permission }, user)));
  }

  async authorize(
    requests: AuthorizePermissionRequest[],
    { credentials }: { credentials: BackstageCredentials },
  ): Promise<AuthorizePermissionResponse[]> {
    if (this.services.auth.isPrincipal(credentials, 'service')) return servicePrincipalDecisions(requests, credentials);
    const user = await this.userOf(credentials);
    return Promise.all(
      requests.map(async ({ permission, resourceRef }) => {
        const decision = await this.policy.handle({ permission }, user);
        if (decision.result !== AuthorizeResult.CONDITIONAL) return decision;
        if (!resourceRef) {
          throw new Error(`Conditional decision for ${permission.name} without a resource to apply it to`);
        }
        return { result: await this.applyConditions(decision, resourceRef) };
      }),
    );
  }

  private async userOf(credentials: BackstageCredentials): Promise<PolicyQueryUser | undefined> {
    if (!this.services.auth.isPrincipal(credentials, 'user')) return undefined;
    return { credentials, info: await this.services.userInfo.getUserInfo(credentials) };
  }

  private async applyConditions(decision: ConditionalPolicyDecision, resourceRef: string): Promise<AuthorizeResult.ALLOW | AuthorizeResult.DENY> {
    const { pluginId, resourceType, conditions } = decision;
    const baseUrl = await this.services.discovery.getBaseUrl(pluginId);
    // The permission backend asks on behalf of the user, and the plugin sees a user with the
    // permission backend as actor. Mock tokens drop the actor, and a user without one is refused
    // here, so this asks as a service; the endpoint does not look at who the user is.
    const { token } = await this.services.auth.getPluginRequestToken({
      onBehalfOf: await this.services.auth.getOwnServiceCredentials(),
      targetPluginId: pluginId,
    });
    const response = await fetch(`${baseUrl}/.well-known/backstage/permissions/apply-conditions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ id: '0', resourceRef, resourceType, conditions }] }),
    });
    if (!response.ok) {
      throw new Error(`Plugin ${pluginId} could not apply conditions: ${response.status} ${await response.text()}`);
    }
    const { items } = (await response.json()) as { items: Array<{ result: AuthorizeResult.ALLOW | AuthorizeResult.DENY }> };
    return items[0].result;
  }
}

/** A service is allowed what its access restrictions, if any, allow. */
function servicePrincipalDecisions(
  requests: Array<{ permission: Permission }>,
  credentials: BackstageCredentials<BackstageServicePrincipal>,
): Array<{ result: AuthorizeResult.ALLOW | AuthorizeResult.DENY }> {
  const { permissionNames, permissionAttributes } = credentials.principal.accessRestrictions ?? {};
  return requests.map(({ permission }) => {
    const named = !permissionNames || permissionNames.includes(permission.name);
    const action = permission.attributes.action;
    const allowedAction = !permissionAttributes?.action || (!!action && permissionAttributes.action.includes(action));
    return { result: named && allowedAction ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
  });
}

/**
 * The permissions service of every plugin in a test backend, answering with the policy that
 * `createPolicy` builds from the backend's config, as a policy module would.
 */
export function policyPermissionsServiceFactory(createPolicy: (config: Config) => PermissionPolicy) {
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {
      auth: coreServices.auth,
      config: coreServices.rootConfig,
      discovery: coreServices.discovery,
      userInfo: coreServices.userInfo,
    },
    factory: ({ config, ...services }) => new PolicyPermissions(createPolicy(config), services),
  });
}
