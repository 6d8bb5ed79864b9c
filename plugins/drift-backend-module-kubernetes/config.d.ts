import type { HumanDuration } from '@backstage/types';

export interface Config {
  drift?: {
    /** Kubernetes drift detection (`@driftwatch/plugin-drift-backend-module-kubernetes`). */
    kubernetes?: {
      /**
       * Names of the clusters to scan, among those of `kubernetes.clusterLocatorMethods` and
       * `drift.kubernetes.snapshots`. All of them when absent.
       */
      clusters?: string[];
      /**
       * Objects per LIST page; the rest follows with `continue` tokens. Defaults to 500.
       */
      pageSize?: number;
      /**
       * Requests in flight to one cluster at once. Defaults to 4.
       */
      concurrency?: number;
      /**
       * Time limit of one request to a cluster, as a duration object (`{ seconds: 30 }`), an
       * ms-style string (`30s`) or an ISO duration (`PT30S`). Defaults to 30 seconds; a request
       * that takes longer makes the cluster unknown for the entities that needed it.
       */
      requestTimeout?: HumanDuration | string;
      /**
       * Kinds listed to find live objects that carry an entity's labels but are not in Git
       * (`extra`), besides the kinds of the entity's own manifests. An empty list turns the
       * extra check off for kinds Git does not declare. Defaults to Deployment, StatefulSet,
       * DaemonSet, CronJob, Service, ConfigMap, Secret, ServiceAccount, Ingress, NetworkPolicy,
       * Role, RoleBinding and HorizontalPodAutoscaler.
       */
      extraKinds?: Array<{
        /** For example `apps/v1`, or `v1` for the core group. */
        apiVersion: string;
        /** For example `Deployment`. */
        kind: string;
      }>;
      /**
       * Clusters whose live state is a directory of exported objects (`kubectl get -o yaml`
       * output, `kind: List` or multi-document YAML), for offline audits and demos.
       */
      snapshots?: Array<{
        /** Cluster name, reported as the location of the scanned resources. */
        cluster: string;
        /**
         * Directory of the export, relative to the backend's working directory. Subfolders
         * named by age in days (`13d`, `6d`, `0d`) are a history: a scan as of a past time reads
         * the newest export taken at or before it, other scans the youngest.
         */
        directory: string;
      }>;
    };
  };

  /**
   * The Kubernetes plugin's configuration, which drift detection reads its clusters from.
   * Only the keys Driftwatch reads are described here; `@backstage/plugin-kubernetes-backend`
   * describes the rest.
   */
  kubernetes?: {
    clusterLocatorMethods?: Array<{
      /**
       * `config` (the clusters below) or `localKubectlProxy` (`kubectl proxy` on
       * http://localhost:8001, named `local`). Other locator types are skipped by Driftwatch.
       */
      type: string;
      /** The clusters of a `config` locator. */
      clusters?: Array<{
        /** Cluster name, reported as the location of the scanned resources. */
        name: string;
        /** API server URL. */
        url: string;
        /**
         * `serviceAccount` (the default) or `localKubectlProxy`. Providers that need a
         * signed-in user (`aws`, `google`, `oidc`, ...) are skipped by Driftwatch.
         */
        authProvider?: string;
        /**
         * Bearer token of a service account allowed to list the compared kinds. Without it,
         * the token of the pod Backstage runs in is used.
         * @visibility secret
         */
        serviceAccountToken?: string;
        /**
         * Base64 PEM of the certificate authority of the API server.
         * @visibility secret
         */
        caData?: string;
        /**
         * Path to the PEM file of the certificate authority of the API server.
         * @visibility secret
         */
        caFile?: string;
        /** Skip verification of the API server's TLS certificate. */
        skipTLSVerify?: boolean;
      }>;
    }>;
  };
}
