import type { HumanDuration } from '@backstage/types';

export interface Config {
  drift?: {
    /** Argo CD as a source of desired state (`@driftwatch/plugin-drift-backend-module-argocd`). */
    argocd?: {
      /**
       * Time limit of one request to an Argo CD instance, as a duration object
       * (`{ seconds: 10 }`), an ms-style string (`10s`) or an ISO duration (`PT10S`). Defaults to
       * 10 seconds; an application whose instance takes longer is unknown for that scan.
       */
      requestTimeout?: HumanDuration | string;
    };
  };

  /**
   * The Argo CD plugin's configuration, which Driftwatch reads its instances from. Only the keys
   * Driftwatch reads are described here.
   */
  argocd?: {
    appLocatorMethods?: Array<{
      /** Only `config` locators are read by Driftwatch. */
      type: string;
      /** The Argo CD instances; `argocd/instance-name` picks one, the first by default. */
      instances?: Array<{
        /** Instance name, as `argocd/instance-name` gives it. */
        name: string;
        /** Base URL of the Argo CD API server, e.g. `https://argocd.example.com`. */
        url: string;
        /**
         * API token of an Argo CD account allowed to get the applications
         * (`argocd account generate-token`).
         * @visibility secret
         */
        token?: string;
      }>;
    }>;
  };
}
