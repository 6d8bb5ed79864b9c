import type { Entity } from '@backstage/catalog-model';
import type { LoggerService } from '@backstage/backend-plugin-api';

/**
 * Desired state read for one entity from one location (a Git folder of manifests, a Terraform
 * plan). `targetKind` says which live target can compare it.
 *
 * @public
 */
export interface DesiredState {
  targetKind: string;
  /** Where the state was read from, shown to users and in errors. */
  location: string;
  /** Kubernetes objects for `kubernetes`; the parsed document for other kinds. */
  documents: unknown[];
}

/** Options handed to every provider call. @public */
export interface ProviderCallOptions {
  logger: LoggerService;
  signal?: AbortSignal;
}

/**
 * Reads what an entity should look like. Sources never talk to live systems.
 *
 * @public
 */
export interface DesiredStateSource {
  readonly id: string;
  /** True when the entity carries what this source needs (usually an annotation). */
  appliesTo(entity: Entity): boolean;
  readDesired(entity: Entity, options: ProviderCallOptions): Promise<DesiredState[]>;
}

/** One entity's request to a live target, with the desired state it must be compared to. @public */
export interface LiveReadRequest {
  entity: Entity;
  entityRef: string;
  desired: DesiredState[];
}

/**
 * Live state of one entity as a target saw it. A target that could not read a location reports
 * it in `errors`, so the caller marks those resources unknown instead of resolving findings.
 *
 * @public
 */
export interface LiveReadResult {
  entityRef: string;
  /** Live objects matching the request, including live-only ones carrying the entity's selector. */
  objects: unknown[];
  errors: Array<{ location: string; message: string }>;
}

/**
 * Reads live state for many entities at once, so a scan round costs one call per cluster,
 * namespace and kind rather than one per resource.
 *
 * @public
 */
export interface LiveStateTarget {
  readonly id: string;
  readonly targetKind: string;
  readLive(
    requests: LiveReadRequest[],
    options: ProviderCallOptions,
  ): Promise<LiveReadResult[]>;
}
