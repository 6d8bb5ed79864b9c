import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { DriftClient, driftApiRef } from './api';
import {
  entityContentRouteRef,
  reviewRouteRef,
  rootRouteRef,
  routingRouteRef,
  securityRouteRef,
  trackerRouteRef,
} from './routes';

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
    tracker: trackerRouteRef,
    security: securityRouteRef,
    routing: routingRouteRef,
    review: reviewRouteRef,
    entityContent: entityContentRouteRef,
  },
});

/**
 * The Drift page with its tabs: Dashboard, Tracker, Security trends, Routing and Bi-weekly review.
 * Mount it at `/drift` (`<Route path="/drift" element={<DriftPage />} />`).
 *
 * @public
 */
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

/** The drift card for entity overview pages; guard it with `isDriftAvailable`. @public */
export const EntityDriftCard = driftPlugin.provide(
  createComponentExtension({
    name: 'EntityDriftCard',
    component: {
      lazy: () =>
        import('./components/EntityDriftCard').then(m => m.EntityDriftCard),
    },
  }),
);
