import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GateResult } from '@driftwatch/plugin-drift-common';
import { main } from '../main';

const TOKEN = 'ci-static-token-3f9a';

interface Seen {
  method?: string;
  url?: string;
  authorization?: string;
}

/** A stand-in for the drift backend's `GET /api/drift/gate`, as Backstage answers it. */
async function startBackend(
  answer: (req: http.IncomingMessage, res: http.ServerResponse) => void,
) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    seen.push({
      method: req.method,
      url: req.url,
      authorization: req.headers.authorization,
    });
    answer(req, res);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** Backstage's error body, as its error handler writes it. */
function backstageError(
  res: http.ServerResponse,
  status: number,
  name: string,
  message: string,
) {
  json(res, status, {
    error: { name, message },
    request: { method: 'GET', url: '/api/drift/gate' },
    response: { statusCode: status },
  });
}

async function run(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: text => (stdout += text),
    stderr: text => (stderr += text),
    color: false,
    env,
  });
  return { code, stdout, stderr };
}

const pass: GateResult = {
  entityRef: 'component:default/booking-api',
  result: 'pass',
  reasons: [],
  checkedAt: '2026-11-24T10:00:00.000Z',
};

const fail: GateResult = {
  entityRef: 'component:default/booking-api',
  result: 'fail',
  reasons: [
    {
      findingId: 'f-1',
      resourceKey: 'Deployment:booking:booking-api',
      location: 'url:https://github.com/acme/gitops/tree/main/booking',
      severity: 'critical',
      slaDueAt: '2026-11-24T08:00:00.000Z',
      message: 'Tier-1 drift of Deployment:booking:booking-api is past its SLA',
    },
    {
      findingId: 'f-2',
      resourceKey: 'Service:booking:booking-api',
      location: 'url:https://github.com/acme/gitops/tree/main/booking',
      severity: 'high',
      slaDueAt: '2026-11-24T09:00:00.000Z',
      message: 'Tier-1 drift of Service:booking:booking-api is past its SLA',
    },
  ],
  checkedAt: '2026-11-24T10:00:00.000Z',
};

const gate = (url: string, ...more: string[]) => [
  'gate',
  '--entity',
  'component:default/booking-api',
  '--url',
  url,
  ...more,
];

describe('driftwatch gate', () => {
  let backend: Awaited<ReturnType<typeof startBackend>> | undefined;
  afterEach(async () => {
    await backend?.close();
    backend = undefined;
  });

  it('prints pass and exits 0, asking the gate route with the bearer token', async () => {
    backend = await startBackend((_req, res) => json(res, 200, pass));
    const result = await run(gate(`${backend.url}/`, '--token', TOKEN));
    expect(result).toEqual({ code: 0, stdout: 'pass\n', stderr: '' });
    expect(backend.seen).toEqual([
      {
        method: 'GET',
        url: '/api/drift/gate?entityRef=component%3Adefault%2Fbooking-api',
        authorization: `Bearer ${TOKEN}`,
      },
    ]);
  });

  it('prints fail and one line per reason, and exits 1', async () => {
    backend = await startBackend((_req, res) => json(res, 200, fail));
    const result = await run(gate(backend.url), { DRIFTWATCH_TOKEN: TOKEN });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')).toEqual([
      'fail',
      'Tier-1 drift of Deployment:booking:booking-api is past its SLA (Deployment:booking:booking-api, critical, SLA due 2026-11-24T08:00:00.000Z, finding f-1)',
      'Tier-1 drift of Service:booking:booking-api is past its SLA (Service:booking:booking-api, high, SLA due 2026-11-24T09:00:00.000Z, finding f-2)',
      '',
    ]);
    // The token came from the environment.
    expect(backend.seen[0].authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('prints the gate result as JSON with --json', async () => {
    backend = await startBackend((_req, res) => json(res, 200, fail));
    const result = await run(gate(backend.url, '--json', '--token', TOKEN));
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual(fail);
  });

  it('keeps a path prefix of the URL (a proxy in front of Backstage)', async () => {
    backend = await startBackend((_req, res) => json(res, 200, pass));
    await run(gate(`${backend.url}/backstage`, '--token', TOKEN));
    expect(backend.seen[0].url).toBe(
      '/backstage/api/drift/gate?entityRef=component%3Adefault%2Fbooking-api',
    );
  });

  it('exits 2 with the server message on 401, without printing the token', async () => {
    backend = await startBackend((_req, res) =>
      backstageError(res, 401, 'AuthenticationError', 'Illegal token'),
    );
    const result = await run(gate(backend.url, '--token', TOKEN));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `driftwatch: ${backend.url}/api/drift/gate answered 401 Unauthorized: Illegal token (check --token or DRIFTWATCH_TOKEN)\n`,
    );
    expect(result.stderr).not.toContain(TOKEN);
  });

  it('exits 2 naming an entity the backend does not know (404)', async () => {
    backend = await startBackend((_req, res) =>
      backstageError(
        res,
        404,
        'NotFoundError',
        "No entity 'component:default/booking-api' is known to Driftwatch",
      ),
    );
    const result = await run(gate(backend.url, '--token', TOKEN));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `driftwatch: ${backend.url}/api/drift/gate answered 404 Not Found: No entity 'component:default/booking-api' is known to Driftwatch\n`,
    );
  });

  it('exits 2 when the answer is not JSON, or not a gate result', async () => {
    backend = await startBackend((req, res) => {
      if (req.url?.startsWith('/html/')) {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>Backstage</title>');
      } else {
        json(res, 200, { status: 'ok' });
      }
    });
    const html = await run(gate(`${backend.url}/html`, '--token', TOKEN));
    expect(html.code).toBe(2);
    expect(html.stderr).toBe(
      `driftwatch: ${backend.url}/html/api/drift/gate answered with something that is not JSON (is --url the Backstage backend?)\n`,
    );
    const other = await run(gate(backend.url, '--token', TOKEN));
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/answered JSON that is not a gate result/);
  });

  it('exits 2 when the backend cannot be reached', async () => {
    const closed = await startBackend((_req, res) => json(res, 200, pass));
    const url = closed.url;
    await closed.close();
    const result = await run(gate(url, '--token', TOKEN));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `driftwatch: cannot reach ${url}/api/drift/gate: ECONNREFUSED\n`,
    );
  });

  it('exits 2 on missing or bad arguments, before any request', async () => {
    backend = await startBackend((_req, res) => json(res, 200, pass));
    const noEntity = await run([
      'gate',
      '--url',
      backend.url,
      '--token',
      TOKEN,
    ]);
    expect(noEntity.code).toBe(2);
    expect(noEntity.stderr).toBe(
      "driftwatch: required option '-e, --entity <ref>' not specified\n",
    );

    const noToken = await run(gate(backend.url));
    expect(noToken).toMatchObject({
      code: 2,
      stderr:
        'driftwatch: gate: no token: pass --token or set DRIFTWATCH_TOKEN\n',
    });

    const badUrl = await run(gate('localhost:7007', '--token', TOKEN));
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toBe(
      'driftwatch: --url: "localhost:7007" is not an http(s) URL\n',
    );

    const withPassword = await run(
      gate('http://ci:secret@127.0.0.1:7007', '--token', TOKEN),
    );
    expect(withPassword.code).toBe(2);
    expect(withPassword.stderr).not.toContain('secret');

    expect(backend.seen).toEqual([]);
  });
});
