import { Octokit } from '@octokit/rest';
import { isGitHubError, toDeliveryError } from './deliveryError';

/** A pull request as the action keeps it. */
export interface PullRequest {
  number: number;
  url: string;
  state: 'open' | 'closed';
  mergedAt?: string;
  headSha: string;
}

type PullData = {
  number: number;
  html_url: string;
  state: string;
  merged_at?: string | null;
  head: { sha: string };
};

function pullOf(data: PullData): PullRequest {
  return {
    number: data.number,
    url: data.html_url,
    state: data.state === 'open' ? 'open' : 'closed',
    ...(data.merged_at ? { mergedAt: data.merged_at } : {}),
    headSha: data.head.sha,
  };
}

/**
 * The REST calls of a hotfix pull request on one repository. Every failure becomes an
 * ActionDeliveryError saying what could not be done, retryable or not.
 */
export class GitHubRepository {
  constructor(
    private readonly octokit: Octokit,
    readonly owner: string,
    readonly repo: string,
  ) {}

  static create(options: {
    baseUrl: string;
    token: string;
    owner: string;
    repo: string;
    signal?: AbortSignal;
  }): GitHubRepository {
    const octokit = new Octokit({
      baseUrl: options.baseUrl,
      auth: options.token,
      userAgent: 'driftwatch',
      request: { signal: options.signal },
      // Octokit's own logging would print request details; failures are reported by the action.
      log: { debug() {}, info() {}, warn() {}, error() {} },
    });
    return new GitHubRepository(octokit, options.owner, options.repo);
  }

  private async call<T>(doing: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw toDeliveryError(error, `${doing} in ${this.owner}/${this.repo}`);
    }
  }

  private get ids() {
    return { owner: this.owner, repo: this.repo };
  }

  async defaultBranch(): Promise<string> {
    return this.call('read the repository', async () => {
      const { data } = await this.octokit.repos.get(this.ids);
      return data.default_branch;
    });
  }

  /**
   * Creates the branch from the head of `base`. A branch that already exists (an earlier
   * delivery made it) is used as it is.
   */
  async ensureBranch(branch: string, base: string): Promise<void> {
    const baseSha = await this.call(`read branch ${base}`, async () => {
      const { data } = await this.octokit.git.getRef({
        ...this.ids,
        ref: `heads/${base}`,
      });
      return data.object.sha;
    });
    try {
      await this.octokit.git.createRef({
        ...this.ids,
        ref: `refs/heads/${branch}`,
        sha: baseSha,
      });
    } catch (error) {
      if (isGitHubError(error, 422, 'Reference already exists')) return;
      throw toDeliveryError(
        error,
        `create branch ${branch} in ${this.owner}/${this.repo}`,
      );
    }
  }

  /** A file's text and blob sha on a ref; undefined when the file does not exist there. */
  async readFile(
    path: string,
    ref: string,
  ): Promise<{ text: string; sha: string } | undefined> {
    try {
      const { data } = await this.octokit.repos.getContent({
        ...this.ids,
        path,
        ref,
      });
      if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) {
        return undefined;
      }
      return {
        text: Buffer.from(data.content, 'base64').toString('utf8'),
        sha: data.sha,
      };
    } catch (error) {
      if (isGitHubError(error, 404)) return undefined;
      throw toDeliveryError(
        error,
        `read ${path} in ${this.owner}/${this.repo}`,
      );
    }
  }

  /** Commits `text` as `path` on `branch`, unless the branch already holds exactly that. */
  async writeFile(
    path: string,
    branch: string,
    text: string,
    message: string,
  ): Promise<boolean> {
    const current = await this.readFile(path, branch);
    if (current?.text === text) return false;
    await this.call(`write ${path}`, () =>
      this.octokit.repos.createOrUpdateFileContents({
        ...this.ids,
        path,
        branch,
        message,
        content: Buffer.from(text, 'utf8').toString('base64'),
        ...(current ? { sha: current.sha } : {}),
      }),
    );
    return true;
  }

  async headSha(branch: string): Promise<string> {
    return this.call(`read branch ${branch}`, async () => {
      const { data } = await this.octokit.git.getRef({
        ...this.ids,
        ref: `heads/${branch}`,
      });
      return data.object.sha;
    });
  }

  /** The open pull request from `branch`, found by its head: what a lost state cannot hide. */
  async openPullFrom(branch: string): Promise<PullRequest | undefined> {
    return this.call('list pull requests', async () => {
      const { data } = await this.octokit.pulls.list({
        ...this.ids,
        head: `${this.owner}:${branch}`,
        state: 'open',
      });
      return data.length ? pullOf(data[0] as PullData) : undefined;
    });
  }

  async getPull(number: number): Promise<PullRequest> {
    return this.call(`read pull request #${number}`, async () => {
      const { data } = await this.octokit.pulls.get({
        ...this.ids,
        pull_number: number,
      });
      return pullOf(data as PullData);
    });
  }

  async createPull(options: {
    branch: string;
    base: string;
    title: string;
    body: string;
  }): Promise<PullRequest> {
    return this.call('open a pull request', async () => {
      const { data } = await this.octokit.pulls.create({
        ...this.ids,
        head: options.branch,
        base: options.base,
        title: options.title,
        body: options.body,
      });
      return pullOf(data as PullData);
    });
  }

  async updatePull(
    number: number,
    update: { title?: string; body?: string; state?: 'closed' },
  ): Promise<PullRequest> {
    return this.call(`update pull request #${number}`, async () => {
      const { data } = await this.octokit.pulls.update({
        ...this.ids,
        pull_number: number,
        ...update,
      });
      return pullOf(data as PullData);
    });
  }

  async comment(number: number, body: string): Promise<void> {
    await this.call(`comment on pull request #${number}`, () =>
      this.octokit.issues.createComment({
        ...this.ids,
        issue_number: number,
        body,
      }),
    );
  }
}
