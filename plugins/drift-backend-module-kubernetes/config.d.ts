import type { HumanDuration } from '@backstage/types';

export interface Config {
  drift?: {
    /**
     * Environments and the clusters they run in. An entity whose `driftwatch.io/source`
     * locations name environments (`production=url:...`), or that has a
     * `driftwatch.io/environment` annotation naming one, is compared only in its environments'
     * clusters, each with that environment's desired state. Without one, an entity is compared
     * in every cluster where some of its objects run. A cluster belongs to one environment at
     * most; findings carry the environment of their cluster.
     */
    environments?: Array<{
      /** For example `production` or `staging`. */
      name: string;
      /** Cluster names, among those of `kubernetes.clusterLocatorMethods` and the snapshots. */
      clusters: string[];
      /**
       * A tier for findings in this environment, 1 to 3. It only ever lowers urgency: a
       * tier-1 service's staging drift with `tier: 3` is tier 3, a tier-3 service stays tier 3.
       */
      tier?: number;
    }>;
    /**
     * How Helm charts and Kustomize overlays named in `driftwatch.io/source` are rendered
     * (`@driftwatch/plugin-drift-backend-module-kubernetes`).
     */
    render?: {
      /** Path of the helm binary; the first `helm` on the backend's PATH when absent. */
      helm?: string;
      /** Path of the kustomize binary; the first `kustomize` on the backend's PATH when absent. */
      kustomize?: string;
      /**
       * Time limit of one render, as a duration object, an ms-style string (`30s`) or an ISO
       * duration. Defaults to 30 seconds; the tool's whole process group is killed past it.
       */
      timeout?: HumanDuration | string;
      /** Largest output of one render, in bytes; the tool is killed past it. Defaults to 32 MiB. */
      maxOutputBytes?: number;
      /** Largest fetched tree one render may copy to its private folder, in bytes. Defaults to 32 MiB. */
      maxInputBytes?: number;
    };
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
       * Namespaced kinds an entity's Git objects may be of; a Git object of another kind is not
       * read and comes back `unknown` ("outside the entity's scope: kind ..."). Matched by API
       * group and kind, whatever the version. Replaces the defaults, which are Deployment,
       * StatefulSet, DaemonSet, CronJob, Job, Service, ConfigMap, Secret, ServiceAccount,
       * PersistentVolumeClaim, Endpoints, Ingress, NetworkPolicy, Role, RoleBinding,
       * HorizontalPodAutoscaler and PodDisruptionBudget. The `extraKinds` are allowed too. Add
       * custom resources here (`{ apiVersion: cert-manager.io/v1, kind: Certificate }`).
       */
      allowedKinds?: Array<{
        /** For example `apps/v1`, or `v1` for the core group; any version of the group matches. */
        apiVersion: string;
        /** For example `Deployment`. */
        kind: string;
      }>;
      /**
       * Cluster-scoped kinds (ClusterRole, ClusterRoleBinding, ...) an entity's Git objects may
       * be of, and that are checked for extras; none by default. They are listed cluster-wide,
       * always through the entity's label selector.
       */
      clusterScopedKinds?: Array<{
        /** For example `rbac.authorization.k8s.io/v1`. */
        apiVersion: string;
        /** For example `ClusterRole`. */
        kind: string;
      }>;
      /**
       * Namespaces entities may read. An entity with `backstage.io/kubernetes-namespace` reads
       * only that namespace; one without it, the namespaces of its Git objects. Either way only
       * those these rules allow. Names may contain `*`, matching any characters.
       */
      namespaces?: {
        /** When set, the only namespaces entities may read (for example `team-*`). */
        allow?: string[];
        /**
         * Namespaces no entity may read. Replaces the defaults, which are kube-system,
         * kube-public and kube-node-lease.
         */
        deny?: string[];
      };
      /**
       * Names of clusters that may be reached over plain `http`. Any other http cluster is not
       * contacted: every entity gets a location error for it. `kubectl proxy` on the Backstage
       * host (the `localKubectlProxy` locator, or a loopback URL without credentials) needs no
       * entry.
       */
      allowInsecureHttp?: string[];
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
        /** API server URL; plain `http` only with `drift.kubernetes.allowInsecureHttp`. */
        url: string;
        /**
         * `serviceAccount` (the default) or `localKubectlProxy`. Providers that need a
         * signed-in user (`aws`, `google`, `oidc`, ...) are skipped by Driftwatch.
         */
        authProvider?: string;
        /**
         * Bearer token of a service account allowed to list the compared kinds. Without it,
         * the token of the pod Backstage runs in is used, and only when `url` is the in-cluster
         * API (`https://kubernetes.default.svc`, or the pod's `KUBERNETES_SERVICE_HOST` and
         * `KUBERNETES_SERVICE_PORT`); any other cluster without a token is not contacted.
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
