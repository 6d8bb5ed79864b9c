import type { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
  type GithubCredentialsProvider,
  type GithubIntegration,
  type ScmIntegrationRegistry,
} from '@backstage/integration';
import {
  ActionDeliveryError,
  type ActionCallOptions,
  type ActionDelivery,
  type ActionRefresh,
  type ActionResult,
  type DriftAction,
  type FindingOutcome,
  type RoutedFinding,
} from '@driftwatch/plugin-drift-node';
import { readGitHubActionConfig, type GitHubActionConfig } from '../config';
import { GitHubRepository, type PullRequest } from '../github/GitHubRepository';
import { resolveGitHubFile, type GitHubFile } from '../location/githubFile';
import { driftNote, pullRequestTitle } from '../note/driftNote';
import { applyEdits } from '../reverseSync/applyEdits';
import {
  planEdits,
  type FieldEdit,
  type ManualStep,
} from '../reverseSync/planEdits';

/** The action's state kept by routing between deliveries and refreshes. */
export interface PullRequestState extends Record<string, unknown> {
  owner: string;
  repo: string;
  branch: string;
  base: string;
  pullNumber: number;
  pullUrl: string;
  headSha: string;
  mergedAt?: string;
  /** Distinct `lastSeenAt` of scans that still saw the drift after the merge. */
  scansSinceMerge?: string[];
  notConverged?: boolean;
  closedAt?: string;
}

/** A file the pull request writes: a patch of the manifest, or the drift note. */
type PlannedFile =
  | { path: string; patch: FieldEdit[] }
  | { path: string; note: string };

const RESOLVED_COMMENT =
  'The drift resolved on its own: live matches Git again, so this pull request is no longer ' +
  'needed. Driftwatch closed it and left the branch in place.';

function hasCredentials(integration: GithubIntegration): boolean {
  return Boolean(integration.config.token || integration.config.apps?.length);
}

/** One branch per finding, named by its id. */
export function branchOf(findingId: string): string {
  return `driftwatch/drift-${findingId.replace(/[^A-Za-z0-9._-]/g, '-')}`;
}

function isEditable(
  file: GitHubFile,
): file is GitHubFile & { path: string; document: number } {
  return Boolean(
    !file.rendered && file.path && /\.ya?ml$/i.test(file.path) && file.document,
  );
}

/**
 * `github-pull-request`: a hotfix pull request per drift finding, from the branch
 * `driftwatch/drift-<finding id>`. For a plain manifest it edits the object's YAML document so
 * Git matches live; for rendered manifests, missing or extra objects it adds a drift note file
 * instead. Secret values never reach Git. The body is the drift note; a resolve closes the
 * pull request, and `refresh` follows it to the merge and the scans after it.
 *
 * Deliveries are idempotent: the pull request is always looked up by its head branch first,
 * so a delivery repeated after a crash updates the pull request it opened.
 */
export class GitHubPullRequestAction implements DriftAction {
  readonly id = 'github-pull-request';
  readonly outcomes: readonly FindingOutcome[] = [
    'opened',
    'changed',
    'severity-rose',
    'escalated',
    'resolved',
  ];

  static fromConfig(config: Config): GitHubPullRequestAction {
    const integrations = ScmIntegrations.fromConfig(config);
    return new GitHubPullRequestAction({
      integrations,
      credentials:
        DefaultGithubCredentialsProvider.fromIntegrations(integrations),
      config: readGitHubActionConfig(config),
    });
  }

  constructor(
    private readonly options: {
      integrations: ScmIntegrationRegistry;
      credentials: GithubCredentialsProvider;
      config: GitHubActionConfig;
    },
  ) {}

  isDryRun(): boolean {
    return (
      !this.options.config.enabled ||
      !this.options.integrations.github.list().some(hasCredentials)
    );
  }

  async deliver(
    delivery: ActionDelivery,
    options: ActionCallOptions,
  ): Promise<ActionResult> {
    const { finding, outcome } = delivery;
    const file = resolveGitHubFile(finding.source, this.options.integrations);
    if ('reason' in file) {
      return { status: 'skipped', summary: `No pull request: ${file.reason}` };
    }
    const branch = branchOf(finding.id);
    const slug = `${file.owner}/${file.repo}`;
    if (this.isDryRun() || !hasCredentials(file.integration)) {
      return this.dryRun(finding, outcome, file, branch);
    }
    const repo = await this.repositoryOf(file, options.signal);
    if (outcome === 'resolved') return this.close(repo, branch, delivery.state);

    const base = file.ref ?? (await repo.defaultBranch());
    await repo.ensureBranch(branch, base);
    const { body, files } = await this.commitChange(
      repo,
      finding,
      file,
      branch,
      base,
    );
    const title = pullRequestTitle(finding);
    const existing = await this.findOpenPull(repo, branch, delivery.state);
    let pull: PullRequest;
    let summary: string;
    if (existing) {
      pull = await repo.updatePull(existing.number, { title, body });
      summary = `Updated PR #${pull.number}`;
    } else {
      pull = await repo.createPull({ branch, base, title, body });
      summary = `Opened PR #${pull.number}`;
    }
    const state: PullRequestState = {
      owner: file.owner,
      repo: file.repo,
      branch,
      base,
      pullNumber: pull.number,
      pullUrl: pull.url,
      headSha: pull.headSha,
    };
    options.logger.info(
      `${summary} on ${slug} for drift finding ${finding.id}`,
    );
    return {
      status: 'delivered',
      summary,
      request: { repo: slug, base, branch, title, body, files },
      state,
      externalUrl: pull.url,
    };
  }

