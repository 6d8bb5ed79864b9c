import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { driftActionsExtensionPoint } from '@driftwatch/plugin-drift-node';
import { PagerDutyAction } from './PagerDutyAction';

/**
 * PagerDuty for Driftwatch: the `pagerduty` routing action, which pages through the Events API
 * v2 with one alert per finding.
 *
 * @public
 */
export const driftModulePagerDuty = createBackendModule({
  pluginId: 'drift',
  moduleId: 'pagerduty',
  register(reg) {
    reg.registerInit({
      deps: {
        actions: driftActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ actions, config, logger }) {
        // Reading the config here makes a bad eventsUrl stop the backend at startup.
        const action = PagerDutyAction.fromConfig(config);
        if (action.isDryRun()) {
          logger.info(
            'PagerDuty paging runs dry: findings record the events they would send; set drift.pagerduty.enabled to send them',
          );
        }
        actions.addAction(action);
      },
    });
  },
});
