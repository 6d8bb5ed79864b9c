import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { createConditionTransformer } from '@backstage/plugin-permission-node';
import { driftPermissions } from '@driftwatch/plugin-drift-common';
import {
  driftActionsExtensionPoint,
  driftSourcesExtensionPoint,
  driftTargetsExtensionPoint,
  type DesiredStateSource,
  type DriftAction,
  type LiveStateTarget,
} from '@driftwatch/plugin-drift-node';
import { CatalogVisibility } from './catalog/CatalogVisibility';
import { driftFindingResourceRef, driftFindingRules } from './permissions/rules';
import { DriftRetention } from './retention/DriftRetention';
import { readRoutingConfig } from './routing/config';
import { NotifyOwnerAction } from './routing/NotifyOwnerAction';
import { RoutingPlanner } from './routing/planner';
import { RoutingWorker } from './routing/RoutingWorker';
import { readDriftConfig } from './scan/config';
import { DriftScanner } from './scan/DriftScanner';
import { DriftMetrics } from './scan/metrics';
import { readSecretHashKey } from './scan/secretHashKey';
import { runScheduledScan } from './scan/schedule';
import { DriftStore } from './store/DriftStore';
import { connectDatabase } from './store/migrations';
import { createRouter } from './service/router';

/**
 * The Driftwatch backend plugin (plugin id `drift`).
 *
 * @public
 */
export const driftPlugin = createBackendPlugin({
  pluginId: 'drift',
  register(env) {
    const sources = new Map<string, DesiredStateSource>();
    const targets = new Map<string, LiveStateTarget>();
    const actions = new Map<string, DriftAction>();

    env.registerExtensionPoint(driftSourcesExtensionPoint, {
      addSource(...added) {
        for (const source of added) {
          if (sources.has(source.id)) {
            throw new Error(`Drift source '${source.id}' is already registered`);
          }
          sources.set(source.id, source);
        }
      },
    });
    env.registerExtensionPoint(driftTargetsExtensionPoint, {
      addTarget(...added) {
        for (const target of added) {
          if (targets.has(target.id)) {
            throw new Error(`Drift target '${target.id}' is already registered`);
          }
          targets.set(target.id, target);
        }
      },
    });

    env.registerExtensionPoint(driftActionsExtensionPoint, {
      addAction(...added) {
        for (const action of added) {
          if (actions.has(action.id)) {
            throw new Error(`Drift action '${action.id}' is already registered`);
          }
          actions.set(action.id, action);
        }
      },
    });

    env.registerInit({
      deps: {
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        lifecycle: coreServices.lifecycle,
        logger: coreServices.logger,
        notifications: notificationService,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        signals: signalsServiceRef,
      },
      async init(deps) {
        const { auth, catalog, httpAuth, httpRouter, logger, permissions, scheduler } = deps;
        const config = readDriftConfig(deps.config);
        const routingConfig = readRoutingConfig(deps.config);
        if (!actions.has('notify-owner')) actions.set('notify-owner', new NotifyOwnerAction(deps.notifications));
        const planner = new RoutingPlanner(routingConfig, id => actions.get(id)?.outcomes);
        const db = await connectDatabase(deps.database);
        const store = new DriftStore(db, undefined, planner);
        const metrics = new DriftMetrics(db);
        // Open Drift pages refresh when findings of an entity change.
        const publishChanged = (entityRefs: string[]) =>
          deps.signals
            .publish({ recipients: { type: 'broadcast' }, channel: 'driftwatch:findings', message: { entityRefs } })
            .catch(error => logger.warn(`Drift: cannot publish the findings signal: ${error}`));
        let worker: RoutingWorker | undefined = undefined;
        const scanner = new DriftScanner({
          store,
          catalog,
          auth,
          logger,
          config,
          secretHashKey: await readSecretHashKey({ config: deps.config, store, logger }),
          metrics,
          sources: () => [...sources.values()],
          targets: () => [...targets.values()],
          onFindingsChanged: changes => {
            publishChanged([...new Set(changes.map(c => c.entityRef))]);
            worker?.kick();
          },
        });
        worker = new RoutingWorker({
          store,
          planner,
          config: routingConfig,
          actions: () => actions,
          catalog,
          auth,
          logger,
          rescan: entityRef => scanner.trigger({ trigger: 'manual', entityRef, requestedBy: 'driftwatch' }),
          onRouted: publishChanged,
        });
        deps.lifecycle.addShutdownHook(async () => {
          await worker?.stop();
        });
        for (const [tier, policy] of Object.entries(routingConfig.tiers)) {
          for (const id of policy.actions) {
            if (!actions.has(id)) {
              logger.warn(`drift.routing: tier ${tier} names action '${id}', which no installed module provides`);
            }
          }
        }

        deps.permissionsRegistry.addResourceType({
          resourceRef: driftFindingResourceRef,
          permissions: driftPermissions,
          rules: Object.values(driftFindingRules),
          getResources: ids => store.getFindingResources(ids),
        });

        logger.info(
          `Drift providers: sources [${[...sources.keys()].join(', ')}], targets [${[
            ...targets.keys(),
          ].join(', ')}], actions [${[...actions.values()]
            .map(a => `${a.id}${a.isDryRun() ? ' (dry run)' : ''}`)
            .join(', ')}]`,
        );
        // Only scans whose lease ran out: other replicas may be mid-scan.
        await store.failExpiredScans();

        await scheduler.scheduleTask({
          id: 'drift-scan',
          scope: 'global',
          frequency: config.schedulerFrequency,
          timeout: config.schedulerTimeout,
          initialDelay: { seconds: 5 },
          fn: signal => runScheduledScan({ store, scanner, config, logger, signal }),
        });

        await scheduler.scheduleTask({
          id: 'drift-routing',
          scope: 'global',
          frequency: routingConfig.frequency,
          timeout: { minutes: 10 },
          initialDelay: { seconds: 10 },
          fn: () => worker!.runOnce(),
        });

        const retention = new DriftRetention({ store, config, logger });
        await scheduler.scheduleTask({
          id: 'drift-retention',
          scope: 'global',
          frequency: { hours: 1 },
          timeout: { minutes: 15 },
          initialDelay: { minutes: 1 },
          fn: async () => {
            await retention.runOnce();
          },
        });

        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            logger,
            store,
            scanner,
            visibility: new CatalogVisibility(catalog),
            transformConditions: createConditionTransformer(
              deps.permissionsRegistry.getPermissionRuleset(driftFindingResourceRef),
            ),
            routing: { config: routingConfig, actions: () => actions, tiers: config.tiers, kick: () => worker?.kick() },
            maxSuppressionDays: config.maxSuppressionDays,
            maxWindowDays: config.maxWindowDays,
            demo: config.demoReplayDays.length > 0,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
