import type { HumanDuration } from '@backstage/types';

export interface Config {
  drift?: {
    /** Terraform drift (`@driftwatch/plugin-drift-backend-module-terraform`). */
    terraform?: {
      /**
       * Oldest plan file accepted, by the `timestamp` Terraform (1.5 and later) writes into it,
       * as a duration object (`{ hours: 24 }`), an ms-style string (`24h`) or an ISO duration
       * (`PT24H`). An older plan makes its resources unknown: its drift cannot be fresher than
       * its refresh. Defaults to 24 hours.
       */
      maxAge?: HumanDuration | string;
      /**
       * Changes that are not drift, per resource type: detection only, apart from Terraform's
       * own `ignore_changes`. Each attribute is a name or a dotted path to a nested attribute
       * (`settings.ip_configuration`), without list indices. Added to the built-in rules.
       */
      ignore?: Array<{
        /** A resource type, such as `aws_db_instance`. */
        type: string;
        /** Its attributes whose changes are ignored. */
        attributes: string[];
      }>;
      /**
       * Whether the built-in rules for computed attributes that change on every refresh
       * (such as `aws_db_instance.latest_restorable_time`) apply. Defaults to true.
       */
      builtInIgnore?: boolean;
      /**
       * HCP Terraform or Terraform Enterprise, for entities annotated
       * `driftwatch.io/terraform-workspace: <organization>/<workspace>`: their drift is the
       * workspace's current health assessment.
       */
      cloud?: {
        /**
         * Defaults to `https://app.terraform.io`; a Terraform Enterprise host otherwise. Must
         * be https, except on a loopback host.
         */
        baseUrl?: string;
        /**
         * An API token (user or team) with admin access to the workspaces: HCP Terraform only
         * lets admins read an assessment's JSON plan, and organization tokens not at all.
         * @visibility secret
         */
        token?: string;
        /**
         * Oldest assessment accepted; an older one makes the workspace's resources unknown.
         * Defaults to `drift.terraform.maxAge`.
         */
        maxAge?: HumanDuration | string;
        /** Time limit of one request. Defaults to 10 seconds. */
        timeout?: HumanDuration | string;
      };
    };
  };
}
