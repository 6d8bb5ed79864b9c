/**
 * PagerDuty for Driftwatch: the `pagerduty` routing action pages through the Events API v2,
 * one alert per finding, and acknowledges and resolves it with the finding.
 *
 * @packageDocumentation
 */

export { driftModulePagerDuty as default } from './module';
export { PagerDutyAction, type PagerDutyActionState } from './PagerDutyAction';
