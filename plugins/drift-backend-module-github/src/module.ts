import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { driftActionsExtensionPoint } from '@driftwatch/plugin-drift-node';
import { GitHubPullRequestAction } from './action/GitHubPullRequestAction';

/**
 * GitHub for Driftwatch: the `github-pull-request` routing action, a hotfix pull request per
 * drift finding, with credentials from `integrations.github`.
 *
 * @public
 */
export const driftModuleGithub = createBackendModule({
  pluginId: 'drift',
  moduleId: 'github',
  register(reg) {
    reg.registerInit({
      deps: {
        actions: driftActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ actions, config, logger }) {
        const action = GitHubPullRequestAction.fromConfig(config);
        if (action.isDryRun()) {
          logger.info(
            'Hotfix pull requests run dry: drift.github.enabled is not true, or no ' +
              'integrations.github entry has a token or an App',
          );
        }
        actions.addAction(action);
      },
    });
  },
});
