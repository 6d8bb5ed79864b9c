import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import {
  ActionDeliveryError,
  type ActionResult,
} from '@driftwatch/plugin-drift-node';
import { PagerDutyEventsServer } from './testUtils';
import {
  ANNOTATION_KEY,
  CONFIG_KEY,
  change,
  delivery,
  entity,
  finding,
} from './__testUtils__/fixtures';
import { PagerDutyAction } from './PagerDutyAction';

const DEDUP_KEY = 'driftwatch-7f9c2d1e-0b7a-4c55-9a51-3b2f6d1c8e40';

describe('PagerDutyAction', () => {
  let server: PagerDutyEventsServer;
  const logger = mockServices.logger.mock();

  beforeEach(async () => {
    server = await PagerDutyEventsServer.start();
  });

  afterEach(async () => {
    await server.stop();
  });

  function action(pagerduty: JsonObject = {}) {
    return PagerDutyAction.fromConfig(
      new ConfigReader({
        drift: {
          pagerduty: { enabled: true, eventsUrl: server.url, ...pagerduty },
        },
      }),
    );
  }

  async function failure(
    promise: Promise<unknown>,
  ): Promise<ActionDeliveryError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ActionDeliveryError);
    return error as ActionDeliveryError;
  }

  it('triggers, acknowledges and resolves one alert keyed by the finding', async () => {
    const pagerDuty = action();

    const opened = await pagerDuty.deliver(delivery('opened'), { logger });
    const acknowledged = await pagerDuty.deliver(
      delivery('acknowledged', { state: opened.state }),
      { logger },
    );
    const resolved = await pagerDuty.deliver(
      delivery('resolved', { state: acknowledged.state }),
      { logger },
    );

    expect(server.events.map(e => [e.event_action, e.dedup_key])).toEqual([
      ['trigger', DEDUP_KEY],
      ['acknowledge', DEDUP_KEY],
      ['resolve', DEDUP_KEY],
    ]);
    expect(server.events.every(e => e.routing_key === ANNOTATION_KEY)).toBe(
      true,
    );
    expect(
      server.requests.every(r => r.contentType === 'application/json'),
    ).toBe(true);
    expect(opened).toMatchObject({
      status: 'delivered',
      summary: `Triggered PagerDuty alert ${DEDUP_KEY} (error)`,
      state: { dedupKey: DEDUP_KEY, triggered: true, lastAction: 'trigger' },
    });
    expect(opened.dryRun).toBeUndefined();
    expect(acknowledged).toMatchObject({
      status: 'delivered',
      summary: `Acknowledged PagerDuty alert ${DEDUP_KEY}`,
      state: { triggered: true, lastAction: 'acknowledge' },
    });
    expect(resolved).toMatchObject({
      status: 'delivered',
      summary: `Resolved PagerDuty alert ${DEDUP_KEY}`,
      state: { dedupKey: DEDUP_KEY, triggered: false, lastAction: 'resolve' },
    });
    expect(server.events[1]).toEqual({
      routing_key: ANNOTATION_KEY,
      event_action: 'acknowledge',
      dedup_key: DEDUP_KEY,
    });
  });

  it('sends the trigger event PagerDuty documents', async () => {
    const result = await action().deliver(delivery('opened'), { logger });

    const [event] = server.events;
    expect(event).toEqual({
      routing_key: ANNOTATION_KEY,
      event_action: 'trigger',
      dedup_key: DEDUP_KEY,
      payload: {
        summary: 'Drift on Deployment shop/cart in cluster prod (tier 1, high)',
        source: 'prod',
        severity: 'error',
        component: 'Deployment:shop:cart',
        group: 'component:default/cart',
        class: 'Scaling, VersionChange',
        custom_details: expect.objectContaining({
          outcome: 'opened',
          entity: 'component:default/cart',
          owner: 'group:default/team-shop',
          tier: 1,
          resource: 'Deployment:shop:cart',
          location: 'prod',
          categories: ['Scaling', 'VersionChange'],
          sla_due: '2026-11-30T13:15:00Z',
          changes: [
            {
              field: 'spec.replicas',
              op: 'changed',
              category: 'Scaling',
              severity: 'medium',
              manager: 'kubectl-scale',
              time: '2026-11-30T09:12:00Z',
            },
            {
              field: 'spec.template.spec.containers[name=cart].image',
              op: 'changed',
              category: 'VersionChange',
              severity: 'high',
              manager: 'kubectl-edit',
              time: '2026-11-30T09:12:00Z',
            },
          ],
        }),
      },
      links: [{ href: finding().url, text: 'Drift finding in Backstage' }],
      client: 'Driftwatch',
      client_url: finding().url,
    });
    // What is recorded is what was sent, but for the key.
    expect(result.request).toEqual({
      ...event,
      routing_key: '<from pagerduty.com/integration-key>',
    });
  });

  it.each([
    ['critical', 'critical'],
    ['high', 'error'],
    ['medium', 'warning'],
    ['low', 'info'],
  ] as const)('maps severity %s to %s', async (severity, expected) => {
    await action().deliver(
      delivery('opened', { finding: finding({ severity }) }),
      { logger },
    );

    expect(server.events[0].payload.severity).toBe(expected);
    expect(server.events[0].payload.summary).toContain(`(tier 1, ${severity})`);
  });

  it('uses the entity annotation before the configured key, and the configured key without it', async () => {
    const pagerDuty = action({ routingKey: CONFIG_KEY });

    const annotated = await pagerDuty.deliver(delivery('opened'), { logger });
    const configured = await pagerDuty.deliver(
      delivery('opened', { entity: entity() }),
      { logger },
    );
    const unknownEntity = await pagerDuty.deliver(
      delivery('opened', { entity: undefined }),
      { logger },
    );

    expect(server.events.map(e => e.routing_key)).toEqual([
      ANNOTATION_KEY,
      CONFIG_KEY,
      CONFIG_KEY,
    ]);
    expect((annotated.request as any).routing_key).toBe(
      '<from pagerduty.com/integration-key>',
    );
    expect((configured.request as any).routing_key).toBe('<from config>');
    expect((unknownEntity.request as any).routing_key).toBe('<from config>');
  });

  it('refuses, without retry, an entity that has no routing key', async () => {
    const error = await failure(
      action().deliver(delivery('opened', { entity: entity() }), { logger }),
    );

    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      'No PagerDuty routing key: set the pagerduty.com/integration-key annotation on component:default/cart or drift.pagerduty.routingKey',
    );
    expect(server.requests).toHaveLength(0);
  });

  it('skips a change, an acknowledgement and a resolution when no alert was triggered', async () => {
    const pagerDuty = action();

    const results = await Promise.all(
      (['changed', 'acknowledged', 'resolved'] as const).map(outcome =>
        pagerDuty.deliver(delivery(outcome), { logger }),
      ),
    );

    expect(server.requests).toHaveLength(0);
    expect(results.map(r => [r.status, r.summary])).toEqual([
      [
        'skipped',
        'No PagerDuty alert is open for this finding: nothing to update',
      ],
      [
        'skipped',
        'No PagerDuty alert is open for this finding: nothing to acknowledge',
      ],
      [
        'skipped',
        'No PagerDuty alert is open for this finding: nothing to resolve',
      ],
    ]);
    expect(results[0].state).toEqual({
      dedupKey: DEDUP_KEY,
      triggered: false,
      lastAction: null,
    });
  });

  it('updates an open alert when the drift changes, with the same dedup key', async () => {
    const pagerDuty = action();
    const opened = await pagerDuty.deliver(delivery('opened'), { logger });
    const changed = finding({
      changes: [
        change({
          field: 'spec.template.spec.hostNetwork',
          category: 'SecurityChange',
          severity: 'critical',
        }),
      ],
      severity: 'critical',
    });

    const updated = await pagerDuty.deliver(
      delivery('changed', { finding: changed, state: opened.state }),
      { logger },
    );

    expect(server.events.map(e => [e.event_action, e.dedup_key])).toEqual([
      ['trigger', DEDUP_KEY],
      ['trigger', DEDUP_KEY],
    ]);
    expect(server.events[1].payload.severity).toBe('critical');
    expect(server.events[1].payload.custom_details.changes).toEqual([
      expect.objectContaining({ field: 'spec.template.spec.hostNetwork' }),
    ]);
    expect(updated.summary).toBe(
      `Updated PagerDuty alert ${DEDUP_KEY} (critical)`,
    );
    expect(updated.state).toEqual({
      dedupKey: DEDUP_KEY,
      triggered: true,
      lastAction: 'trigger',
    });
  });

  it('links the incident of the first trigger when an incident URL template is configured', async () => {
    const pagerDuty = action({
      incidentUrlTemplate:
        'https://acme.pagerduty.com/alerts?dedup_key={dedupKey}',
    });
    const url = `https://acme.pagerduty.com/alerts?dedup_key=${DEDUP_KEY}`;

    const opened = await pagerDuty.deliver(delivery('opened'), { logger });
    const escalated = await pagerDuty.deliver(
      delivery('escalated', {
        finding: finding({ slaBreached: true }),
        state: opened.state,
      }),
      { logger },
    );

    expect(opened.incident).toEqual({
      url,
      title: 'Drift on Deployment shop/cart in cluster prod (tier 1, high)',
    });
    expect(opened.externalUrl).toBe(url);
    expect(escalated.incident).toBeUndefined();
    expect(escalated.externalUrl).toBe(url);
    expect(server.events[1].payload.summary).toBe(
      'Drift on Deployment shop/cart in cluster prod (tier 1, high, SLA breached)',
    );
    expect(server.events[1].payload.custom_details.outcome).toBe('escalated');
  });

  it('returns no incident without a template, as the Events API returns none', async () => {
    const opened = await action().deliver(delivery('opened'), { logger });

    expect(opened.incident).toBeUndefined();
    expect(opened.externalUrl).toBeUndefined();
  });

  it('sends no Secret fingerprint and no value of any change', async () => {
    const secret = finding({
      kind: 'Secret',
      name: 'cart-db',
      resourceKey: 'Secret:shop:cart-db',
      categories: ['SecretChange', 'ConfigMapChange'],
      changes: [
        change({
          path: '/data/PASSWORD',
          field: 'data.PASSWORD',
          category: 'SecretChange',
          severity: 'high',
          desired: { redacted: true, sha256: '9a1f0c3e7b2d' },
          live: { redacted: true, sha256: '4e8b6d2a0f13' },
          manager: 'kubectl-edit',
        }),
        change({
          path: '/data/LOG_LEVEL',
          field: 'data.LOG_LEVEL',
          category: 'ConfigMapChange',
          desired: 'info-level-from-git',
          live: 'debug-level-set-live',
          default: 'default-level-of-api',
        }),
      ],
    });

    const pagerDuty = action();
    const opened = await pagerDuty.deliver(
      delivery('opened', { finding: secret }),
      { logger },
    );
    await pagerDuty.deliver(
      delivery('changed', { finding: secret, state: opened.state }),
      { logger },
    );

    expect(server.requests).toHaveLength(2);
    for (const { raw } of server.requests) {
      expect(raw).toContain('data.PASSWORD');
      for (const leaked of [
        '9a1f0c3e7b2d',
        '4e8b6d2a0f13',
        'redacted',
        'sha256',
        'info-level-from-git',
        'debug-level-set-live',
        'default-level-of-api',
        '"desired"',
        '"live"',
      ]) {
        expect(raw).not.toContain(leaked);
      }
    }
  });

  it('lists at most 20 changes and counts the rest', async () => {
    const many = finding({
      changes: Array.from({ length: 57 }, (_, i) =>
        change({
          field: `metadata.labels.l${i}`,
          category: 'LabelChange',
          severity: 'low',
        }),
      ),
    });

    await action().deliver(delivery('opened', { finding: many }), { logger });

    const details = server.events[0].payload.custom_details;
    expect(details.changes).toHaveLength(20);
    expect(details.changes[19].field).toBe('metadata.labels.l19');
    expect(details.more_changes).toBe('and 37 more');
  });

  it('asks for a retry after a 429, with the Retry-After seconds', async () => {
    server.failNext({ status: 429, retryAfter: '30' });

    const error = await failure(
      action().deliver(delivery('opened'), { logger }),
    );

    expect(error.retryable).toBe(true);
    expect(error.retryAfterSeconds).toBe(30);
    expect(error.message).toMatch(/^PagerDuty answered 429: throttle event/);
  });

  it('asks for a retry after a 429 without Retry-After, leaving the wait to the worker', async () => {
    server.failNext({ status: 429 });

    const error = await failure(
      action().deliver(delivery('opened'), { logger }),
    );

    expect(error.retryable).toBe(true);
    expect(error.retryAfterSeconds).toBeUndefined();
  });

  it('asks for a retry after a 500', async () => {
    server.failNext({ status: 500 });

    const error = await failure(
      action().deliver(delivery('opened'), { logger }),
    );

    expect(error.retryable).toBe(true);
    expect(error.message).toBe(
      'PagerDuty answered 500: error: Internal server error',
    );
  });

  it('fails without retry on a 400, saying what PagerDuty said', async () => {
    server.failNext({
      status: 400,
      message: 'Event object is invalid',
      errors: ["'payload.summary' is missing"],
    });

    const error = await failure(
      action().deliver(delivery('opened'), { logger }),
    );

    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      "PagerDuty answered 400: invalid event: Event object is invalid: 'payload.summary' is missing",
    );
  });

  it('fails without retry when PagerDuty itself refuses the key', async () => {
    const shortKey = 'not-an-integration-key';

    const error = await failure(
      action().deliver(
        delivery('opened', {
          entity: entity({ 'pagerduty.com/integration-key': shortKey }),
        }),
        { logger },
      ),
    );

    expect(server.events[0].routing_key).toBe(shortKey);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("'routing_key' must be 32 characters");
  });

  it('never repeats a routing key PagerDuty echoes in an error', async () => {
    server.failNext({
      status: 400,
      message: `Unknown routing key ${ANNOTATION_KEY}`,
      errors: [`no integration for ${ANNOTATION_KEY}`],
    });

    const error = await failure(
      action().deliver(delivery('opened'), { logger }),
    );

    expect(error.message).not.toContain(ANNOTATION_KEY);
    expect(error.message).toContain('Unknown routing key <routing key>');
  });

  it('asks for a retry when PagerDuty cannot be reached', async () => {
    const pagerDuty = action();
    const { url } = server;
    await server.stop();

    const error = await failure(
      pagerDuty.deliver(delivery('opened'), { logger }),
    );

    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(
      new RegExp(`^Could not reach PagerDuty at ${url}: .*ECONNREFUSED`),
    );
    server = await PagerDutyEventsServer.start();
  });

  it('asks for a retry when the delivery is cancelled while PagerDuty holds the request', async () => {
    server.failNext({ status: 'hold' });
    const controller = new AbortController();
    const received = server.nextRequest();

    const delivered = action().deliver(delivery('opened'), {
      logger,
      signal: controller.signal,
    });
    await received;
    controller.abort();

    const error = await failure(delivered);
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('The request to PagerDuty was cancelled');
  });

  it('asks for a retry when PagerDuty does not answer within the timeout', async () => {
    // The server never answers this request: the timeout is the only way it can end.
    server.failNext({ status: 'hold' });

    const error = await failure(
      action({ timeout: { milliseconds: 20 } }).deliver(delivery('opened'), {
        logger,
      }),
    );

    expect(error.retryable).toBe(true);
    expect(error.message).toBe('PagerDuty did not answer within 20 ms');
  });

  it('keeps the routing key out of what it returns and logs', async () => {
    const pagerDuty = action({ routingKey: CONFIG_KEY });
    const results: ActionResult[] = [];
    let state: Record<string, unknown> | undefined;
    for (const outcome of [
      'opened',
      'changed',
      'acknowledged',
      'resolved',
    ] as const) {
      for (const target of [
        entity(),
        entity({ 'pagerduty.com/integration-key': ANNOTATION_KEY }),
      ]) {
        const result = await pagerDuty.deliver(
          delivery(outcome, { entity: target, state }),
          { logger },
        );
        results.push(result);
        state = result.state;
      }
    }

    // The second resolve finds the alert resolved already and sends nothing.
    expect(server.requests).toHaveLength(7);
    expect(results.at(-1)?.status).toBe('skipped');
    const returned = JSON.stringify(results);
    const logged = JSON.stringify(logger.info.mock.calls);
    for (const key of [ANNOTATION_KEY, CONFIG_KEY]) {
      expect(returned).not.toContain(key);
      expect(logged).not.toContain(key);
    }
  });

  describe('in a dry run', () => {
    function dryAction(pagerduty: JsonObject = {}) {
      return action({ enabled: false, ...pagerduty });
    }

    it('is dry unless enabled', () => {
      expect(PagerDutyAction.fromConfig(new ConfigReader({})).isDryRun()).toBe(
        true,
      );
      expect(dryAction().isDryRun()).toBe(true);
      expect(action().isDryRun()).toBe(false);
    });

    it('sends nothing and records the body it would send', async () => {
      const pagerDuty = dryAction({ routingKey: CONFIG_KEY });

      const opened = await pagerDuty.deliver(
        delivery('opened', { entity: entity() }),
        { logger },
      );
      const resolved = await pagerDuty.deliver(
        delivery('resolved', { entity: entity(), state: opened.state }),
        { logger },
      );

      expect(server.requests).toHaveLength(0);
      expect(opened).toMatchObject({
        status: 'delivered',
        dryRun: true,
        summary: `Would trigger PagerDuty alert ${DEDUP_KEY} (error)`,
        state: {
          dedupKey: DEDUP_KEY,
          triggered: true,
          lastAction: 'trigger',
          dryRun: true,
        },
      });
      expect(opened.request).toMatchObject({
        routing_key: '<from config>',
        event_action: 'trigger',
        dedup_key: DEDUP_KEY,
        payload: {
          summary:
            'Drift on Deployment shop/cart in cluster prod (tier 1, high)',
          severity: 'error',
        },
      });
      expect(opened.incident).toBeUndefined();
      expect(resolved).toMatchObject({
        status: 'delivered',
        dryRun: true,
        summary: `Would resolve PagerDuty alert ${DEDUP_KEY}`,
        request: {
          routing_key: '<from config>',
          event_action: 'resolve',
          dedup_key: DEDUP_KEY,
        },
      });
    });

    it('records what it would send for an entity without a routing key', async () => {
      const result = await dryAction().deliver(
        delivery('opened', { entity: entity() }),
        {
          logger,
        },
      );

      expect(result.status).toBe('delivered');
      expect((result.request as any).routing_key).toBe('<none>');
    });

    it('records the exact body the enabled action sends', async () => {
      const dry = await dryAction().deliver(delivery('opened'), { logger });
      const real = await action().deliver(delivery('opened'), { logger });

      expect(dry.request).toEqual(real.request);
      expect(server.events[0]).toEqual({
        ...(dry.request as object),
        routing_key: ANNOTATION_KEY,
      });
    });

    it('does not treat an alert of a dry run as open once enabled', async () => {
      const dry = await dryAction().deliver(delivery('opened'), { logger });

      const resolved = await action().deliver(
        delivery('resolved', { state: dry.state }),
        { logger },
      );
      const reopened = await action().deliver(
        delivery('opened', { state: dry.state }),
        { logger },
      );

      expect(resolved.status).toBe('skipped');
      expect(server.events.map(e => e.event_action)).toEqual(['trigger']);
      expect(reopened.summary).toBe(
        `Triggered PagerDuty alert ${DEDUP_KEY} (error)`,
      );
      expect(reopened.state).toEqual({
        dedupKey: DEDUP_KEY,
        triggered: true,
        lastAction: 'trigger',
      });
    });
  });
});
