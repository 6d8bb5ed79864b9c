/**
 * Driftwatch frontend plugin: Drift Dashboard, Drift Tracker, Security trends, Bi-weekly
 * review, and the entity drift tab and card. The new frontend system's plugin is the default
 * export of `@driftwatch/plugin-drift/alpha`.
 *
 * @packageDocumentation
 */

export {
  driftPlugin,
  DriftPage,
  EntityDriftContent,
  EntityDriftCard,
} from './plugin';
export { isDriftAvailable } from './conditions';
export * from './api';
