import { createBackend } from '@backstage/backend-defaults';
import { guestSignIn } from './guestSignIn';
import { notificationProcessors } from './notificationProcessors';
import { driftwatchPermissionPolicy } from './permissionPolicy';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in: the guest provider of the demo, only where it is configured. Add your
// organisation's provider here; see https://backstage.io/docs/auth/.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(guestSignIn);

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// Driftwatch's roles (README.md, "Security model").
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(driftwatchPermissionPolicy);

backend.add(import('@backstage/plugin-user-settings-backend'));
// Carries signals and notifications between backend replicas.
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(notificationProcessors);
backend.add(import('@backstage/plugin-signals-backend'));

backend.add(import('@driftwatch/plugin-drift-backend'));
backend.add(import('@driftwatch/plugin-drift-backend-module-kubernetes'));
backend.add(import('@driftwatch/plugin-drift-backend-module-terraform'));
// Desired state rendered by Argo CD for entities with argocd/app-name (argocd.appLocatorMethods).
backend.add(import('@driftwatch/plugin-drift-backend-module-argocd'));
// Tier-1 routing actions; both record what they would send (dry run) until enabled.
backend.add(import('@driftwatch/plugin-drift-backend-module-pagerduty'));
backend.add(import('@driftwatch/plugin-drift-backend-module-github'));

backend.start();
