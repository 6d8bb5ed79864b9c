import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { readPagerDutyConfig } from './config';

function read(pagerduty: JsonObject) {
  return readPagerDutyConfig(new ConfigReader({ drift: { pagerduty } }));
}

describe('readPagerDutyConfig', () => {
  it('runs dry against PagerDuty with a 10 second timeout by default', () => {
    expect(readPagerDutyConfig(new ConfigReader({}))).toEqual({
      enabled: false,
      eventsUrl: 'https://events.pagerduty.com',
      timeoutMs: 10_000,
    });
    expect(read({ routingKey: '  ' })).toMatchObject({
      enabled: false,
      routingKey: undefined,
    });
  });

  it('reads every setting', () => {
    expect(
      read({
        enabled: true,
        routingKey: ' f0e1d2c3b4a5968778695a4b3c2d1e0f ',
        eventsUrl: 'https://events.eu.pagerduty.com/',
        timeout: '3s',
        incidentUrlTemplate:
          'https://acme.pagerduty.com/alerts?dedup_key={dedupKey}',
      }),
    ).toEqual({
      enabled: true,
      routingKey: 'f0e1d2c3b4a5968778695a4b3c2d1e0f',
      eventsUrl: 'https://events.eu.pagerduty.com',
      timeoutMs: 3_000,
      incidentUrlTemplate:
        'https://acme.pagerduty.com/alerts?dedup_key={dedupKey}',
    });
    expect(read({ timeout: { seconds: 20 } }).timeoutMs).toBe(20_000);
    expect(read({ timeout: 'PT1M' }).timeoutMs).toBe(60_000);
  });

  it.each([
    'http://127.0.0.1:8080',
    'http://localhost:8080',
    'http://[::1]:8080',
  ])('accepts plain http on the loopback host %s', eventsUrl => {
    expect(read({ eventsUrl }).eventsUrl).toBe(eventsUrl);
  });

  it.each([
    ['http://events.pagerduty.com', /must be an https URL/],
    ['http://10.0.0.8:8080', /must be an https URL/],
    ['ftp://events.pagerduty.com', /must be an https URL/],
    ['events.pagerduty.com', /is not a URL/],
    ['https://events.pagerduty.com/?x=1', /must not have a query/],
  ])('refuses the events URL %s', (eventsUrl, message) => {
    expect(() => read({ eventsUrl })).toThrow(message);
  });

  it('refuses a timeout of zero and an incident template that is no URL', () => {
    expect(() => read({ timeout: { seconds: 0 } })).toThrow(
      'drift.pagerduty.timeout must be longer than zero',
    );
    expect(() => read({ incidentUrlTemplate: 'alerts/{dedupKey}' })).toThrow(
      /incidentUrlTemplate must be an http\(s\) URL/,
    );
  });
});