  async refresh(
    finding: RoutedFinding,
    state: Record<string, unknown>,
    options: ActionCallOptions,
  ): Promise<ActionRefresh | undefined> {
    const current = state as Partial<PullRequestState>;
    if (
      typeof current.pullNumber !== 'number' ||
      !current.owner ||
      !current.repo
    ) {
      return undefined;
    }
    const number = current.pullNumber;
    if (current.mergedAt)
      return this.followConvergence(finding, current, number);
    if (current.closedAt) return undefined;

    const file = resolveGitHubFile(finding.source, this.options.integrations);
    if (
      'reason' in file ||
      this.isDryRun() ||
      !hasCredentials(file.integration)
    ) {
      return undefined;
    }
    const repo = await this.repositoryOf(
      { ...file, owner: current.owner, repo: current.repo },
      options.signal,
    );
    const pull = await repo.getPull(number);
    if (pull.mergedAt) {
      return {
        state: { ...current, mergedAt: pull.mergedAt, scansSinceMerge: [] },
        summary: `PR #${number} merged`,
        externalUrl: pull.url,
        rescan: true,
      };
    }
    if (pull.state === 'closed') {
      return {
        state: { ...current, closedAt: new Date().toISOString() },
        summary: `PR #${number} closed without merging`,
        externalUrl: pull.url,
      };
    }
    if (pull.headSha !== current.headSha) {
      return { state: { ...current, headSha: pull.headSha } };
    }
    return undefined;
  }

  /**
   * Counts the scans that still saw the drift after the merge; past the configured number the
   * fix did not converge (a controller reverts it, or someone changed the cluster again).
   */
  private followConvergence(
    finding: RoutedFinding,
    state: Partial<PullRequestState>,
    number: number,
  ): ActionRefresh | undefined {
    const seen = new Set(state.scansSinceMerge ?? []);
    const before = seen.size;
    if (Date.parse(finding.lastSeenAt) > Date.parse(state.mergedAt!)) {
      seen.add(finding.lastSeenAt);
    }
    if (seen.size === before) return undefined;
    const next = { ...state, scansSinceMerge: [...seen] };
    if (
      seen.size >= this.options.config.convergenceScans &&
      !state.notConverged
    ) {
      return {
        state: { ...next, notConverged: true },
        summary: `Fix did not converge: still drifted after ${seen.size} scans since PR #${number} merged`,
        externalUrl: state.pullUrl,
      };
    }
    return { state: next };
  }

  private async repositoryOf(
    file: Pick<GitHubFile, 'integration' | 'owner' | 'repo'>,
    signal?: AbortSignal,
  ): Promise<GitHubRepository> {
    const { config } = file.integration;
    const slug = `${file.owner}/${file.repo}`;
    let token: string | undefined;
    try {
      ({ token } = await this.options.credentials.getCredentials({
        url: `https://${config.host}/${slug}`,
      }));
    } catch (error) {
      // An App installation token is fetched from GitHub; that can fail for a while.
      throw new ActionDeliveryError(
        `No GitHub credentials for ${slug}: ${
          error instanceof Error ? error.message : String(error)
        }`,
        true,
      );
    }
    if (!token) {
      throw new ActionDeliveryError(
        `No GitHub token or App installation in integrations.github for ${slug}`,
        false,
      );
    }
    return GitHubRepository.create({
      baseUrl: config.apiBaseUrl ?? 'https://api.github.com',
      token,
      owner: file.owner,
      repo: file.repo,
      signal,
    });
  }

