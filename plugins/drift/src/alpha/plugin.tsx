import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import CompareArrowsIcon from '@material-ui/icons/CompareArrows';
import { DriftClient, driftApiRef } from '../api';
import { isDriftAvailable } from '../conditions';
import {
  entityContentRouteRef,
  reviewRouteRef,
  rootRouteRef,
  routingRouteRef,
  securityRouteRef,
  trackerRouteRef,
} from '../routes';

const driftApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: driftApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new DriftClient(deps),
    }),
});

/** Dashboard, Tracker, Security trends, Routing and Bi-weekly review, as tabs under `/drift`. */
const driftPage = PageBlueprint.make({
  params: {
    path: '/drift',
    title: 'Drift',
    icon: <CompareArrowsIcon />,
    routeRef: rootRouteRef,
    // The page renders its own Backstage header and tabs, shared with the legacy system.
    noHeader: true,
    // Prefetched once the app is idle, so the first visit does not wait for the download.
    loader: () =>
      import(/* webpackPrefetch: true */ '../components/DriftPage').then(m => (
        <m.DriftPage />
      )),
  },
});

const entityDriftContent = EntityContentBlueprint.make({
  params: {
    path: '/drift',
    title: 'Drift',
    routeRef: entityContentRouteRef,
    filter: isDriftAvailable,
    loader: () =>
      import('../components/EntityDriftContent').then(m => (
        <m.EntityDriftContent />
      )),
  },
});

/** Next to the entity's About card: in sync or drifted is part of what the entity is. */
const entityDriftCard = EntityCardBlueprint.make({
  params: {
    type: 'info',
    filter: isDriftAvailable,
    loader: () =>
      import('../components/EntityDriftCard').then(m => <m.EntityDriftCard />),
  },
});

/**
 * The Driftwatch frontend plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'drift',
  title: 'Drift',
  icon: <CompareArrowsIcon />,
  extensions: [driftApi, driftPage, entityDriftContent, entityDriftCard],
  routes: {
    root: rootRouteRef,
    tracker: trackerRouteRef,
    security: securityRouteRef,
    routing: routingRouteRef,
    review: reviewRouteRef,
    entityContent: entityContentRouteRef,
  },
});
