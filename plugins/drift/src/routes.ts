import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/** The Drift page; its tabs are sub-routes. */
export const rootRouteRef = createRouteRef({ id: 'drift' });

/** The Drift Tracker tab. */
export const trackerRouteRef = createSubRouteRef({
  id: 'drift/tracker',
  parent: rootRouteRef,
  path: '/tracker',
});

/** The Security trends tab. */
export const securityRouteRef = createSubRouteRef({
  id: 'drift/security',
  parent: rootRouteRef,
  path: '/security',
});

/** The Bi-weekly review tab. */
export const reviewRouteRef = createSubRouteRef({
  id: 'drift/review',
  parent: rootRouteRef,
  path: '/review',
});

/** The Routing tab: the policy in force and recent deliveries. */
export const routingRouteRef = createSubRouteRef({
  id: 'drift/routing',
  parent: rootRouteRef,
  path: '/routing',
});

/** The Drift tab on an entity page. */
export const entityContentRouteRef = createRouteRef({
  id: 'drift:entity-content',
});
