import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a server saw of one request. */
export interface RecordedRequest {
  server: 'api' | 'archivist';
  path: string;
  authorization?: string;
}

/** A workspace's current health assessment. */
export interface FakeAssessment {
  id: string;
  createdAt: string;
  succeeded?: boolean;
  errorMessage?: string;
  /** The JSON plan, as text, that archivist serves; absent for a failed assessment. */
  plan?: string;
}

interface FakeWorkspace {
  id: string;
  assessmentsEnabled: boolean;
  assessment?: FakeAssessment;
}

const JSON_API = 'application/vnd.api+json';

function listen(handler: http.RequestListener): Promise<http.Server> {
  const server = http.createServer(handler);
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => resolve(server)),
  );
}

function urlOf(server: http.Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function send(res: http.ServerResponse, status: number, body?: unknown) {
  res.writeHead(status, { 'Content-Type': JSON_API });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

const notFound = { errors: [{ status: '404', title: 'not found' }] };

/**
 * Loopback HCP Terraform: the API v2 endpoints Driftwatch reads (workspace by name, current
 * assessment result, its json-output) with bearer-token checks and JSON:API documents, and an
 * archivist on another origin that json-output redirects to, as HCP Terraform does. It records
 * every request with the Authorization header it carried, and can hold requests unanswered.
 */
export class TerraformCloudServer {
  readonly requests: RecordedRequest[] = [];
  private readonly workspaces = new Map<string, FakeWorkspace>();
  private readonly held: http.ServerResponse[] = [];
  /** Leaves API requests unanswered, to run into the client's time limit. */
  hold = false;

  private constructor(
    private readonly api: http.Server,
    private readonly archivist: http.Server,
    readonly token: string,
  ) {}

  static async start(token = 'tfc-test-token'): Promise<TerraformCloudServer> {
    const holder: { instance?: TerraformCloudServer } = {};
    const api = await listen((req, res) => holder.instance!.handleApi(req, res));
    const archivist = await listen((req, res) =>
      holder.instance!.handleArchivist(req, res),
    );
    holder.instance = new TerraformCloudServer(api, archivist, token);
    return holder.instance;
  }

  get url(): string {
    return urlOf(this.api);
  }

  get archivistUrl(): string {
    return urlOf(this.archivist);
  }

  /** Adds or replaces a workspace; `assessment` is its current health assessment. */
  setWorkspace(
    organization: string,
    name: string,
    options: { assessment?: FakeAssessment; assessmentsEnabled?: boolean } = {},
  ) {
    const key = `${organization}/${name}`;
    this.workspaces.set(key, {
      id: this.workspaces.get(key)?.id ?? `ws-${this.workspaces.size + 1}`,
      assessmentsEnabled: options.assessmentsEnabled ?? true,
      assessment: options.assessment,
    });
  }

  async stop(): Promise<void> {
    for (const res of this.held.splice(0)) res.destroy();
    await Promise.all(
      [this.api, this.archivist].map(
        server =>
          new Promise(resolve => {
            server.closeAllConnections();
            server.close(resolve);
          }),
      ),
    );
  }

  private handleApi(req: http.IncomingMessage, res: http.ServerResponse) {
    const path = req.url ?? '';
    this.requests.push({ server: 'api', path, authorization: req.headers.authorization });
    if (this.hold) {
      this.held.push(res);
      return;
    }
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      send(res, 401, { errors: [{ status: '401', title: 'unauthorized' }] });
      return;
    }
    let match = /^\/api\/v2\/organizations\/([^/]+)\/workspaces\/([^/?]+)$/.exec(path);
    if (match) {
      const [organization, name] = [decodeURIComponent(match[1]), decodeURIComponent(match[2])];
      const workspace = this.workspaces.get(`${organization}/${name}`);
      if (!workspace) {
        send(res, 404, notFound);
        return;
      }
      send(res, 200, {
        data: {
          id: workspace.id,
          type: 'workspaces',
          attributes: { name, 'assessments-enabled': workspace.assessmentsEnabled },
          relationships: {
            organization: { data: { id: organization, type: 'organizations' } },
            'current-assessment-result': {
              data: workspace.assessment
                ? { id: workspace.assessment.id, type: 'assessment-results' }
                : null,
            },
          },
          links: {
            self: `/api/v2/organizations/${organization}/workspaces/${name}`,
            'self-html': `/app/${organization}/workspaces/${name}`,
          },
        },
      });
      return;
    }
    match = /^\/api\/v2\/workspaces\/([^/]+)\/current-assessment-result$/.exec(path);
    if (match) {
      const workspace = [...this.workspaces.values()].find(w => w.id === match![1]);
      const assessment = workspace?.assessment;
      if (!assessment) {
        send(res, 404, notFound);
        return;
      }
      const self = `/api/v2/assessment-results/${assessment.id}`;
      const succeeded = assessment.succeeded ?? true;
      send(res, 200, {
        data: {
          id: assessment.id,
          type: 'assessment-results',
          attributes: {
            drifted: true,
            succeeded,
            'error-message': assessment.errorMessage ?? null,
            'created-at': assessment.createdAt,
          },
          links: {
            self: `${self}/`,
            'json-output': succeeded ? `${self}/json-output` : null,
            'json-schema': succeeded ? `${self}/json-schema` : null,
            'log-output': `${self}/log-output`,
          },
        },
      });
      return;
    }
    match = /^\/api\/v2\/assessment-results\/([^/]+)\/json-output$/.exec(path);
    if (match) {
      const found = [...this.workspaces.values()].some(
        w => w.assessment?.id === match![1] && w.assessment.plan !== undefined,
      );
      if (!found) {
        send(res, 404, notFound);
        return;
      }
      // A short-lived archivist URL that carries its own authorization, as HCP Terraform's do.
      res.writeHead(307, {
        Location: `${this.archivistUrl}/v1/object/${match[1]}?sig=signed`,
      });
      res.end();
      return;
    }
    send(res, 404, notFound);
  }

  private handleArchivist(req: http.IncomingMessage, res: http.ServerResponse) {
    const path = req.url ?? '';
    this.requests.push({ server: 'archivist', path, authorization: req.headers.authorization });
    const match = /^\/v1\/object\/([^/?]+)\?sig=signed$/.exec(path);
    const plan = [...this.workspaces.values()].find(
      w => w.assessment?.id === match?.[1],
    )?.assessment?.plan;
    if (plan === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(plan);
  }
}
