import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

// These tests start the real command, as CI and the corpus scorer do, and check exit codes,
// messages and the peak memory of the process on hostile input.

const bin = path.resolve(__dirname, '../bin/driftwatch');
const LIMIT_KB = 512 * 1024;

let dir: string;
let memoryProbe: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'driftwatch-bin-'));
  memoryProbe = path.join(dir, 'probe.js');
  // Prints the peak resident memory of the process when it exits.
  fs.writeFileSync(
    memoryProbe,
    "process.on('exit', () => require('node:fs').writeSync(2, `\\npeak-rss-kb=${process.resourceUsage().maxRSS}\\n`));\n",
  );
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function driftwatch(args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['--require', memoryProbe, bin, ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 60_000,
    },
  );
  const peak = Number(/peak-rss-kb=(\d+)/.exec(result.stderr)?.[1] ?? NaN);
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr.replace(/\npeak-rss-kb=\d+\n$/, ''),
    peak,
  };
}

let good: string;
beforeAll(() => {
  good = write(
    'good.yaml',
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\ndata: {k: v}\n',
  );
});

describe('the driftwatch command', () => {
  it('runs and exits 0 for an in-sync pair', () => {
    const result = driftwatch([
      'diff',
      '--desired',
      good,
      '--live',
      good,
      '--output',
      'json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).drifted).toBe(false);
  });

  it('exits 2 on an alias bomb, within the memory limit', () => {
    const lines = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: bomb}',
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ];
    for (let i = 1; i < 12; i++) {
      const previous = String.fromCharCode(96 + i);
      const current = String.fromCharCode(97 + i);
      lines.push(
        `${current}: &${current} [${Array(9).fill(`*${previous}`).join(',')}]`,
      );
    }
    const file = write('bomb.yaml', `${lines.join('\n')}\n`);
    const result = driftwatch(['diff', '--desired', file, '--live', good]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(
        `^driftwatch: ${file.replace(
          /[.*+?^${}()|[\]\\]/g,
          '\\$&',
        )}: document 1: cannot read YAML`,
      ),
    );
    expect(result.peak).toBeLessThan(LIMIT_KB);
  });

  it('exits 2 on a 50 MB file, naming it and the document, within the memory limit', () => {
    const document = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  blob: "${'x'.repeat(
      1024 * 1024,
    )}"\n`;
    const parts: string[] = [];
    for (let i = 0; i < 50; i++)
      parts.push(document.replace('name: big', `name: big-${i}`));
    const file = write('big.yaml', parts.join('---\n'));
    expect(fs.statSync(file).size).toBeGreaterThan(50 * 1000 * 1000);
    const result = driftwatch(['diff', '--desired', file, '--live', good]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /big\.yaml: document \d+: file is 50\.\d MiB, over the 32\.0 MiB input limit/,
    );
    expect(result.peak).toBeLessThan(LIMIT_KB);
  });

  it('exits 2 on malformed YAML, a non-object and a duplicate, naming file and document', () => {
    const malformed = write(
      'malformed.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a\n',
    );
    expect(driftwatch(['diff', '-d', malformed, '-l', good])).toMatchObject({
      code: 2,
      stdout: '',
    });
    expect(driftwatch(['diff', '-d', malformed, '-l', good]).stderr).toMatch(
      /malformed\.yaml: document 1: invalid YAML/,
    );
    const scalar = write(
      'scalar.yaml',
      `${fs.readFileSync(good, 'utf8')}---\n42\n`,
    );
    expect(driftwatch(['diff', '-d', good, '-l', scalar]).stderr).toMatch(
      /scalar\.yaml: document 2: not a Kubernetes object \(found a number/,
    );
    const twice = write(
      'twice.yaml',
      `${fs.readFileSync(good, 'utf8')}---\n${fs.readFileSync(good, 'utf8')}`,
    );
    const duplicate = driftwatch(['diff', '-d', twice, '-l', good]);
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toMatch(
      /twice\.yaml: document 2: ConfigMap:x:a is defined twice/,
    );
  });

  it('exits 2 on an unreadable path', () => {
    const result = driftwatch([
      'diff',
      '-d',
      path.join(dir, 'missing'),
      '-l',
      good,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /missing: cannot read \(no such file or directory\)/,
    );
  });

  it('exits 1 on drift', () => {
    const other = write(
      'other.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\ndata: {k: changed}\n',
    );
    expect(driftwatch(['diff', '-d', good, '-l', other]).code).toBe(1);
  });
});

describe('driftwatch gate, as CI runs it', () => {
  /** Started without blocking, so the loopback backend of the test can answer. */
  function driftwatchAsync(args: string[], env: Record<string, string>) {
    return new Promise<{ code: number | null; stdout: string; stderr: string }>(
      resolve => {
        execFile(
          process.execPath,
          [bin, ...args],
          { env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 60_000 },
          (error, stdout, stderr) =>
            resolve({
              code: error ? (error.code as number | null) ?? null : 0,
              stdout,
              stderr,
            }),
        );
      },
    );
  }

  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const ok = req.headers.authorization === 'Bearer from-env';
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          ok
            ? {
                entityRef: 'component:default/booking-api',
                result: 'pass',
                reasons: [],
                checkedAt: '2026-11-24T10:00:00.000Z',
              }
            : {
                error: {
                  name: 'AuthenticationError',
                  message: 'Illegal token',
                },
              },
        ),
      );
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>(resolve => server.close(() => resolve())));

  const args = () => [
    'gate',
    '--entity',
    'component:default/booking-api',
    '--url',
    url,
  ];

  it('exits 0 on pass, with the token from DRIFTWATCH_TOKEN', async () => {
    const result = await driftwatchAsync(args(), {
      DRIFTWATCH_TOKEN: 'from-env',
    });
    expect(result).toEqual({ code: 0, stdout: 'pass\n', stderr: '' });
  });

  it('exits 2 with the server message when the token is refused', async () => {
    const result = await driftwatchAsync(args(), { DRIFTWATCH_TOKEN: 'wrong' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/answered 401 Unauthorized: Illegal token/);
  });
});