  /**
   * Writes the change on the branch: the manifest edited from its version on `base` (so a
   * redelivery writes the same file, and a field that is no longer drifted goes back to Git's
   * value), or the drift note when nothing can be edited.
   */
  private async commitChange(
    repo: GitHubRepository,
    finding: RoutedFinding,
    file: GitHubFile,
    branch: string,
    base: string,
  ): Promise<{ body: string; files: PlannedFile[] }> {
    const plan = planEdits(finding);
    const manual: ManualStep[] = [...plan.manual];
    if (isEditable(file) && plan.edits.length) {
      const current = await repo.readFile(file.path, base);
      const patched = current
        ? applyEdits(current.text, file.document, plan.edits)
        : undefined;
      manual.push(
        ...(patched?.manual ??
          plan.edits.map(e => ({
            field: e.field,
            reason: 'not-found' as const,
          }))),
      );
      if (current && patched && patched.applied.length) {
        const body = driftNote(finding, { mode: 'reverse-sync', manual });
        await repo.writeFile(
          file.path,
          branch,
          patched.text,
          `Match live: ${patched.applied.map(e => e.field).join(', ')}`.slice(
            0,
            200,
          ),
        );
        return { body, files: [{ path: file.path, patch: patched.applied }] };
      }
    } else {
      manual.push(
        ...plan.edits.map(e => ({
          field: e.field,
          reason: 'not-found' as const,
        })),
      );
    }
    const body = driftNote(finding, {
      mode: 'note-only',
      manual: finding.resourceStatus === 'drifted' ? manual : [],
    });
    const path = this.notePath(finding);
    await repo.writeFile(
      path,
      branch,
      body,
      `Drift note for ${finding.kind} ${finding.name}`,
    );
    return { body, files: [{ path, note: body }] };
  }

  private notePath(finding: RoutedFinding): string {
    return `${this.options.config.noteFolder}/${finding.id.replace(
      /[^A-Za-z0-9._-]/g,
      '-',
    )}.md`;
  }

  /** The pull request of the branch: by its head first, then the one the state names. */
  private async findOpenPull(
    repo: GitHubRepository,
    branch: string,
    state: Record<string, unknown> | undefined,
  ): Promise<PullRequest | undefined> {
    const open = await repo.openPullFrom(branch);
    if (open) return open;
    const number = state?.pullNumber;
    if (
      typeof number !== 'number' ||
      state?.owner !== repo.owner ||
      state?.repo !== repo.repo
    ) {
      return undefined;
    }
    const known = await repo.getPull(number);
    return known.state === 'open' ? known : undefined;
  }

  /** Closes the open pull request with a comment; a merged or closed one is left as it is. */
  private async close(
    repo: GitHubRepository,
    branch: string,
    state: Record<string, unknown> | undefined,
  ): Promise<ActionResult> {
    const number =
      typeof state?.pullNumber === 'number' ? state.pullNumber : undefined;
    const pull = number
      ? await repo.getPull(number)
      : await repo.openPullFrom(branch);
    if (!pull)
      return { status: 'skipped', summary: 'No pull request to close' };
    if (pull.mergedAt) {
      return {
        status: 'skipped',
        summary: `PR #${pull.number} merged; nothing to close`,
        externalUrl: pull.url,
      };
    }
    if (pull.state === 'closed') {
      return {
        status: 'skipped',
        summary: `PR #${pull.number} already closed`,
        externalUrl: pull.url,
      };
    }
    await repo.comment(pull.number, RESOLVED_COMMENT);
    await repo.updatePull(pull.number, { state: 'closed' });
    return {
      status: 'delivered',
      summary: `Closed PR #${pull.number}: the drift resolved on its own`,
      request: {
        repo: `${repo.owner}/${repo.repo}`,
        pullNumber: pull.number,
        close: true,
        comment: RESOLVED_COMMENT,
      },
      state: { ...state, closedAt: new Date().toISOString() },
      externalUrl: pull.url,
    };
  }

  /**
   * What a delivery would send, computed without the network: the file cannot be read without
   * credentials, so a patch is recorded as the intended edits (Secret changes as "value
   * changed", never a value).
   */
  private dryRun(
    finding: RoutedFinding,
    outcome: FindingOutcome,
    file: GitHubFile,
    branch: string,
  ): ActionResult {
    const slug = `${file.owner}/${file.repo}`;
    if (outcome === 'resolved') {
      return {
        status: 'delivered',
        dryRun: true,
        summary: `Would close the pull request on ${slug} from ${branch}`,
        request: { repo: slug, branch, close: true, comment: RESOLVED_COMMENT },
      };
    }
    const plan = planEdits(finding);
    const editable = isEditable(file) && plan.edits.length > 0;
    const body = driftNote(finding, {
      mode: editable ? 'reverse-sync' : 'note-only',
      manual: editable
        ? plan.manual
        : [
            ...plan.manual,
            ...plan.edits.map(e => ({
              field: e.field,
              reason: 'not-found' as const,
            })),
          ],
    });
    const files: PlannedFile[] = editable
      ? [{ path: file.path!, patch: plan.edits }]
      : [{ path: this.notePath(finding), note: body }];
    return {
      status: 'delivered',
      dryRun: true,
      summary: `Would open a pull request on ${slug} from ${branch}`,
      request: {
        repo: slug,
        base: file.ref ?? '(default branch)',
        branch,
        title: pullRequestTitle(finding),
        body,
        files,
      },
    };
  }
}
