export interface Config {
  drift?: {
    /**
     * Hotfix pull requests (`@driftwatch/plugin-drift-backend-module-github`), the
     * `github-pull-request` action of `drift.routing`. Credentials come from
     * `integrations.github` (a token or a GitHub App), as for the rest of Backstage.
     */
    github?: {
      /**
       * Send pull requests. Until this is true the action runs dry: it records the pull request
       * it would open and sends nothing.
       */
      enabled?: boolean;
      /**
       * Scans after a hotfix pull request merged that may still see the drift before the fix
       * counts as not converged (a second change on the cluster, a controller that reverts it).
       * Defaults to 2.
       */
      convergenceScans?: number;
      /**
       * Folder of the repository where drift notes are written when a file cannot be edited to
       * match live (rendered manifests, missing or extra objects). Defaults to
       * `.driftwatch/drift-notes`.
       */
      noteFolder?: string;
    };
  };
}
