import type { LoggerService } from '@backstage/backend-plugin-api';
import type { JsonObject, KubeObject } from '@driftwatch/plugin-drift-common';

/** A kind as a cluster serves it. */
export interface ServedKind {
  apiVersion: string;
  kind: string;
  /** API group, `''` for the core group. */
  group: string;
  /** Lower-case plural used in the REST path (`deployments`); absent for snapshots. */
  plural?: string;
  namespaced: boolean;
}

/** One LIST: every object of a kind in one namespace (or cluster-wide), optionally by labels. */
export interface ListRequest {
  kind: ServedKind;
  /** Absent for cluster-scoped kinds. */
  namespace?: string;
  /** API server `labelSelector` syntax. */
  labelSelector?: string;
  /** API server `fieldSelector` syntax (`metadata.name=cart-db`, `type!=...`). */
  fieldSelector?: string;
  /** Only each object's metadata is wanted: the objects carry nothing else. */
  metadataOnly?: boolean;
}

/** Where a cluster's live state comes from, for the duration of one comparison round. */
export interface ClusterView {
  /**
   * How the cluster serves `apiVersion`/`kind`, or undefined when it does not serve it at all
   * (e.g. a CRD that is not installed). Throws when the cluster cannot be asked.
   */
  resolveKind(
    apiVersion: string,
    kind: string,
  ): Promise<ServedKind | undefined>;
  /** All objects the LIST returns, with `apiVersion` and `kind` set on each. */
  list(request: ListRequest): Promise<KubeObject[]>;
  /**
   * The structural schemas (`openAPIV3Schema`) the cluster's CustomResourceDefinitions give the
   * custom resource kinds among `kinds`, by `apiVersion|kind`; built-in kinds are left out.
   * Optional: a cluster that cannot tell compares custom resources without their defaults.
   */
  customResourceSchemas?(kinds: ServedKind[]): Promise<Map<string, JsonObject>>;
  /**
   * What changes whenever a listed object does, cheaper to compare than the object: the API
   * server's uid and resourceVersion, a snapshot's export fingerprint. Optional, and undefined
   * for an object the cluster cannot tell; such objects are compared whole.
   */
  versionOf?(object: KubeObject): string | undefined;
}

/** Options for opening a {@link ClusterView}. */
export interface OpenClusterOptions {
  logger: LoggerService;
  signal?: AbortSignal;
  /** Read the state as it was at this time, where the cluster keeps history (snapshots). */
  asOf?: Date;
}

/** A Kubernetes cluster, live or exported, that the target compares entities in. */
export interface LiveCluster {
  /** The cluster's name, used as the scanned resources' location. */
  readonly name: string;
  open(options: OpenClusterOptions): Promise<ClusterView>;
}
