import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from './main';

async function run(args: string[], color = false) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: text => (stdout += text),
    stderr: text => (stderr += text),
    color,
  });
  return { code, stdout, stderr };
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'driftwatch-cli-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const configMap = (value: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: app, namespace: shop, labels: {app.kubernetes.io/instance: app}}
data: {MODE: ${value}}
`;

const secret = (password: string) => `apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop, labels: {app.kubernetes.io/instance: app}}
data: {password: ${Buffer.from(password).toString('base64')}}
`;

describe('driftwatch diff', () => {
  it('exits 0 when in sync and lists every resource', async () => {
    const result = await run([
      'diff',
      '--desired',
      write('d.yaml', configMap('fast')),
      '--live',
      write('l.yaml', configMap('fast')),
      '-o',
      'json',
    ]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toEqual({
      drifted: false,
      summary: {
        total: 1,
        'in-sync': 1,
        drifted: 0,
        missing: 0,
        extra: 0,
        unknown: 0,
      },
      resources: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          namespace: 'shop',
          name: 'app',
          status: 'in-sync',
          severity: null,
          score: 0,
          changes: [],
        },
      ],
    });
  });

  it('exits 1 on drift with the agreed change shape', async () => {
    const result = await run([
      'diff',
      '--desired',
      write('d.yaml', configMap('fast')),
      '--live',
      write('l.yaml', configMap('slow')),
      '--output',
      'json',
    ]);
    expect(result.code).toBe(1);
    const [resource] = JSON.parse(result.stdout).resources;
    expect(resource).toMatchObject({
      status: 'drifted',
      severity: 'medium',
      score: 3,
    });
    expect(resource.changes).toEqual([
      {
        path: '/data/MODE',
        field: 'data.MODE',
        op: 'changed',
        category: 'ConfigurationChange',
        severity: 'medium',
        desired: 'fast',
        live: 'slow',
        manager: null,
        time: null,
      },
    ]);
  });

  it('reads folders recursively, .yaml/.yml/.json only', async () => {
    write('git/a/cm.yaml', configMap('fast'));
    write('git/b/secret.yml', secret('pw'));
    write('git/notes.txt', 'not a manifest');
    write(
      'live/all.json',
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [] }),
    );
    write('live/x/cm.yaml', configMap('fast'));
    write('live/x/secret.yaml', secret('pw'));
    const result = await run([
      'diff',
      '--desired',
      path.join(dir, 'git'),
      '--live',
      path.join(dir, 'live'),
      '-o',
      'json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(
      JSON.parse(result.stdout).resources.map((r: { kind: string }) => r.kind),
    ).toEqual(['ConfigMap', 'Secret']);
  });

  it('applies an ignore file', async () => {
    const ignore = write(
      'ignore.yaml',
      'ignore:\n  - paths: [/data/MODE]\n    kind: ConfigMap\n',
    );
    const args = [
      'diff',
      '-d',
      write('d.yaml', configMap('fast')),
      '-l',
      write('l.yaml', configMap('slow')),
    ];
    expect((await run([...args, '--ignore', ignore])).code).toBe(0);
    expect((await run(args)).code).toBe(1);
  });

  it('reports missing and extra objects', async () => {
    const live = `${configMap(
      'fast',
    )}---\napiVersion: v1\nkind: Service\nmetadata: {name: debug, namespace: shop, labels: {app.kubernetes.io/instance: app}}\n`;
    const result = await run([
      'diff',
      '-d',
      write('d.yaml', `${configMap('fast')}---\n${secret('x')}`),
      '-l',
      write('l.yaml', live),
      '-o',
      'json',
    ]);
    expect(result.code).toBe(1);
    expect(
      JSON.parse(result.stdout).resources.map(
        (r: { name: string; status: string }) => `${r.name} ${r.status}`,
      ),
    ).toEqual(['app in-sync', 'db missing', 'debug extra']);
  });

  it('never prints Secret values, in JSON or text', async () => {
    const args = [
      'diff',
      '-d',
      write('d.yaml', secret('old-Pa55word')),
      '-l',
      write('l.yaml', secret('new-Pa55word')),
    ];
    for (const output of ['json', 'text']) {
      const result = await run([...args, '-o', output]);
      expect(result.code).toBe(1);
      for (const value of ['old-Pa55word', 'new-Pa55word']) {
        expect(result.stdout).not.toContain(value);
        expect(result.stdout).not.toContain(
          Buffer.from(value).toString('base64'),
        );
      }
    }
  });

  it('prints a readable report, with colors only when asked', async () => {
    const args = [
      'diff',
      '-d',
      write('d.yaml', configMap('fast')),
      '-l',
      write('l.yaml', configMap('slow')),
    ];
    const plain = await run(args);
    expect(plain.stdout).toContain(
      '✗ drifted  ConfigMap:shop:app  severity medium, score 3',
    );
    expect(plain.stdout).toContain('~ data.MODE  ConfigurationChange medium');
    expect(plain.stdout).toContain('git:  fast');
    expect(plain.stdout).toContain('live: slow');
    expect(plain.stdout).not.toContain('\u001b[');
    expect((await run(args, true)).stdout).toContain('\u001b[31m');
  });

  it('exits 2 on usage errors', async () => {
    expect((await run(['diff', '--desired', 'x.yaml'])).code).toBe(2);
    expect(
      (await run(['diff', '-d', 'a', '-l', 'b', '-o', 'xml'])).stderr,
    ).toMatch(/^driftwatch: .*xml/);
    expect((await run(['nonsense'])).code).toBe(2);
    expect((await run([])).code).toBe(2);
    expect((await run(['--help'])).code).toBe(0);
  });

  it.each([
    [
      'malformed YAML',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: [oops\n',
      /bad\.yaml: document 2: invalid YAML at line \d+/,
    ],
    [
      'a document that is not an object',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\njust text\n',
      /bad\.yaml: document 2: not a Kubernetes object/,
    ],
    [
      'an object without a name',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n',
      /bad\.yaml: document 1: not a Kubernetes object \(no metadata\.name\)/,
    ],
    [
      'two objects with one identity',
      `${configMap('a')}---\n${configMap('b')}`,
      /bad\.yaml: document 2: ConfigMap:shop:app is defined twice \(also in .*bad\.yaml document 1\)/,
    ],
  ])(
    'exits 2 on %s, naming the file and document',
    async (_what, text, message) => {
      const result = await run([
        'diff',
        '-d',
        write('bad.yaml', text),
        '-l',
        write('l.yaml', configMap('a')),
      ]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^driftwatch: /);
      expect(result.stderr).toMatch(message);
    },
  );

  it('exits 2 on an unreadable path', async () => {
    const missing = path.join(dir, 'nope.yaml');
    const result = await run([
      'diff',
      '-d',
      missing,
      '-l',
      write('l.yaml', configMap('a')),
    ]);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe(
      `driftwatch: ${missing}: cannot read (no such file or directory)\n`,
    );
    const ignoreDir = await run([
      'diff',
      '-d',
      write('d.yaml', configMap('a')),
      '-l',
      write('l.yaml', configMap('a')),
      '--ignore',
      dir,
    ]);
    expect(ignoreDir.code).toBe(2);
    expect(ignoreDir.stderr).toContain(`driftwatch: ${dir}: cannot read`);
  });

  it('does not quote a Secret from a broken document', async () => {
    const result = await run([
      'diff',
      '-d',
      write(
        'bad.yaml',
        'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {password: c2VjcmV0LXZhbHVl, password: c2VjcmV0LXZhbHVl}\n',
      ),
      '-l',
      write('l.yaml', configMap('a')),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('c2VjcmV0LXZhbHVl');
  });
});

describe('driftwatch terraform', () => {
  const plan = (drift: unknown[]) =>
    JSON.stringify({ format_version: '1.2', resource_drift: drift });
  const entry = {
    address: 'aws_instance.web',
    type: 'aws_instance',
    provider_name: 'registry.terraform.io/hashicorp/aws',
    change: {
      actions: ['update'],
      before: { instance_type: 't3.small' },
      after: { instance_type: 't3.large' },
    },
  };

  it('exits 1 on drift and 0 without', async () => {
    const drifted = await run([
      'terraform',
      write('plan.json', plan([entry])),
      '-o',
      'json',
    ]);
    expect(drifted.code).toBe(1);
    expect(JSON.parse(drifted.stdout).resources[0]).toMatchObject({
      kind: 'aws_instance',
      name: 'aws_instance.web',
      status: 'drifted',
      changes: [
        {
          path: '/instance_type',
          category: 'ResourceChange',
          desired: 't3.small',
          live: 't3.large',
        },
      ],
    });
    expect((await run(['terraform', write('clean.json', plan([]))])).code).toBe(
      0,
    );
  });

  it('exits 2 on a file that is not a plan', async () => {
    const result = await run([
      'terraform',
      write('bad.json', '{"password": "hunter2", oops}'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /bad\.json: document 1: invalid JSON at line 1/,
    );
    expect(result.stderr).not.toContain('hunter2');
    expect(
      (await run(['terraform', write('list.json', '[1,2]')])).stderr,
    ).toMatch(/list\.json: document 1: not a Terraform JSON plan/);
  });
});
