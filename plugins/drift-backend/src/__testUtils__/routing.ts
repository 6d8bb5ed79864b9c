import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  notificationService,
  type NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import type { KubeObject } from '@driftwatch/plugin-drift-common';
import { GitHubPullRequestAction } from '@driftwatch/plugin-drift-backend-module-github';
import { GitHubApiServer } from '@driftwatch/plugin-drift-backend-module-github/testUtils';
import { PagerDutyAction } from '@driftwatch/plugin-drift-backend-module-pagerduty';
import { PagerDutyEventsServer } from '@driftwatch/plugin-drift-backend-module-pagerduty/testUtils';
import type { DriftAction } from '@driftwatch/plugin-drift-node';
import type { Knex } from 'knex';
import request from 'supertest';
import { stringify } from 'yaml';
import { readRoutingConfig } from '../routing/config';
import { NotifyOwnerAction } from '../routing/NotifyOwnerAction';
import { RoutingPlanner } from '../routing/planner';
import { RoutingWorker } from '../routing/RoutingWorker';
import { DriftStore } from '../store/DriftStore';
import { component, createWorld } from './world';

export { GitHubApiServer, PagerDutyEventsServer };

/** PagerDuty refuses integration keys of any other length. */
export const ROUTING_KEY = '0123456789abcdef0123456789abcdef';
export const GIT_HOST = 'github.example';
/** The folder of the entities' manifests: `<name>.yaml` each, one document per object. */
export const GIT_LOCATION = `https://${GIT_HOST}/acme/shop/tree/main/deploy`;

/** The manifest file of an entity in the repository. */
export const manifestPath = (entityName: string) => `deploy/${entityName}.yaml`;

export function manifestOf(objects: KubeObject[]): string {
  return objects.map(object => stringify(object)).join('---\n');
}

export const tieredComponent = (
  name: string,
  owner: string,
  tier: 1 | 2 | 3,
): Entity => {
  const entity = component(name, owner);
  entity.metadata.annotations = {
    ...entity.metadata.annotations,
    'driftwatch.io/tier': String(tier),
  };
  return entity;
};

/**
 * Like the test cluster of `world.ts`, but each compared object says where Git declares it, as
 * the Kubernetes module does, so the pull request action can edit its manifest.
 */
export function createSourcedWorld(location = GIT_LOCATION) {
  return createWorld({
    moduleId: 'sourced-test-cluster',
    gitLocation: location,
    cluster: 'prod',
    sourceOf: (entityName, document) => ({
      location,
      file: `${entityName}.yaml`,
      document,
    }),
  });
}

/** A notifications service that keeps what it is asked to send. */
export function recordingNotifications() {
  const sent: NotificationSendOptions[] = [];
  const service = {
    async send(options: NotificationSendOptions) {
      sent.push(structuredClone(options));
    },
  };
  const factory = createServiceFactory({
    service: notificationService,
    deps: {},
    factory: () => service,
  });
  return { sent, service, factory };
}

/** The loopback PagerDuty and GitHub, the repository seeded with the entities' manifests. */
export async function startRoutingPeers(files: Record<string, KubeObject[]>) {
  const pagerDuty = await PagerDutyEventsServer.start();
  const github = await GitHubApiServer.start({
    owner: 'acme',
    repo: 'shop',
    files: Object.fromEntries(
      Object.entries(files).map(([name, objects]) => [
        manifestPath(name),
        manifestOf(objects),
      ]),
    ),
  });
  return {
    pagerDuty,
    github,
    stop: () => Promise.all([pagerDuty.stop(), github.stop()]),
  };
}

/** Only explicit scans and rounds run; retries are due after 10 ms. */
export function routingConfigData(
  peers: { pagerDuty: PagerDutyEventsServer; github: GitHubApiServer },
  drift: object = {},
) {
  return {
    app: { baseUrl: 'http://backstage.example' },
    integrations: {
      github: [{ host: GIT_HOST, apiBaseUrl: peers.github.url, token: 'x' }],
    },
    drift: {
      schedule: { frequency: { hours: 24 } },
      routing: { frequency: { hours: 24 }, backoff: { milliseconds: 10 } },
      pagerduty: {
        enabled: true,
        eventsUrl: peers.pagerDuty.url,
        routingKey: ROUTING_KEY,
      },
      github: { enabled: true },
      ...drift,
    },
  };
}

/**
 * A routing worker over a drift database, as another replica (or the same backend after a
 * restart) would run it: the real actions from the same config, its own lease owner.
 */
export function createRoutingWorker(options: {
  knex: Knex;
  config: object;
  entities: Entity[];
  notifications: { send(options: NotificationSendOptions): Promise<void> };
}) {
  const config = new ConfigReader(options.config);
  const routingConfig = readRoutingConfig(config);
  const actions = new Map<string, DriftAction>(
    [
      PagerDutyAction.fromConfig(config),
      GitHubPullRequestAction.fromConfig(config),
      new NotifyOwnerAction(options.notifications),
    ].map(action => [action.id, action]),
  );
  const planner = new RoutingPlanner(
    routingConfig,
    id => actions.get(id)?.outcomes,
  );
  const store = new DriftStore(options.knex, undefined, planner);
  const worker = new RoutingWorker({
    store,
    planner,
    config: routingConfig,
    actions: () => actions,
    catalog: catalogServiceMock({ entities: options.entities }),
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
  });
  return { worker, store, planner };
}

/** Polls until `check` returns something truthy; fails after about thirty seconds (a busy machine). */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
): Promise<T> {
  for (let i = 0; i < 1200; i++) {
    const value = await check();
    if (value) return value;
    await new Promise(resolve => setTimeout(resolve, 25));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** The `routed` events of a finding, oldest first, as the API lists them. */
export async function routedEvents(
  server: any,
  findingId: string,
): Promise<any[]> {
  const res = await request(server)
    .get('/api/drift/events')
    .query({ type: 'routed' });
  expect(res.status).toBe(200);
  return res.body.items.filter((e: any) => e.findingId === findingId).reverse();
}
