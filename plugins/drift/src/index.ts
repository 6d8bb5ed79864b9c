/**
 * Driftwatch frontend plugin: Drift Dashboard, Drift Tracker, entity drift tab and card.
 *
 * @packageDocumentation
 */

export { driftPlugin, DriftPage, EntityDriftContent } from './plugin';
export { isDriftAvailable } from './conditions';
export * from './api';
