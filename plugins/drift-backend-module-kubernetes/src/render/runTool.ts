import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/** A renderer failed: the message says which tool and why, never with a secret in it. */
export class RenderError extends Error {
  name = 'RenderError';
  /**
   * True when the same input could render another time: the tool is missing, was stopped or
   * timed out. Other failures recur until the input changes.
   */
  readonly transient: boolean;

  constructor(message: string, options: { transient?: boolean } = {}) {
    super(message);
    this.transient = options.transient ?? false;
  }
}

/** The tools Driftwatch renders with. */
export type RenderTool = 'helm' | 'kustomize';

/** How much of a tool's stderr an error quotes. */
const STDERR_LIMIT = 2048;

/** Options of {@link runTool}. */
export interface RunToolOptions {
  tool: RenderTool;
  /** Absolute path of the binary (see {@link resolveBinary}). */
  binary: string;
  args: string[];
  cwd: string;
  /** The whole environment of the process: nothing of the backend's is inherited. */
  env: Record<string, string>;
  timeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
  /** Replaced by `.` in quoted stderr, so messages do not show private temp paths. */
  hidePath?: string;
}

function formatBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return mib >= 1 ? `${Math.round(mib * 10) / 10} MiB` : `${bytes} bytes`;
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** The end of a tool's stderr worth quoting: the last lines, where tools put the cause. */
export function quoteStderr(stderr: string, hidePath?: string): string {
  let text = stderr;
  if (hidePath) text = text.split(hidePath).join('.');
  text = text.trim();
  if (text.length <= STDERR_LIMIT) return text;
  return `...${text.slice(text.length - STDERR_LIMIT)}`;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return false;
    await fs.access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The binary of a tool: the configured path, or the first `<tool>` on the backend's PATH. Throws
 * a {@link RenderError} naming the config key when there is none, before anything runs.
 */
export async function resolveBinary(
  tool: RenderTool,
  configured: string | undefined,
  searchPath = process.env.PATH ?? '',
): Promise<string> {
  if (configured) {
    const file = path.resolve(configured);
    if (await isExecutable(file)) return file;
    throw new RenderError(
      `${tool} is not installed: drift.render.${tool} is ${configured}, which is not an executable file`,
      { transient: true },
    );
  }
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, tool);
    if (await isExecutable(file)) return file;
  }
  throw new RenderError(
    `${tool} is not installed: there is no ${tool} on the backend's PATH; install it or set drift.render.${tool}`,
    { transient: true },
  );
}

/**
 * Runs a renderer without a shell and returns its stdout. The process gets its own process
 * group, which is killed as a whole (a tool's children included) on timeout, on too much
 * output and on abort. Every failure is a {@link RenderError} naming the tool.
 */
export function runTool(options: RunToolOptions): Promise<string> {
  const { tool, timeoutMs, maxOutputBytes } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(options.binary, options.args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let failure: RenderError | undefined;

    const stop = (error: RenderError) => {
      failure ??= error;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(
      () =>
        stop(
          new RenderError(
            `${tool} did not finish within ${formatSeconds(timeoutMs)} (drift.render.timeout)`,
            { transient: true },
          ),
        ),
      timeoutMs,
    );
    const onAbort = () =>
      stop(new RenderError(`${tool} was stopped: the scan was aborted`, { transient: true }));
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxOutputBytes) {
        stop(
          new RenderError(
            `${tool} printed more than ${formatBytes(maxOutputBytes)} (drift.render.maxOutputBytes)`,
          ),
        );
        return;
      }
      if (!failure) stdout.push(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      // Enough to quote the end; a tool that floods stderr cannot fill memory.
      stderr = (stderr + chunk).slice(-16 * STDERR_LIMIT);
    });

    const finish = (error?: RenderError, output?: string) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(output ?? '');
    };
    child.on('error', error => {
      finish(
        new RenderError(`${tool} could not be started: ${error.message}`, { transient: true }),
      );
    });
    child.on('close', (code, signal) => {
      if (failure) {
        finish(failure);
      } else if (code !== 0) {
        const quoted = quoteStderr(stderr, options.hidePath);
        finish(
          new RenderError(
            `${tool} failed (${code === null ? `signal ${signal}` : `exit code ${code}`})${
              quoted ? `: ${quoted}` : ''
            }`,
            // Killed by a signal (out of memory, a shutdown) says nothing about the input.
            { transient: code === null },
          ),
        );
      } else {
        finish(undefined, Buffer.concat(stdout).toString('utf8'));
      }
    });
  });
}
