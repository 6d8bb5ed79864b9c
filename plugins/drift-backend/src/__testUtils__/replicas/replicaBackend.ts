// A Driftwatch backend replica for the multi-process tests: the catalog, guest sign-in, the
// drift plugin and the fixture cluster, configured by the `--config` files it is started with.
import { createBackend } from '@backstage/backend-defaults';
import { fixtureClusterModule } from './fixtureCluster';

const backend = createBackend();
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('../../index'));
backend.add(fixtureClusterModule);
backend.start();

// Started by a test: no replica outlives it, even when the test process dies first.
process.on('disconnect', () => process.exit(1));
