import { createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  driftSourcesExtensionPoint,
  driftTargetsExtensionPoint,
  type DesiredStateSource,
  type LiveStateTarget,
} from '@driftwatch/plugin-drift-node';

/** Stands in for the drift backend: offers the extension points and keeps what is added. */
export function recordingDriftPlugin() {
  const added = {
    sources: [] as DesiredStateSource[],
    targets: [] as LiveStateTarget[],
  };
  const plugin = createBackendPlugin({
    pluginId: 'drift',
    register(env) {
      env.registerExtensionPoint(driftSourcesExtensionPoint, {
        addSource: (...sources) => added.sources.push(...sources),
      });
      env.registerExtensionPoint(driftTargetsExtensionPoint, {
        addTarget: (...targets) => added.targets.push(...targets),
      });
      env.registerInit({ deps: {}, async init() {} });
    },
  });
  return { plugin, added };
}
