import { ActionDeliveryError } from '@driftwatch/plugin-drift-node';
import type { EventBody } from './types';

/** What PagerDuty answers to an accepted event (202). */
export interface EnqueueResponse {
  status: string;
  message: string;
  dedup_key?: string;
}

const MAX_MESSAGE = 500;

/** `Retry-After` as seconds, from either of its forms (delta-seconds or an HTTP date). */
export function parseRetryAfter(
  header: string | null,
  now = Date.now(),
): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  // Date.parse reads "-5" as a year; an HTTP date always names its day and month.
  if (!/[a-z]/i.test(value)) return undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** What PagerDuty said about a refused event: its message and the errors it listed. */
function describeRefusal(text: string): string {
  try {
    const body = JSON.parse(text);
    const parts = [body?.status, body?.message].filter(
      (part): part is string => typeof part === 'string' && part.length > 0,
    );
    if (Array.isArray(body?.errors) && body.errors.length > 0) {
      parts.push(body.errors.map(String).join('; '));
    }
    if (parts.length > 0) return parts.join(': ');
  } catch {
    // Not JSON (a proxy's error page): its text is the best there is.
  }
  return text.trim();
}

/**
 * Sends events to the Events API v2 (`POST {eventsUrl}/v2/enqueue`) and turns every failure
 * into an {@link ActionDeliveryError} that says whether the routing worker should try again.
 */
export class EventsApiClient {
  constructor(
    private readonly options: { eventsUrl: string; timeoutMs: number },
  ) {}

  async send(
    routingKey: string,
    body: EventBody,
    signal?: AbortSignal,
  ): Promise<EnqueueResponse> {
    // PagerDuty does not echo keys today; this keeps it that way in our errors if it ever does.
    const scrub = (text: string) =>
      text.replaceAll(routingKey, '<routing key>').slice(0, MAX_MESSAGE);
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    let response: Response;
    try {
      response = await fetch(`${this.options.eventsUrl}/v2/enqueue`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
        body: JSON.stringify({ routing_key: routingKey, ...body }),
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
        redirect: 'error',
      });
    } catch (error) {
      throw new ActionDeliveryError(
        scrub(this.describeFailure(error, timeout, signal)),
        true,
      );
    }

    const text = await response.text().catch(() => '');
    if (response.ok) {
      try {
        return JSON.parse(text) as EnqueueResponse;
      } catch {
        return { status: 'success', message: text };
      }
    }
    const said = scrub(describeRefusal(text));
    const answer = `PagerDuty answered ${response.status}${
      said ? `: ${said}` : ''
    }`;
    if (response.status === 429) {
      throw new ActionDeliveryError(
        answer,
        true,
        parseRetryAfter(response.headers.get('retry-after')),
      );
    }
    // 5xx is PagerDuty's trouble and passes; any other refusal is the event's and would repeat.
    throw new ActionDeliveryError(answer, response.status >= 500);
  }

  private describeFailure(
    error: unknown,
    timeout: AbortSignal,
    signal?: AbortSignal,
  ): string {
    if (timeout.aborted) {
      const { timeoutMs } = this.options;
      const limit =
        timeoutMs < 1000 ? `${timeoutMs} ms` : `${timeoutMs / 1000} s`;
      return `PagerDuty did not answer within ${limit}`;
    }
    if (signal?.aborted) {
      return 'The request to PagerDuty was cancelled';
    }
    // fetch reports "fetch failed"; what went wrong (ECONNREFUSED, a TLS error) is its cause.
    const { message, cause } = (error ?? {}) as {
      message?: unknown;
      cause?: { message?: unknown; code?: unknown };
    };
    const reason =
      [cause?.message, cause?.code, message].find(
        (text): text is string => typeof text === 'string' && text.length > 0,
      ) ?? String(error);
    return `Could not reach PagerDuty at ${this.options.eventsUrl}: ${reason}`;
  }
}
