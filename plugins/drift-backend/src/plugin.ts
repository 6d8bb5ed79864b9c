import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { createConditionTransformer } from '@backstage/plugin-permission-node';
import { driftPermissions } from '@driftwatch/plugin-drift-common';
import {
  driftSourcesExtensionPoint,
  driftTargetsExtensionPoint,
  type DesiredStateSource,
  type LiveStateTarget,
} from '@driftwatch/plugin-drift-node';
import { CatalogVisibility } from './catalog/CatalogVisibility';
import { driftFindingResourceRef, driftFindingRules } from './permissions/rules';
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

    env.registerInit({
      deps: {
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
      },
      async init(deps) {
        const { auth, catalog, httpAuth, httpRouter, logger, permissions, scheduler } = deps;
        const config = readDriftConfig(deps.config);
        const db = await connectDatabase(deps.database);
        const store = new DriftStore(db);
        const metrics = new DriftMetrics(db);
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
        });

        deps.permissionsRegistry.addResourceType({
          resourceRef: driftFindingResourceRef,
          permissions: driftPermissions,
          rules: Object.values(driftFindingRules),
          getResources: ids => store.getFindingResources(ids),
        });

        logger.info(
          `Drift providers: sources [${[...sources.keys()].join(', ')}], targets [${[
            ...targets.keys(),
          ].join(', ')}]`,
        );
        await store.failAbandonedScans();

        await scheduler.scheduleTask({
          id: 'drift-scan',
          scope: 'global',
          frequency: config.schedulerFrequency,
          timeout: config.schedulerTimeout,
          initialDelay: { seconds: 5 },
          fn: () => runScheduledScan({ store, scanner, config, logger }),
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
