import {
  AuthenticationError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { workspaceLabel, type WorkspaceRef } from './workspaces';

/** The current health assessment of a workspace, as far as Driftwatch reads it. */
export interface AssessmentResult {
  id: string;
  createdAt: Date;
  succeeded: boolean;
  errorMessage?: string;
  /** Its JSON plan, when the assessment produced one. */
  jsonOutputUrl?: URL;
}

/** Which request failed, for messages that say what was missing. */
type Step = 'workspace' | 'assessment' | 'json-output';

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** As large as a plan file may be (`drift.fileLocations.maxBytes` defaults alike). */
const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
const MAX_DETAIL = 300;

/**
 * Reads health assessments from the HCP Terraform / Terraform Enterprise API v2: the workspace
 * by name, its current assessment result, and that result's JSON plan. The JSON plan answers
 * with a redirect to short-lived storage (archivist); the token goes only to the configured
 * origin, never to where a redirect points elsewhere. Every error names the workspace.
 */
export class TerraformCloudClient {
  private readonly origin: string;

  constructor(
    private readonly options: {
      baseUrl: string;
      token: string;
      timeoutMs: number;
      maxBytes?: number;
    },
  ) {
    this.origin = new URL(options.baseUrl).origin;
  }

  async currentAssessment(
    workspace: WorkspaceRef,
    signal?: AbortSignal,
  ): Promise<AssessmentResult> {
    const { organization, name } = workspace;
    const found = await this.getJson(
      `/api/v2/organizations/${encodeURIComponent(organization)}/workspaces/${encodeURIComponent(name)}`,
      workspace,
      'workspace',
      signal,
    );
    const id = found?.data?.id;
    if (typeof id !== 'string') {
      throw new Error(this.say(workspace, 'answered without a workspace id'));
    }
    const label = workspaceLabel(workspace);
    if (found.data.attributes?.['assessments-enabled'] === false) {
      throw new NotFoundError(
        `Health assessments are disabled for workspace ${label} at ${this.options.baseUrl}`,
      );
    }
    const result = await this.getJson(
      `/api/v2/workspaces/${encodeURIComponent(id)}/current-assessment-result`,
      workspace,
      'assessment',
      signal,
    );
    const data = result?.data;
    const createdAt = new Date(data?.attributes?.['created-at']);
    if (typeof data?.id !== 'string' || Number.isNaN(createdAt.getTime())) {
      throw new Error(
        this.say(workspace, 'answered with an assessment result without id or created-at'),
      );
    }
    const link = data.links?.['json-output'];
    // Older Terraform Enterprise releases call it error-msg.
    const errorMessage = data.attributes['error-message'] ?? data.attributes['error-msg'];
    return {
      id: data.id,
      createdAt,
      succeeded: data.attributes.succeeded === true,
      errorMessage: typeof errorMessage === 'string' ? errorMessage : undefined,
      jsonOutputUrl:
        typeof link === 'string' ? new URL(link, this.options.baseUrl) : undefined,
    };
  }

  /** The assessment's JSON plan as text; it holds cleartext secrets, so it is never quoted. */
  async jsonOutput(
    workspace: WorkspaceRef,
    assessment: AssessmentResult,
    signal?: AbortSignal,
  ): Promise<string> {
    const url =
      assessment.jsonOutputUrl ??
      new URL(
        `/api/v2/assessment-results/${encodeURIComponent(assessment.id)}/json-output`,
        this.options.baseUrl,
      );
    return this.request(url, workspace, 'json-output', signal, async response => {
      const limit = this.options.maxBytes ?? DEFAULT_MAX_BYTES;
      return readText(response, limit, () =>
        this.say(workspace, `sent a JSON plan larger than ${limit} bytes`),
      );
    });
  }

  private getJson(
    path: string,
    workspace: WorkspaceRef,
    step: Step,
    signal?: AbortSignal,
  ): Promise<any> {
    return this.request(
      new URL(path, this.options.baseUrl),
      workspace,
      step,
      signal,
      async response => {
        try {
          return await response.json();
        } catch {
          throw new Error(this.say(workspace, 'answered with a body that is not JSON'));
        }
      },
    );
  }

  /** One request, under the time limit from its start to the end of its body. */
  private async request<T>(
    url: URL,
    workspace: WorkspaceRef,
    step: Step,
    signal: AbortSignal | undefined,
    read: (response: Response) => Promise<T>,
  ): Promise<T> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const combined = signal ? AbortSignal.any([timeout, signal]) : timeout;
    try {
      const response = await this.follow(url, workspace, step, combined);
      if (!response.ok) throw await this.refusal(response, workspace, step);
      return await read(response);
    } catch (error) {
      if (timeout.aborted) {
        const { timeoutMs } = this.options;
        const limit = timeoutMs < 1000 ? `${timeoutMs} ms` : `${timeoutMs / 1000} s`;
        throw new ServiceUnavailableError(
          this.say(workspace, `did not answer within ${limit}`),
        );
      }
      if (signal?.aborted) throw error;
      if ((error as Error)?.name === 'TypeError') {
        // fetch reports "fetch failed"; what went wrong (ECONNREFUSED, a TLS error) is its cause.
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        throw new ServiceUnavailableError(
          `Could not reach HCP Terraform at ${this.options.baseUrl} for workspace ${workspaceLabel(
            workspace,
          )}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
        );
      }
      throw error;
    }
  }

  /** Follows redirects itself, so that the token never leaves the configured origin. */
  private async follow(
    start: URL,
    workspace: WorkspaceRef,
    step: Step,
    signal: AbortSignal,
  ): Promise<Response> {
    let url = start;
    for (let hops = 0; ; hops++) {
      const headers: Record<string, string> = {
        Accept: step === 'json-output' ? 'application/json' : 'application/vnd.api+json',
      };
      if (url.origin === this.origin) {
        headers.Authorization = `Bearer ${this.options.token}`;
      }
      const response = await fetch(url, { headers, signal, redirect: 'manual' });
      if (!REDIRECTS.has(response.status)) return response;
      await response.body?.cancel();
      const location = response.headers.get('location');
      const next = location && URL.canParse(location, url) ? new URL(location, url) : undefined;
      // A redirect must not downgrade to plain http, nor leave http(s).
      const allowed =
        next?.protocol === 'https:' || (next?.protocol === 'http:' && url.protocol === 'http:');
      if (!next || !allowed || hops >= MAX_REDIRECTS) {
        throw new Error(
          this.say(workspace, `answered with a redirect that cannot be followed (${response.status})`),
        );
      }
      url = next;
    }
  }

  private async refusal(
    response: Response,
    workspace: WorkspaceRef,
    step: Step,
  ): Promise<Error> {
    const { status } = response;
    const label = workspaceLabel(workspace);
    const at = this.options.baseUrl;
    // The JSON plan's errors come from storage, not the API: only API bodies are quoted.
    const detail = step === 'json-output' ? '' : await this.detailOf(response);
    await response.body?.cancel().catch(() => {});
    if (status === 401) {
      return new AuthenticationError(
        `HCP Terraform at ${at} refused the token for workspace ${label} (401${detail})`,
      );
    }
    if (status === 403) {
      return new NotAllowedError(
        `HCP Terraform at ${at} refused the token for workspace ${label} (403${detail})`,
      );
    }
    if (status === 404) {
      if (step === 'workspace') {
        return new NotFoundError(
          `No workspace '${workspace.name}' in organization '${workspace.organization}' at ${at}, or the token cannot see it`,
        );
      }
      if (step === 'assessment') {
        return new NotFoundError(
          `Workspace ${label} has no health assessment at ${at}: are health assessments enabled for it?`,
        );
      }
      return new NotFoundError(
        `The health assessment of workspace ${label} has no JSON plan at ${at}; reading it takes a token with admin access to the workspace`,
      );
    }
    return new Error(this.say(workspace, `answered ${status}${detail}`));
  }

  /** `: title: detail` of a JSON:API error document, without the token should it echo it. */
  private async detailOf(response: Response): Promise<string> {
    const text = await response.text().catch(() => '');
    let parts: string[] = [];
    try {
      const errors = JSON.parse(text)?.errors;
      if (Array.isArray(errors)) {
        parts = errors
          .flatMap(e => [e?.title, e?.detail])
          .filter((p): p is string => typeof p === 'string' && p.length > 0);
      }
    } catch {
      // Not JSON (a proxy's error page): nothing worth quoting.
    }
    const said = parts
      .join(': ')
      .replaceAll(this.options.token, '<token>')
      .slice(0, MAX_DETAIL);
    return said ? `: ${said}` : '';
  }

  private say(workspace: WorkspaceRef, what: string): string {
    return `HCP Terraform at ${this.options.baseUrl} ${what} for workspace ${workspaceLabel(workspace)}`;
  }
}

/** The body as text, refusing more than `limit` bytes without reading them all first. */
async function readText(
  response: Response,
  limit: number,
  tooLarge: () => string,
): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > limit) {
    await response.body?.cancel();
    throw new Error(tooLarge());
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.length;
    if (size > limit) throw new Error(tooLarge());
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
