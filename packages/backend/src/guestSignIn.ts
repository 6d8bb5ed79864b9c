import {
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';

/**
 * The guest sign-in provider, installed only when `auth.providers.guest` is configured (the
 * demo's app-config.demo.yaml): a production configuration without it signs nobody in as guest.
 */
export const guestSignIn = createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig },
  *loader({ config }) {
    if (config.has('auth.providers.guest')) {
      yield import('@backstage/plugin-auth-backend-module-guest-provider');
    }
  },
});
