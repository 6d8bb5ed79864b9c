import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { PagerDutyEventsServer } from './testUtils';
import { recordingDriftPlugin } from './__testUtils__/recordingDriftPlugin';
import { CONFIG_KEY, delivery, entity } from './__testUtils__/fixtures';
import driftModulePagerDuty from './index';

describe('driftModulePagerDuty', () => {
  it('registers a dry-run pagerduty action when paging is not enabled', async () => {
    const { plugin, added } = recordingDriftPlugin();

    await startTestBackend({ features: [plugin, driftModulePagerDuty] });

    expect(added.actions.map(a => a.id)).toEqual(['pagerduty']);
    expect(added.actions[0].isDryRun()).toBe(true);
    expect(added.actions[0].outcomes).toEqual([
      'opened',
      'severity-rose',
      'escalated',
      'acknowledged',
      'resolved',
      'changed',
    ]);
  });

  it('registers an action that pages with the configured settings', async () => {
    const server = await PagerDutyEventsServer.start();
    try {
      const { plugin, added } = recordingDriftPlugin();
      await startTestBackend({
        features: [
          plugin,
          driftModulePagerDuty,
          mockServices.rootConfig.factory({
            data: {
              drift: {
                pagerduty: {
                  enabled: true,
                  eventsUrl: server.url,
                  routingKey: CONFIG_KEY,
                },
              },
            },
          }),
        ],
      });

      const [action] = added.actions;
      const result = await action.deliver(
        delivery('opened', { entity: entity() }),
        { logger: mockServices.logger.mock() },
      );

      expect(action.isDryRun()).toBe(false);
      expect(result.status).toBe('delivered');
      expect(server.events.map(e => [e.event_action, e.routing_key])).toEqual([
        ['trigger', CONFIG_KEY],
      ]);
    } finally {
      await server.stop();
    }
  });

  it('stops the backend from starting with a plain http events URL', async () => {
    const { plugin } = recordingDriftPlugin();

    await expect(
      startTestBackend({
        features: [
          plugin,
          driftModulePagerDuty,
          mockServices.rootConfig.factory({
            data: {
              drift: {
                pagerduty: { eventsUrl: 'http://events.pagerduty.com' },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(/drift.pagerduty.eventsUrl must be an https URL/);
  });
});
