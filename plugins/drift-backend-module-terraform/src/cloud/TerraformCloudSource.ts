import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  TerraformPlanError,
  type JsonObject,
} from '@driftwatch/plugin-drift-common';
import type {
  DesiredState,
  DesiredStateSource,
  ProviderCallOptions,
} from '@driftwatch/plugin-drift-node';
import type { TerraformCloudConfig } from '../config';
import { assertFresh } from '../freshness';
import { PlanFormatError, TERRAFORM_TARGET_KIND } from '../parsePlan';
import { readRedactedPlan } from '../redactedPlan';
import { TerraformCloudClient } from './TerraformCloudClient';
import {
  DRIFT_TERRAFORM_WORKSPACE_ANNOTATION,
  readWorkspaces,
  workspaceLabel,
  type WorkspaceRef,
} from './workspaces';

/**
 * Takes an entity's cloud drift from the current health assessment of each HCP Terraform or
 * Terraform Enterprise workspace it names in `driftwatch.io/terraform-workspace`: the JSON plan
 * of that refresh, in the format of `terraform show -json`, for the `terraform` target. A
 * failed or older-than-`maxAge` assessment fails the read, so its resources become unknown
 * rather than in sync.
 */
export class TerraformCloudSource implements DesiredStateSource {
  readonly id = 'terraform-cloud';

  /**
   * The redacted plan of each workspace's last assessment: an assessment is immutable, so its
   * plan is downloaded once. Only the redacted form is kept.
   */
  private readonly cache = new Map<
    string,
    { assessmentId: string; plan: JsonObject }
  >();
  private readonly client?: TerraformCloudClient;

  constructor(private readonly config: TerraformCloudConfig) {
    if (config.token) {
      this.client = new TerraformCloudClient({
        baseUrl: config.baseUrl,
        token: config.token,
        timeoutMs: config.timeoutMs,
      });
    }
  }

  appliesTo(entity: Entity): boolean {
    return Boolean(
      entity.metadata.annotations?.[DRIFT_TERRAFORM_WORKSPACE_ANNOTATION]?.trim(),
    );
  }

  async readDesired(
    entity: Entity,
    options: ProviderCallOptions,
  ): Promise<DesiredState[]> {
    const entityRef = stringifyEntityRef(entity);
    let workspaces: WorkspaceRef[];
    try {
      workspaces = readWorkspaces(entity);
    } catch (error) {
      throw new InputError(`${entityRef}: ${(error as Error).message}`);
    }
    const { client } = this;
    if (!client) {
      throw new InputError(
        `${entityRef}: ${DRIFT_TERRAFORM_WORKSPACE_ANNOTATION} needs an API token in drift.terraform.cloud.token`,
      );
    }
    return Promise.all(
      workspaces.map(workspace => this.readWorkspace(client, workspace, options)),
    );
  }

  private async readWorkspace(
    client: TerraformCloudClient,
    workspace: WorkspaceRef,
    options: ProviderCallOptions,
  ): Promise<DesiredState> {
    const label = workspaceLabel(workspace);
    // The workspace's page, so that a finding's location opens it.
    const location = `${this.config.baseUrl}/app/${workspace.organization}/workspaces/${workspace.name}`;
    const assessment = await client.currentAssessment(workspace, options.signal);
    if (!assessment.succeeded) {
      throw new Error(
        `The current health assessment of workspace ${label} failed${
          assessment.errorMessage ? `: ${assessment.errorMessage}` : ''
        }`,
      );
    }
    assertFresh(`the assessment of workspace ${label}`, assessment.createdAt, {
      maxAgeMs: this.config.maxAgeMs,
      now: options.asOf ?? new Date(),
    });

    const cached = this.cache.get(location);
    let plan = cached?.assessmentId === assessment.id ? cached.plan : undefined;
    if (!plan) {
      const text = await client.jsonOutput(workspace, assessment, options.signal);
      try {
        plan = readRedactedPlan(text, options.diffOptions?.secretHashKey).plan;
      } catch (error) {
        if (error instanceof PlanFormatError || error instanceof TerraformPlanError) {
          throw new InputError(
            `The JSON plan of the health assessment of workspace ${label}: ${error.message}`,
          );
        }
        throw error;
      }
      this.cache.set(location, { assessmentId: assessment.id, plan });
    }
    return { targetKind: TERRAFORM_TARGET_KIND, location, documents: [plan] };
  }
}
