import type { HumanDuration } from '@backstage/types';

export interface Config {
  drift?: {
    /** Terraform drift (`@driftwatch/plugin-drift-backend-module-terraform`). */
    terraform?: {
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
    };
  };
}
