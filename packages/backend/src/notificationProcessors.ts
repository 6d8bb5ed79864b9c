import {
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';

/**
 * Where Backstage notifications go besides the app, each installed only once it is configured:
 * Slack with `notifications.processors.slack` (a bot token), email with
 * `notifications.processors.email` (a transport and sender). Driftwatch's tier-2 owner
 * notifications reach both through them.
 */
export const notificationProcessors = createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig },
  *loader({ config }) {
    if (config.has('notifications.processors.slack')) {
      yield import('@backstage/plugin-notifications-backend-module-slack');
    }
    if (config.has('notifications.processors.email')) {
      yield import('@backstage/plugin-notifications-backend-module-email');
    }
  },
});
