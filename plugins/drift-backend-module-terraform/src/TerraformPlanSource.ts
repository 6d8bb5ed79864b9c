import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { ForwardedError, InputError } from '@backstage/errors';
import {
  DRIFT_TERRAFORM_PLAN_ANNOTATION,
  TerraformPlanError,
  type JsonObject,
} from '@driftwatch/plugin-drift-common';
import type {
  DesiredState,
  DesiredStateSource,
  FileLocationReader,
  ProviderCallOptions,
} from '@driftwatch/plugin-drift-node';
import { assertFresh } from './freshness';
import { PlanFormatError, TERRAFORM_TARGET_KIND } from './parsePlan';
import { readPlanLocations, type PlanLocation } from './planLocations';
import { readRedactedPlan, type RedactedPlan } from './redactedPlan';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Reads the Terraform plan an entity names in `driftwatch.io/terraform-plan`: the JSON that CI
 * publishes with `terraform plan -refresh-only -out=plan && terraform show -json plan`.
 * `url:` locations go through Backstage's UrlReader, `file:` locations through the
 * FileLocationReader, inside the configured roots. Every error names the entity and the location.
 * A plan whose `timestamp` is older than `maxAgeMs` fails as stale: the drift it reports
 * cannot be fresher than its refresh.
 */
export class TerraformPlanSource implements DesiredStateSource {
  readonly id = 'terraform-plan';

  /**
   * Redacted plans by URL with their ETag, so an unchanged published plan is neither fetched
   * nor parsed again. A plan holds the cleartext of every sensitive attribute: only its
   * redacted form is kept.
   */
  private readonly cache = new Map<
    string,
    { etag: string; plan: RedactedPlan }
  >();

  constructor(
    private readonly options: {
      urlReader: UrlReaderService;
      files: FileLocationReader;
      /** Oldest plan accepted; without it plans are not aged. */
      maxAgeMs?: number;
    },
  ) {}

  appliesTo(entity: Entity): boolean {
    return Boolean(
      entity.metadata.annotations?.[DRIFT_TERRAFORM_PLAN_ANNOTATION]?.trim(),
    );
  }

  async readDesired(
    entity: Entity,
    options: ProviderCallOptions,
  ): Promise<DesiredState[]> {
    const entityRef = stringifyEntityRef(entity);
    let locations: PlanLocation[];
    try {
      locations = readPlanLocations(entity);
    } catch (error) {
      throw new InputError(`${entityRef}: ${messageOf(error)}`);
    }
    return Promise.all(
      locations.map(async location => ({
        targetKind: TERRAFORM_TARGET_KIND,
        location: location.ref,
        documents: [await this.readPlan(entity, entityRef, location, options)],
      })),
    );
  }

  private async readPlan(
    entity: Entity,
    entityRef: string,
    location: PlanLocation,
    options: ProviderCallOptions,
  ): Promise<JsonObject> {
    const { plan, timestamp } =
      location.type === 'url'
        ? await this.readUrlPlan(entityRef, location, options)
        : await this.readFilePlan(entity, entityRef, location, options);
    const { maxAgeMs } = this.options;
    if (maxAgeMs !== undefined && timestamp) {
      assertFresh(`the plan at ${location.ref}`, timestamp, {
        maxAgeMs,
        now: options.asOf ?? new Date(),
      });
    }
    return plan;
  }

  private async readFilePlan(
    entity: Entity,
    entityRef: string,
    location: Extract<PlanLocation, { type: 'file' }>,
    options: ProviderCallOptions,
  ): Promise<RedactedPlan> {
    let text: string;
    try {
      text = (await this.options.files.readFile(entity, location)).toString(
        'utf8',
      );
    } catch (error) {
      // ForwardedError keeps the cause's name (NotFoundError, NotAllowedError, ...).
      throw new ForwardedError(
        `${entityRef}: cannot read ${location.ref}`,
        error,
      );
    }
    return parseOrThrow(entityRef, location, text, options);
  }

  private async readUrlPlan(
    entityRef: string,
    location: Extract<PlanLocation, { type: 'url' }>,
    options: ProviderCallOptions,
  ): Promise<RedactedPlan> {
    const { signal } = options;
    const cached = this.cache.get(location.url);
    let text: string;
    let etag: string | undefined;
    try {
      const response = await this.options.urlReader.readUrl(location.url, {
        etag: cached?.etag,
        signal,
      });
      text = (await response.buffer()).toString('utf8');
      etag = response.etag;
    } catch (error) {
      if (cached && (error as Error)?.name === 'NotModifiedError')
        return cached.plan;
      // ForwardedError keeps the cause's name (NotFoundError, NotAllowedError, ...).
      throw new ForwardedError(
        `${entityRef}: cannot read ${location.ref}`,
        error,
      );
    }
    const plan = parseOrThrow(entityRef, location, text, options);
    if (etag) this.cache.set(location.url, { etag, plan });
    else this.cache.delete(location.url);
    return plan;
  }
}

/** The plan of a text, redacted, or an InputError naming the entity and the location. */
function parseOrThrow(
  entityRef: string,
  location: PlanLocation,
  text: string,
  options: ProviderCallOptions,
): RedactedPlan {
  try {
    return readRedactedPlan(text, options.diffOptions?.secretHashKey);
  } catch (error) {
    if (error instanceof PlanFormatError || error instanceof TerraformPlanError) {
      throw new InputError(`${entityRef}: ${location.ref}: ${error.message}`);
    }
    throw error;
  }
}
