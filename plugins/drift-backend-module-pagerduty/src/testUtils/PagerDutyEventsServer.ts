import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server saw of one request. */
export interface RecordedEvent {
  method: string;
  path: string;
  contentType?: string;
  /** The body exactly as received. */
  raw: string;
  /** The body parsed, when it was JSON. */
  body?: any;
}

/** An answer the server gives instead of processing the next events. */
export type Fault =
  | { status: 429; retryAfter?: string }
  | { status: 500 | 502 | 503 }
  | { status: 400; message: string; errors: string[] }
  | { status: 'hold' };

const ACTIONS = ['trigger', 'acknowledge', 'resolve'];
const SEVERITIES = ['critical', 'error', 'warning', 'info'];
const MAX_BYTES = 512 * 1024;

/** The checks PagerDuty makes of an event, as the error strings it lists. */
function validate(event: any): string[] {
  const errors: string[] = [];
  if (typeof event !== 'object' || event === null) {
    return ['Event object is invalid'];
  }
  if (
    typeof event.routing_key !== 'string' ||
    event.routing_key.length !== 32
  ) {
    errors.push("'routing_key' must be 32 characters");
  }
  if (!ACTIONS.includes(event.event_action)) {
    errors.push("'event_action' must be one of trigger, acknowledge, resolve");
  }
  if (event.event_action !== 'trigger' && !event.dedup_key) {
    errors.push("'dedup_key' is missing and is required for this event action");
  }
  if (event.event_action === 'trigger') {
    const payload = event.payload ?? {};
    if (!payload.summary) errors.push("'payload.summary' is missing");
    if (!payload.source) errors.push("'payload.source' is missing");
    if (!SEVERITIES.includes(payload.severity)) {
      errors.push("'payload.severity' is missing or invalid");
    }
  }
  return errors;
}

/**
 * A loopback server that speaks the Events API v2 (`POST /v2/enqueue`): it validates events
 * as PagerDuty does, answers 202 with the dedup key, can be told to throttle (429), fail (5xx),
 * refuse (400) or hold the next requests, and records every request.
 */
export class PagerDutyEventsServer {
  readonly requests: RecordedEvent[] = [];
  private readonly faults: Fault[] = [];
  private readonly held: http.ServerResponse[] = [];
  private onRequest?: () => void;

  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<PagerDutyEventsServer> {
    const holder: { instance?: PagerDutyEventsServer } = {};
    const server = http.createServer((req, res) =>
      holder.instance!.handle(req, res),
    );
    holder.instance = new PagerDutyEventsServer(server);
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    return holder.instance;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  /** The next request gets this answer; several calls queue several answers. */
  failNext(fault: Fault): this {
    this.faults.push(fault);
    return this;
  }

  /** Resolves once the server has received a request (beyond those already recorded). */
  nextRequest(): Promise<void> {
    return new Promise(resolve => {
      this.onRequest = resolve;
    });
  }

  /** The parsed bodies of the requests, in order. */
  get events(): any[] {
    return this.requests.map(request => request.body);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedEvent = {
        method: req.method ?? '',
        path: req.url ?? '',
        contentType: req.headers['content-type'],
        raw,
      };
      try {
        recorded.body = JSON.parse(raw);
      } catch {
        // Recorded raw; answered below as PagerDuty answers bad JSON.
      }
      this.requests.push(recorded);
      this.onRequest?.();
      this.onRequest = undefined;
      this.answer(recorded, res);
    });
  }

  private answer(request: RecordedEvent, res: http.ServerResponse) {
    const send = (status: number, body: unknown, headers = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (request.method !== 'POST' || request.path !== '/v2/enqueue') {
      send(404, { status: 'not found', message: 'Not found' });
      return;
    }
    const fault = this.faults.shift();
    if (fault?.status === 'hold') {
      this.held.push(res);
      return;
    }
    if (fault?.status === 429) {
      send(
        429,
        {
          status: 'throttle event',
          message:
            'Requests for this service are arriving too quickly. Please retry later.',
        },
        fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {},
      );
      return;
    }
    if (fault?.status === 400) {
      send(400, {
        status: 'invalid event',
        message: fault.message,
        errors: fault.errors,
      });
      return;
    }
    if (fault) {
      send(fault.status, { status: 'error', message: 'Internal server error' });
      return;
    }
    if (Buffer.byteLength(request.raw) > MAX_BYTES) {
      send(413, {
        status: 'invalid event',
        message: 'Request entity too large',
      });
      return;
    }
    if (!request.contentType?.startsWith('application/json') || !request.body) {
      send(400, {
        status: 'invalid event',
        message: 'Event object is invalid',
        errors: ['Invalid JSON'],
      });
      return;
    }
    const errors = validate(request.body);
    if (errors.length > 0) {
      send(400, {
        status: 'invalid event',
        message: 'Event object is invalid',
        errors,
      });
      return;
    }
    send(202, {
      status: 'success',
      message: 'Event processed',
      dedup_key: request.body.dedup_key ?? `generated-${this.requests.length}`,
    });
  }
}
