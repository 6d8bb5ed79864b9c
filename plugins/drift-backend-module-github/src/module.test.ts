import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  driftActionsExtensionPoint,
  type DriftAction,
} from '@driftwatch/plugin-drift-node';
import driftModuleGithub from './index';

describe('driftModuleGithub', () => {
  it('registers the github-pull-request action, dry until enabled', async () => {
    const actions: DriftAction[] = [];
    // Stands in for the drift backend plugin: it only owns the extension point.
    const driftPlugin = createBackendPlugin({
      pluginId: 'drift',
      register(env) {
        env.registerExtensionPoint(driftActionsExtensionPoint, {
          addAction: (...added) => actions.push(...added),
        });
        env.registerInit({ deps: {}, async init() {} });
      },
    });

    await startTestBackend({
      features: [
        driftPlugin,
        driftModuleGithub,
        mockServices.rootConfig.factory({
          data: {
            integrations: { github: [{ host: 'github.com', token: 'ghp_x' }] },
          },
        }),
      ],
    });

    expect(actions.map(a => [a.id, a.outcomes])).toEqual([
      [
        'github-pull-request',
        ['opened', 'changed', 'severity-rose', 'escalated', 'resolved'],
      ],
    ]);
    expect(actions[0].isDryRun()).toBe(true);
  });
});
