import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resolveBinary, runTool, type RunToolOptions } from './runTool';

/** Whether a process runs: exists and is not a zombie (Linux /proc). */
async function isRunning(pid: number): Promise<boolean> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat !== undefined && !/^\d+ \(.*\) [ZX]/.test(stat);
}

describe('runTool', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'drift-run-tool-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** A fake tool: a shell script the test writes. */
  async function script(name: string, body: string): Promise<string> {
    const file = path.join(dir, name);
    await fs.writeFile(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return file;
  }

  function options(binary: string, extra: Partial<RunToolOptions> = {}): RunToolOptions {
    return {
      tool: 'helm',
      binary,
      args: [],
      cwd: dir,
      env: { HOME: dir },
      timeoutMs: 10_000,
      maxOutputBytes: 1024 * 1024,
      ...extra,
    };
  }

  it('passes arguments without a shell and returns stdout', async () => {
    const binary = await script('echo-args', 'for a in "$@"; do echo "[$a]"; done');
    await expect(
      runTool(options(binary, { args: ['template', 'a b', '$(id)', '--values=./v.yaml'] })),
    ).resolves.toBe('[template]\n[a b]\n[$(id)]\n[--values=./v.yaml]\n');
  });

  it('runs with exactly the environment it is given, in its working directory', async () => {
    process.env.DRIFT_TEST_SECRET = 'not for tools';
    try {
      const binary = await script('show-env', 'pwd; /usr/bin/env | /usr/bin/sort');
      const output = await runTool(options(binary, { env: { HOME: dir, HELM_CACHE_HOME: `${dir}/c` } }));
      const [cwd, ...env] = output.trim().split('\n');
      expect(await fs.realpath(cwd)).toBe(await fs.realpath(dir));
      // The shell adds PWD (and may add SHLVL); nothing comes from the backend's environment.
      expect(env.filter(line => !/^(PWD|SHLVL|_)=/.test(line))).toEqual([
        `HELM_CACHE_HOME=${dir}/c`,
        `HOME=${dir}`,
      ]);
    } finally {
      delete process.env.DRIFT_TEST_SECRET;
    }
  });

  it('fails with the exit code and the end of stderr, private paths hidden', async () => {
    const binary = await script(
      'fail',
      `echo "Error: parse error at (${dir}/templates/x.yaml:3): bad" >&2; exit 3`,
    );
    await expect(runTool(options(binary, { hidePath: dir }))).rejects.toThrow(
      'helm failed (exit code 3): Error: parse error at (./templates/x.yaml:3): bad',
    );
  });

  it('quotes at most about 2 KB of stderr', async () => {
    const binary = await script(
      'noisy',
      'i=0; while [ $i -lt 500 ]; do echo "line $i of noise" >&2; i=$((i+1)); done; echo "the cause" >&2; exit 1',
    );
    const error: Error = await runTool(options(binary)).catch(e => e);
    expect(error.message).toMatch(/the cause$/);
    expect(error.message.length).toBeLessThan(2200);
  });

  it('kills the whole process group when the time is up', async () => {
    const pidFile = path.join(dir, 'child.pid');
    const binary = await script('hang', `sleep 60 & echo $! > ${pidFile}; wait`);
    const started = Date.now();
    await expect(
      runTool(options(binary, { tool: 'kustomize', timeoutMs: 300 })),
    ).rejects.toThrow('kustomize did not finish within 0.3 s (drift.render.timeout)');
    expect(Date.now() - started).toBeLessThan(10_000);
    const child = Number((await fs.readFile(pidFile, 'utf8')).trim());
    // The grandchild was in the group: it is dead too (at most a zombie no one reaped yet).
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(await isRunning(child)).toBe(false);
  });

  it('kills the tool once its output passes the cap', async () => {
    const binary = await script('flood', 'while :; do echo "apiVersion: v1 kind: ConfigMap"; done');
    await expect(runTool(options(binary, { maxOutputBytes: 64 * 1024 }))).rejects.toThrow(
      'helm printed more than 65536 bytes (drift.render.maxOutputBytes)',
    );
  });

  it('stops when the scan is aborted', async () => {
    const binary = await script('slow', 'sleep 60');
    const controller = new AbortController();
    const running = runTool(options(binary, { signal: controller.signal }));
    controller.abort();
    await expect(running).rejects.toThrow('helm was stopped: the scan was aborted');
  });
});

describe('resolveBinary', () => {
  it('finds a tool on the PATH, or says how to configure it', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'drift-bin-'));
    try {
      await fs.writeFile(path.join(dir, 'kustomize'), '#!/bin/sh\n', { mode: 0o755 });
      await fs.writeFile(path.join(dir, 'helm'), 'not executable', { mode: 0o644 });
      await expect(resolveBinary('kustomize', undefined, `/nonexistent:${dir}`)).resolves.toBe(
        path.join(dir, 'kustomize'),
      );
      await expect(resolveBinary('helm', undefined, dir)).rejects.toThrow(
        "helm is not installed: there is no helm on the backend's PATH; install it or set drift.render.helm",
      );
      await expect(resolveBinary('helm', path.join(dir, 'missing'), dir)).rejects.toThrow(
        `helm is not installed: drift.render.helm is ${path.join(dir, 'missing')}, which is not an executable file`,
      );
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
