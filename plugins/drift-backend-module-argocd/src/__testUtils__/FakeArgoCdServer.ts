import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ArgoCdApplication } from '../client/types';

/** An application the fake serves: the Application and the objects its manifests render. */
export interface FakeApplication {
  application: ArgoCdApplication;
  manifests: object[];
  /** Set for an application in a namespace other than Argo CD's own. */
  appNamespace?: string;
}

/** A request as the fake received it. */
export interface RecordedArgoRequest {
  path: string;
  query: Record<string, string>;
  authorization?: string;
}

/** gRPC-gateway's error body, as Argo CD's API server sends it. */
function grpcError(code: number, message: string) {
  return JSON.stringify({ error: message, code, message });
}

/**
 * A loopback Argo CD API server: `GET /api/v1/applications/{name}` and
 * `GET /api/v1/applications/{name}/manifests` (`{ manifests: string[] }`, each a JSON
 * document), with the bearer token checked (401 otherwise), 404 for unknown applications, and a
 * delay to make an instance slow.
 */
export class FakeArgoCdServer {
  readonly requests: RecordedArgoRequest[] = [];
  private readonly apps = new Map<string, FakeApplication>();
  private delayMs = 0;

  private constructor(
    private readonly server: http.Server,
    private readonly token: string,
  ) {}

  static async start(token: string): Promise<FakeArgoCdServer> {
    const holder: { instance?: FakeArgoCdServer } = {};
    const server = http.createServer((req, res) =>
      holder.instance!.handle(req, res),
    );
    holder.instance = new FakeArgoCdServer(server, token);
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    return holder.instance;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  add(name: string, app: FakeApplication): this {
    this.apps.set(name, app);
    return this;
  }

  /** Answers every later request only after this delay. */
  slow(delayMs: number): this {
    this.delayMs = delayMs;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    this.requests.push({
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
    });
    const answer = (status: number, body: string) => {
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(body);
      };
      if (this.delayMs) setTimeout(send, this.delayMs);
      else send();
    };
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      answer(401, grpcError(16, 'invalid session: token signature is invalid'));
      return;
    }
    const match = /^\/api\/v1\/applications\/([^/]+)(\/manifests)?$/.exec(
      url.pathname,
    );
    const name = match ? decodeURIComponent(match[1]) : '';
    const app = this.apps.get(name);
    if (
      req.method !== 'GET' ||
      !match ||
      !app ||
      (app.appNamespace ?? '') !== (url.searchParams.get('appNamespace') ?? '')
    ) {
      answer(
        404,
        grpcError(5, `applications.argoproj.io "${name}" not found`),
      );
      return;
    }
    if (match[2]) {
      answer(
        200,
        JSON.stringify({
          manifests: app.manifests.map(m => JSON.stringify(m)),
          revision: app.application.status?.sync?.revision,
          sourceType: 'Kustomize',
        }),
      );
      return;
    }
    answer(200, JSON.stringify(app.application));
  }
}
