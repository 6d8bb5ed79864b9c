import type { Entity } from '@backstage/catalog-model';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { DiffOptions, ResourceDiff } from '@driftwatch/plugin-drift-common';
import type { DesiredObjectSource } from './actions';
import type { ScanWorkCounter } from './scanWork';

/**
 * Desired state read for one entity from one location (a Git folder of manifests, a Terraform
 * plan). `targetKind` names the live target that can compare it.
 *
 * @public
 */
export interface DesiredState {
  targetKind: string;
  /** Where the state was read from, shown to users and in errors. */
  location: string;
  /**
   * The environment this state is for (`drift.environments`), when its location names one;
   * without it, the state is for every environment of the entity.
   */
  environment?: string;
  /** Parsed Kubernetes objects for `kubernetes`; the parsed document for other kinds. */
  documents: unknown[];
  /**
   * The one cluster this state is deployed to (an Argo CD application's destination), by the
   * name the target knows it under. Without it, the target compares the state everywhere.
   */
  cluster?: string;
  /** What the system that deploys this state says about it, kept beside Driftwatch's verdict. */
  externalStatus?: ExternalStatus;
}

/**
 * A deployment tool's own view of an entity's desired state, such as Argo CD's sync and health
 * status. Shown next to Driftwatch's comparison; it never decides a resource's status.
 *
 * @public
 */
export interface ExternalStatus {
  /** The tool, e.g. `argocd`. */
  source: string;
  /** What the tool calls the deployment, e.g. the Argo CD application name. */
  app: string;
  /** For example `Synced` or `OutOfSync`. */
  sync?: string;
  /** For example `Healthy` or `Degraded`. */
  health?: string;
  /** The revision the tool last synced to. */
  revision?: string;
}

/** Options handed to every provider call. @public */
export interface ProviderCallOptions {
  logger: LoggerService;
  signal?: AbortSignal;
  /**
   * Engine options from the plugin's configuration (ignore rules, severities, weights, the
   * Secret fingerprint key). Targets pass them to the engine so every provider scores alike.
   */
  diffOptions?: DiffOptions;
  /**
   * Compare against the state as it was at this time; targets that cannot go back in time
   * ignore it.
   */
  asOf?: Date;
  /** Counts the round's reads, renders and comparisons, and what caches spared of them. */
  work?: ScanWorkCounter;
}

/**
 * Reads what an entity should look like. Sources never talk to live systems; a source that
 * cannot read a location throws, and the scan marks that entity's resources unknown.
 *
 * @public
 */
export interface DesiredStateSource {
  readonly id: string;
  /** True when the entity carries what this source needs (usually an annotation). */
  appliesTo(entity: Entity): boolean;
  readDesired(entity: Entity, options: ProviderCallOptions): Promise<DesiredState[]>;
}

/** One entity's request to a live target, with the desired state of the target's kind. @public */
export interface TargetRequest {
  entity: Entity;
  entityRef: string;
  desired: DesiredState[];
}

/** A compared resource and the live location it was compared in (cluster, plan). @public */
export interface ScannedResource {
  location: string;
  /** The environment of the location (`drift.environments`), when it belongs to one. */
  environment?: string;
  diff: ResourceDiff;
  /** Where Git declares the object, for actions that edit it (a hotfix pull request). */
  source?: DesiredObjectSource;
  /**
   * The compared objects as JSON text, normalized as the engine compares them, for comparing one
   * object across environments. Text because the store keeps them as text and a target may keep
   * them from one scan to the next: an object graph costs several times its JSON in memory.
   * Never set for Secrets.
   */
  objects?: { desired?: string; live?: string };
  /**
   * Why this one resource could not be compared (its diff is then `unknown`), while the rest of
   * the location was read: a LIST of its kind was refused, or it lies outside the entity's scope.
   */
  error?: string;
}

/** A live location that could not be read, and why. @public */
export interface LocationError {
  location: string;
  message: string;
}

/**
 * One entity's comparison. A location listed in `errors` was not read: the scan marks its
 * resources unknown and leaves their findings as they were, never resolving them.
 *
 * @public
 */
export interface TargetResult {
  entityRef: string;
  resources: ScannedResource[];
  errors: LocationError[];
  /**
   * Kinds a location was not allowed to list while looking for extra objects. Previously seen
   * resources of these kinds become unknown there: not being able to look is not "gone".
   */
  unreadKinds?: Array<{ location: string; kind: string }>;
}

/**
 * Reads live state and compares it with the desired state, for many entities at once, so a scan
 * round costs one call per cluster, namespace and kind rather than one per resource.
 *
 * @public
 */
export interface LiveStateTarget {
  readonly id: string;
  /** Which desired states it compares (`DesiredState.targetKind`). */
  readonly targetKind: string;
  compare(requests: TargetRequest[], options: ProviderCallOptions): Promise<TargetResult[]>;
}
