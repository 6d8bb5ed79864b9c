import { createRouteRef } from '@backstage/core-plugin-api';

/** The Drift page. */
export const rootRouteRef = createRouteRef({ id: 'drift' });

/** The Drift tab on an entity page. */
export const entityContentRouteRef = createRouteRef({ id: 'drift:entity-content' });
