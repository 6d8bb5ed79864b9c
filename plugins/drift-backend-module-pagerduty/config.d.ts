import type { HumanDuration } from '@backstage/types';

export interface Config {
  drift?: {
    /** Paging through PagerDuty (`@driftwatch/plugin-drift-backend-module-pagerduty`). */
    pagerduty?: {
      /**
       * Send events to PagerDuty. Until this is `true` the `pagerduty` action runs dry: it
       * records in each finding's history the event it would have sent, and sends nothing.
       */
      enabled?: boolean;
      /**
       * Events API v2 integration key used for entities without the
       * `pagerduty.com/integration-key` annotation. Without it such entities cannot be paged.
       * @visibility secret
       */
      routingKey?: string;
      /**
       * Base URL of the Events API; events go to `{eventsUrl}/v2/enqueue`. Defaults to
       * `https://events.pagerduty.com` (use `https://events.eu.pagerduty.com` for an EU
       * account). Must be https, except on a loopback host.
       */
      eventsUrl?: string;
      /**
       * Time limit of one request to PagerDuty, as a duration object (`{ seconds: 10 }`), an
       * ms-style string (`10s`) or an ISO duration (`PT10S`). Defaults to 10 seconds; a request
       * that takes longer is retried by the routing worker.
       */
      timeout?: HumanDuration | string;
      /**
       * Link to the alert raised for a finding, with `{dedupKey}` standing for the event's
       * dedup key, for example `https://acme.pagerduty.com/alerts?dedup_key={dedupKey}`. The
       * Events API does not return the incident, so without this no incident link is recorded.
       */
      incidentUrlTemplate?: string;
    };
  };
}
