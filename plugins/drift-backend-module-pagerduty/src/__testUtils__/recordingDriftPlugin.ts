import { createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  driftActionsExtensionPoint,
  type DriftAction,
} from '@driftwatch/plugin-drift-node';

/** Stands in for the drift backend: offers the actions extension point and keeps what is added. */
export function recordingDriftPlugin() {
  const added = { actions: [] as DriftAction[] };
  const plugin = createBackendPlugin({
    pluginId: 'drift',
    register(env) {
      env.registerExtensionPoint(driftActionsExtensionPoint, {
        addAction: (...actions) => added.actions.push(...actions),
      });
      env.registerInit({ deps: {}, async init() {} });
    },
  });
  return { plugin, added };
}
