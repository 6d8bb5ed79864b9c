/**
 * Test utilities for the PagerDuty module: a loopback Events API v2 server, for tests that run
 * the `pagerduty` action against something that answers as PagerDuty does.
 *
 * @packageDocumentation
 */

export {
  PagerDutyEventsServer,
  type Fault,
  type RecordedEvent,
} from './PagerDutyEventsServer';
