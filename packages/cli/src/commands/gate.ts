import type { GateResult } from '@driftwatch/plugin-drift-common';
import { CliError, EXIT_DRIFT, EXIT_IN_SYNC } from '../errors';
import type { Style } from '../output/text';

export interface GateOptions {
  entity: string;
  /** The Backstage backend's base URL, e.g. `http://localhost:7007`. */
  url: string;
  token: string;
  output: 'text' | 'json';
  timeoutMs: number;
}

/** `<base>/api/drift/gate?entityRef=<ref>`; the base may carry a path (a proxy prefix). */
export function gateUrl(base: string, entityRef: string): URL {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new CliError(`--url: "${base}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`--url: "${base}" is not an http(s) URL`);
  }
  if (url.username || url.password) {
    throw new CliError('--url: put credentials in --token, not in the URL');
  }
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/drift/gate`;
  url.search = new URLSearchParams({ entityRef }).toString();
  url.hash = '';
  return url;
}

/** A server's text on a terminal: no control characters (escape sequences), bounded. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return clean.length > 500 ? `${clean.slice(0, 500)}…` : clean;
}

/** Backstage's error body: `{ error: { name, message }, response: { statusCode } }`. */
function errorMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body);
    const message = parsed?.error?.message;
    return typeof message === 'string' && message
      ? printable(message)
      : undefined;
  } catch {
    return undefined;
  }
}

function isGateResult(value: unknown): value is GateResult {
  const v = value as GateResult | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    (v.result === 'pass' || v.result === 'fail') &&
    Array.isArray(v.reasons)
  );
}

/** Why fetch failed, from the system error it wraps (ECONNREFUSED, ENOTFOUND, ...). */
function networkReason(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return 'no answer in time';
  }
  const cause = (error as { cause?: { code?: string; message?: string } })
    ?.cause;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function renderText(result: GateResult, style: Style): string {
  const lines = [
    result.result === 'pass' ? style.green('pass') : style.red('fail'),
  ];
  for (const reason of result.reasons) {
    const facts = [
      reason.resourceKey,
      reason.severity,
      `SLA due ${reason.slaDueAt}`,
      `finding ${reason.findingId}`,
    ].map(fact => printable(String(fact)));
    lines.push(`${printable(String(reason.message))} (${facts.join(', ')})`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Runs `driftwatch gate`: asks the drift backend whether a change of the entity may merge.
 * Exit 0 on pass, 1 on fail; any failure to get an answer is a CliError (exit 2), so that a
 * gate that cannot be read never looks like a pass.
 */
export async function runGate(
  options: GateOptions,
  style: Style,
): Promise<{ output: string; exitCode: number }> {
  const url = gateUrl(options.url, options.entity);
  const where = `${url.origin}${url.pathname}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: {
        Accept: 'application/json',
        Authorization: `Bearer ${options.token}`,
      },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    throw new CliError(`cannot reach ${where}: ${networkReason(error)}`);
  }

  let body: string;
  try {
    body = await response.text();
  } catch (error) {
    throw new CliError(
      `${where}: reading the answer failed: ${networkReason(error)}`,
    );
  }
  if (!response.ok) {
    const message = errorMessage(body);
    const status = `${response.status}${
      response.statusText ? ` ${response.statusText}` : ''
    }`;
    const hint =
      response.status === 401 ? ' (check --token or DRIFTWATCH_TOKEN)' : '';
    throw new CliError(
      `${where} answered ${status}${message ? `: ${message}` : ''}${hint}`,
    );
  }

  let result: unknown;
  try {
    result = JSON.parse(body);
  } catch {
    throw new CliError(
      `${where} answered with something that is not JSON (is --url the Backstage backend?)`,
    );
  }
  if (!isGateResult(result)) {
    throw new CliError(`${where} answered JSON that is not a gate result`);
  }
  const output =
    options.output === 'json'
      ? `${JSON.stringify(result, null, 2)}\n`
      : renderText(result, style);
  return {
    output,
    exitCode: result.result === 'pass' ? EXIT_IN_SYNC : EXIT_DRIFT,
  };
}
