import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TerraformCloudClient } from './TerraformCloudClient';

const workspace = { organization: 'acme', name: 'network' };

describe('TerraformCloudClient', () => {
  let server: http.Server;
  let url: string;
  const seen: Array<{ path?: string; authorization?: string }> = [];
  let handler: http.RequestListener;

  beforeEach(async () => {
    seen.length = 0;
    server = http.createServer((req, res) => {
      seen.push({ path: req.url, authorization: req.headers.authorization });
      handler(req, res);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(
    () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  );

  const client = (maxBytes?: number) =>
    new TerraformCloudClient({ baseUrl: url, token: 'secret-token', timeoutMs: 2_000, maxBytes });
  const assessment = () => ({
    id: 'asmtres-1',
    createdAt: new Date(),
    succeeded: true,
    jsonOutputUrl: new URL('/api/v2/assessment-results/asmtres-1/json-output', url),
  });

  it('keeps the token on a redirect within its own origin', async () => {
    handler = (req, res) => {
      if (req.url?.startsWith('/api/')) res.writeHead(302, { Location: '/files/plan.json' }).end();
      else res.writeHead(200).end('{"format_version":"1.2"}');
    };
    await expect(client().jsonOutput(workspace, assessment())).resolves.toBe(
      '{"format_version":"1.2"}',
    );
    expect(seen.map(s => s.authorization)).toEqual(['Bearer secret-token', 'Bearer secret-token']);
  });

  it('stops following a redirect loop', async () => {
    handler = (_req, res) => res.writeHead(307, { Location: '/again' }).end();
    await expect(client().jsonOutput(workspace, assessment())).rejects.toThrow(
      `HCP Terraform at ${url} answered with a redirect that cannot be followed (307) for workspace acme/network`,
    );
    expect(seen).toHaveLength(6);
  });

  it('refuses a redirect away from http(s)', async () => {
    handler = (_req, res) => res.writeHead(307, { Location: 'file:///etc/passwd' }).end();
    await expect(client().jsonOutput(workspace, assessment())).rejects.toThrow(
      /redirect that cannot be followed/,
    );
  });

  it('refuses a JSON plan larger than the limit, declared or not', async () => {
    handler = (_req, res) => res.writeHead(200).end('x'.repeat(2048));
    await expect(client(1024).jsonOutput(workspace, assessment())).rejects.toThrow(
      `HCP Terraform at ${url} sent a JSON plan larger than 1024 bytes for workspace acme/network`,
    );
    handler = (_req, res) => {
      res.writeHead(200);
      res.write('x'.repeat(800));
      res.end('x'.repeat(800));
    };
    await expect(client(1024).jsonOutput(workspace, assessment())).rejects.toThrow(
      /larger than 1024 bytes/,
    );
  });

  it('quotes JSON:API errors of other refusals, without the token', async () => {
    handler = (_req, res) =>
      res
        .writeHead(500, { 'Content-Type': 'application/vnd.api+json' })
        .end(JSON.stringify({ errors: [{ status: '500', title: 'boom secret-token' }] }));
    await expect(client().currentAssessment(workspace)).rejects.toThrow(
      `HCP Terraform at ${url} answered 500: boom <token> for workspace acme/network`,
    );
  });

  it('says when HCP Terraform cannot be reached', async () => {
    // A port that was free a moment ago: nothing listens there.
    const spare = http.createServer();
    await new Promise<void>(resolve => spare.listen(0, '127.0.0.1', resolve));
    const { port } = spare.address() as AddressInfo;
    await new Promise(resolve => spare.close(resolve));
    const closed = new TerraformCloudClient({
      baseUrl: `http://127.0.0.1:${port}`,
      token: 'secret-token',
      timeoutMs: 2_000,
    });
    await expect(closed.currentAssessment(workspace)).rejects.toThrow(
      `Could not reach HCP Terraform at http://127.0.0.1:${port} for workspace acme/network: ECONNREFUSED`,
    );
  });
});
