import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { DriftClient, driftApiRef } from './api';
import { entityContentRouteRef, rootRouteRef } from './routes';

/**
 * The Driftwatch frontend plugin for the legacy frontend system.
 *
 * @public
 */
export const driftPlugin = createPlugin({
  id: 'drift',
  apis: [
    createApiFactory({
      api: driftApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new DriftClient(deps),
    }),
  ],
  routes: {
    root: rootRouteRef,
    entityContent: entityContentRouteRef,
  },
});

/** The Drift page. @public */
export const DriftPage = driftPlugin.provide(
  createRoutableExtension({
    name: 'DriftPage',
    component: () => import('./components/DriftPage').then(m => m.DriftPage),
    mountPoint: rootRouteRef,
  }),
);

/** The Drift tab for entity pages; guard it with `isDriftAvailable`. @public */
export const EntityDriftContent = driftPlugin.provide(
  createRoutableExtension({
    name: 'EntityDriftContent',
    component: () =>
      import('./components/EntityDriftContent').then(m => m.EntityDriftContent),
    mountPoint: entityContentRouteRef,
  }),
);
