import { ActionDeliveryError } from '@driftwatch/plugin-drift-node';

interface OctokitFailure {
  status?: number;
  message?: string;
  response?: {
    headers?: Record<string, string | number | undefined>;
    data?: unknown;
  };
}

function header(failure: OctokitFailure, name: string): string | undefined {
  const value = failure.response?.headers?.[name];
  return value === undefined ? undefined : String(value);
}

/** Seconds GitHub asked to wait: `Retry-After`, else until `x-ratelimit-reset`. */
function waitOf(failure: OctokitFailure): number | undefined {
  const retryAfter = Number(header(failure, 'retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter;
  const reset = Number(header(failure, 'x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) {
    return Math.max(0, Math.ceil(reset - Date.now() / 1000));
  }
  return undefined;
}

/** GitHub's own message (`Not Found`, `Validation Failed: ...`), never a request or a token. */
export function gitHubMessage(failure: OctokitFailure): string {
  const data = failure.response?.data as
    | { message?: string; errors?: Array<{ message?: string }> }
    | undefined;
  const details = (data?.errors ?? []).map(e => e.message).filter(Boolean);
  const message = data?.message ?? failure.message ?? 'request failed';
  return details.length ? `${message}: ${details.join('; ')}` : message;
}

/** Whether GitHub answered with this status and, optionally, a message containing `text`. */
export function isGitHubError(
  error: unknown,
  status: number,
  text?: string,
): boolean {
  const failure = error as OctokitFailure;
  return (
    failure?.status === status &&
    (!text || gitHubMessage(failure).toLowerCase().includes(text.toLowerCase()))
  );
}

/**
 * An Octokit failure as routing retries it: rate limits (429, or a 403 with no requests left or
 * naming a rate limit), 5xx and network failures are retried after the wait GitHub asked for;
 * the rest (401, 403, 404, 422) would fail again the same way and fail at once.
 */
export function toDeliveryError(
  error: unknown,
  doing: string,
): ActionDeliveryError {
  if (error instanceof ActionDeliveryError) return error;
  const failure = (error ?? {}) as OctokitFailure;
  const status =
    typeof failure.status === 'number' ? failure.status : undefined;
  const message = `GitHub could not ${doing}: ${
    status
      ? `${status} ${gitHubMessage(failure)}`
      : failure.message ?? String(error)
  }`;
  const rateLimited =
    status === 429 ||
    (status === 403 &&
      (header(failure, 'x-ratelimit-remaining') === '0' ||
        /rate limit/i.test(gitHubMessage(failure))));
  if (status === undefined || status >= 500 || rateLimited) {
    return new ActionDeliveryError(message, true, waitOf(failure));
  }
  return new ActionDeliveryError(message, false);
}
