import { createBackend } from '@backstage/backend-defaults';
import { coreServices, createBackendModule, createServiceFactory } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { AuthorizeResult, isPermission } from '@backstage/plugin-permission-common';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { DRIFT_SOURCE_ANNOTATION, driftFindingReadPermission } from '@driftwatch/plugin-drift-common';
import { readFileSync } from 'node:fs';

// The drift backend as the benchmark measures it: the real plugin, database, auth and
// permission round trips, with a catalog of the seeded entities held in memory (the catalog's
// own speed is not what is measured). Started by bench/api.mjs with a config it writes.

const entityRefs: string[] = JSON.parse(readFileSync(process.env.DRIFT_BENCH_ENTITIES!, 'utf8'));
const entities: Entity[] = entityRefs.map(ref => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: ref.split('/')[1],
    namespace: 'default',
    annotations: { [DRIFT_SOURCE_ANNOTATION]: 'file:./k8s' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:default/team-1' },
}));

/** Readers may read; nothing else is allowed (the benchmark only reads). */
const readOnlyPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'drift-bench-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, logger: coreServices.logger },
      async init({ policy }) {
        policy.setPolicy({
          async handle(request) {
            return {
              result: isPermission(request.permission, driftFindingReadPermission)
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
            };
          },
        });
      },
    });
  },
});

const backend = createBackend();
backend.add(createServiceFactory({ service: catalogServiceRef, deps: {}, factory: () => new InMemoryCatalogClient({ entities }) }));
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(readOnlyPolicy);
backend.add(import('../src'));
backend.start();
