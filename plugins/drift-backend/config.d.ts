import type { HumanDuration } from '@backstage/types';

export interface Config {
  /** Driftwatch: configuration drift detection. */
  drift?: {
    /** The scheduler round that picks entities due for a scan. */
    schedule?: {
      /** How often to look for due entities. Default: every minute. */
      frequency?: HumanDuration | string;
      /** How long one round may run. Default: 30 minutes. */
      timeout?: HumanDuration | string;
      /**
       * How long a running scan's lease lasts unless its replica renews it. A scan whose replica
       * died is failed once its lease runs out. Default: 2 minutes.
       */
      scanLease?: HumanDuration | string;
    };
    /** Scan interval and SLA per tier. Defaults: tier 1 every 15 min / 4 h, tier 2 hourly / 72 h, tier 3 every 6 h / 14 days. */
    tiers?: Array<{
      /** 1, 2 or 3. */
      tier: number;
      /** Minimum time between two scans of an entity of this tier. */
      scanInterval?: HumanDuration | string;
      /** Hours until an unresolved finding (tier 3: an unacknowledged one) breaches its SLA. */
      slaHours?: number;
    }>;
    /** Tier of entities without a `driftwatch.io/tier` annotation; the first matching rule wins. */
    tierRules?: Array<{
      /** 1, 2 or 3. */
      tier: number;
      /** Matches `spec.system`. */
      system?: string;
      /** Matches `spec.type`. */
      type?: string;
      /** Matches one of `metadata.tags`. */
      tag?: string;
    }>;
    /** Tier when neither the annotation nor a rule decides. Default: 3. */
    defaultTier?: number;
    /**
     * Key of the Secret value fingerprints (HMAC-SHA-256), at least 32 characters, e.g. from
     * `openssl rand -hex 32`. Keep it in your secret store: with the key, a fingerprint can be
     * checked against guessed values. When unset, a key is generated and kept in the plugin's
     * database, and a warning is logged.
     * @visibility secret
     */
    secretFingerprintKey?: string;
    /** Entities compared per provider call. Default: 50. */
    batchSize?: number;
    /** Rules of the finding lifecycle. */
    lifecycle?: {
      /** The latest a suppression may last, in days from when it is made. Default: 90. */
      maxSuppressionDays?: number;
    };
    statistics?: {
      /**
       * The longest window, in days, that statistics, trends and the review report cover; a
       * request for a longer one is refused. Default: 366.
       */
      maxWindowDays?: number;
    };
    /**
     * Routing by SLA tier. Defaults: tier 1 runs `pagerduty` and `github-pull-request`; tier 2
     * runs `notify-owner`, re-notifies daily and escalates to tier 1; tier 3 runs nothing and
     * escalates to tier 2. SLAs are `drift.tiers[].slaHours`.
     */
    routing?: {
      tiers?: Array<{
        /** 1, 2 or 3. */
        tier: number;
        /** Action ids, run in this order for each outcome they handle. */
        actions?: string[];
        /** Drift below this severity is tracked but not routed: low, medium, high or critical. */
        minSeverity?: string;
        /** Route an unacknowledged finding again this often; `false` for never. */
        renotify?: HumanDuration | string | false;
        /** Past the SLA, route the finding with this (higher) tier's actions. */
        escalateTo?: number;
      }>;
      /** Delivery attempts before an intent is recorded as failed. Default: 8. */
      maxAttempts?: number;
      /** The first retry's delay, doubled per retry. Default: 30 seconds. */
      backoff?: HumanDuration | string;
      /** The longest retry delay. Default: 1 hour. */
      maxBackoff?: HumanDuration | string;
      /** How often the worker looks for due intents. Default: every 15 seconds. */
      frequency?: HumanDuration | string;
    };
    retention?: {
      /** How long resolved findings are kept; their audit events stay. Default: 90 days. */
      resolvedFindings?: HumanDuration | string;
      /** How long audit events are kept. Default: 400 days. */
      events?: HumanDuration | string;
      /** How long ended scans (with their errors) are kept. Default: 30 days. */
      scans?: HumanDuration | string;
      /** How long the daily rollups behind trends are kept. Default: 800 days. */
      rollups?: HumanDuration | string;
    };
    /** Engine settings shared by every provider. */
    engine?: {
      /** Ignore rules, in the format of the CLI's ignore file. */
      ignore?: Array<{
        paths?: string[];
        managers?: string[];
        kind?: string;
        namespace?: string;
        name?: string;
      }>;
      /** Severity per category (and `missing`, `extra`): low, medium, high or critical. */
      severities?: { [category: string]: string };
      /** Drift score weight per category (and `missing`, `extra`). */
      weights?: { [category: string]: number };
    };
    /** Demo mode: replay exported snapshots so trends have history. Results are labelled demo. */
    demo?: {
      /** Snapshot ages in days to replay, oldest first, once, when no scan has run yet. */
      replayDays?: number[];
    };
  };
}
