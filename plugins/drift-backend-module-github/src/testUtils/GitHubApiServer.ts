import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the server received it, body as raw text. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
  body: string;
}

export interface Pull {
  number: number;
  head: string;
  base: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
  merged_at: string | null;
  comments: string[];
}

interface Branch {
  sha: string;
  files: Map<string, string>;
}

function blobSha(text: string): string {
  const content = Buffer.from(text, 'utf8');
  return createHash('sha1')
    .update(`blob ${content.length}\0`)
    .update(content)
    .digest('hex');
}

/**
 * The subset of GitHub's REST API a hotfix pull request uses, over one in-memory repository:
 * branches of files, refs, contents with base64 and blob shas, pull requests and their
 * comments. It records every request and can be told to fail the next ones.
 */
export class GitHubApiServer {
  readonly requests: RecordedRequest[] = [];
  readonly branches = new Map<string, Branch>();
  readonly pulls: Pull[] = [];
  private failures: Array<{
    status: number;
    headers: Record<string, string>;
    message: string;
  }> = [];
  private commits = 0;

  private constructor(
    private readonly server: http.Server,
    readonly owner: string,
    readonly repo: string,
    readonly defaultBranch: string,
  ) {}

  static async start(options: {
    owner: string;
    repo: string;
    defaultBranch?: string;
    files?: Record<string, string>;
  }): Promise<GitHubApiServer> {
    const handler: { instance?: GitHubApiServer } = {};
    const server = http.createServer((req, res) =>
      handler.instance!.handle(req, res),
    );
    const instance = new GitHubApiServer(
      server,
      options.owner,
      options.repo,
      options.defaultBranch ?? 'main',
    );
    handler.instance = instance;
    instance.branches.set(instance.defaultBranch, {
      sha: instance.nextCommit(),
      files: new Map(Object.entries(options.files ?? {})),
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    return instance;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  /** The next `count` requests answer `status` with GitHub's error body. */
  failNext(
    status: number,
    options: {
      count?: number;
      headers?: Record<string, string>;
      message?: string;
    } = {},
  ) {
    for (let i = 0; i < (options.count ?? 1); i++) {
      this.failures.push({
        status,
        headers: options.headers ?? {},
        message:
          options.message ??
          (status >= 500 ? 'Server Error' : 'API rate limit exceeded'),
      });
    }
  }

  file(branch: string, path: string): string | undefined {
    return this.branches.get(branch)?.files.get(path);
  }

  merge(number: number, at = new Date().toISOString()): void {
    const pull = this.pulls.find(p => p.number === number)!;
    pull.state = 'closed';
    pull.merged_at = at;
    const head = this.branches.get(pull.head)!;
    const base = this.branches.get(pull.base)!;
    base.files = new Map(head.files);
    base.sha = this.nextCommit();
  }

  private nextCommit(): string {
    this.commits += 1;
    return createHash('sha1').update(`commit ${this.commits}`).digest('hex');
  }

  private pullJson(pull: Pull) {
    return {
      number: pull.number,
      html_url: `https://github.example.com/${this.owner}/${this.repo}/pull/${pull.number}`,
      state: pull.state,
      title: pull.title,
      body: pull.body,
      merged_at: pull.merged_at,
      head: { ref: pull.head, sha: this.branches.get(pull.head)?.sha ?? '' },
      base: { ref: pull.base },
    };
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = Buffer.concat(chunks).toString('utf8');
      this.requests.push({
        method: req.method ?? 'GET',
        path: decodeURIComponent(url.pathname),
        query: Object.fromEntries(url.searchParams),
        authorization: req.headers.authorization,
        body,
      });
      const send = (
        status: number,
        data: unknown,
        headers: Record<string, string> = {},
      ) => {
        res.writeHead(status, {
          'content-type': 'application/json',
          ...headers,
        });
        res.end(JSON.stringify(data));
      };
      const failure = this.failures.shift();
      if (failure) {
        send(failure.status, { message: failure.message }, failure.headers);
        return;
      }
      try {
        const answer = this.route(
          req.method ?? 'GET',
          decodeURIComponent(url.pathname),
          url.searchParams,
          body ? JSON.parse(body) : {},
        );
        send(answer.status, answer.data);
      } catch (error) {
        send(500, { message: String(error) });
      }
    });
  }

  private route(
    method: string,
    path: string,
    query: URLSearchParams,
    input: Record<string, any>,
  ): { status: number; data: unknown } {
    const notFound = { status: 404, data: { message: 'Not Found' } };
    const prefix = `/repos/${this.owner}/${this.repo}`;
    if (!path.startsWith(prefix)) return notFound;
    const rest = path.slice(prefix.length);
    const ref = /^\/git\/ref\/heads\/(.+)$/.exec(rest);
    const contents = /^\/contents\/(.+)$/.exec(rest);
    const pullPath = /^\/pulls\/(\d+)$/.exec(rest);
    const comments = /^\/issues\/(\d+)\/comments$/.exec(rest);

    if (rest === '' && method === 'GET') {
      return {
        status: 200,
        data: {
          full_name: `${this.owner}/${this.repo}`,
          default_branch: this.defaultBranch,
        },
      };
    }
    if (ref && method === 'GET') {
      const branch = this.branches.get(ref[1]);
      if (!branch) return notFound;
      return {
        status: 200,
        data: {
          ref: `refs/heads/${ref[1]}`,
          object: { sha: branch.sha, type: 'commit' },
        },
      };
    }
    if (rest === '/git/refs' && method === 'POST') {
      const name = String(input.ref).replace(/^refs\/heads\//, '');
      if (this.branches.has(name)) {
        return { status: 422, data: { message: 'Reference already exists' } };
      }
      const from = [...this.branches.values()].find(b => b.sha === input.sha);
      if (!from)
        return { status: 422, data: { message: 'Object does not exist' } };
      this.branches.set(name, { sha: from.sha, files: new Map(from.files) });
      return {
        status: 201,
        data: { ref: input.ref, object: { sha: from.sha } },
      };
    }
    if (contents) {
      const filePath = contents[1];
      if (method === 'GET') {
        const branch = this.branches.get(
          query.get('ref') ?? this.defaultBranch,
        );
        const text = branch?.files.get(filePath);
        if (text === undefined) return notFound;
        return {
          status: 200,
          data: {
            type: 'file',
            path: filePath,
            encoding: 'base64',
            sha: blobSha(text),
            content: Buffer.from(text, 'utf8').toString('base64'),
          },
        };
      }
      if (method === 'PUT') {
        const branch = this.branches.get(input.branch ?? this.defaultBranch);
        if (!branch) return notFound;
        const current = branch.files.get(filePath);
        if (current !== undefined && input.sha !== blobSha(current)) {
          return {
            status: 409,
            data: { message: `${filePath} does not match ${input.sha}` },
          };
        }
        if (current === undefined && input.sha)
          return { status: 404, data: { message: 'Not Found' } };
        const text = Buffer.from(String(input.content), 'base64').toString(
          'utf8',
        );
        branch.files.set(filePath, text);
        branch.sha = this.nextCommit();
        return {
          status: current === undefined ? 201 : 200,
          data: {
            content: { path: filePath, sha: blobSha(text) },
            commit: { sha: branch.sha },
          },
        };
      }
    }
    if (rest === '/pulls' && method === 'GET') {
      const head = query.get('head');
      const state = query.get('state') ?? 'open';
      const found = this.pulls.filter(
        p =>
          (!head || `${this.owner}:${p.head}` === head) &&
          (state === 'all' || p.state === state),
      );
      return { status: 200, data: found.map(p => this.pullJson(p)) };
    }
    if (rest === '/pulls' && method === 'POST') {
      if (!this.branches.has(input.head))
        return {
          status: 422,
          data: {
            message: 'Validation Failed',
            errors: [{ message: 'head is invalid' }],
          },
        };
      if (this.pulls.some(p => p.head === input.head && p.state === 'open')) {
        return {
          status: 422,
          data: {
            message: 'Validation Failed',
            errors: [
              {
                message: `A pull request already exists for ${this.owner}:${input.head}.`,
              },
            ],
          },
        };
      }
      const pull: Pull = {
        number: this.pulls.length + 1,
        head: input.head,
        base: input.base,
        title: input.title,
        body: input.body ?? '',
        state: 'open',
        merged_at: null,
        comments: [],
      };
      this.pulls.push(pull);
      return { status: 201, data: this.pullJson(pull) };
    }
    if (pullPath) {
      const pull = this.pulls.find(p => p.number === Number(pullPath[1]));
      if (!pull) return notFound;
      if (method === 'PATCH') {
        if (input.title !== undefined) pull.title = input.title;
        if (input.body !== undefined) pull.body = input.body;
        if (input.state === 'closed' || input.state === 'open')
          pull.state = input.state;
      }
      return { status: 200, data: this.pullJson(pull) };
    }
    if (comments && method === 'POST') {
      const pull = this.pulls.find(p => p.number === Number(comments[1]));
      if (!pull) return notFound;
      pull.comments.push(input.body);
      return {
        status: 201,
        data: { id: pull.comments.length, body: input.body },
      };
    }
    return notFound;
  }
}
