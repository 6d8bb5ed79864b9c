import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  driftSourcesExtensionPoint,
  driftTargetsExtensionPoint,
  type DesiredStateSource,
  type LiveStateTarget,
} from '@driftwatch/plugin-drift-node';
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
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
      },
      async init({ database, httpAuth, httpRouter, logger }) {
        const db = await connectDatabase(database);
        logger.info(
          `Drift providers: sources [${[...sources.keys()].join(', ')}], targets [${[
            ...targets.keys(),
          ].join(', ')}]`,
        );
        httpRouter.use(await createRouter({ httpAuth, db }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
