/**
 * The Driftwatch backend plugin: scheduled drift scans, finding lifecycle and the HTTP API.
 *
 * @packageDocumentation
 */

export { driftPlugin as default } from './plugin';
export {
  createDriftFindingConditionalDecision,
  driftFindingConditions,
  driftFindingResourceRef,
} from './permissions/rules';
