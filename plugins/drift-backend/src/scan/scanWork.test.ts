import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { diffResources, type KubeObject } from '@driftwatch/plugin-drift-common';
import type { DesiredStateSource, LiveStateTarget } from '@driftwatch/plugin-drift-node';
import { createTestDatabases } from '../__testUtils__/databases';
import { component, deployment } from '../__testUtils__/world';
import { DriftStore } from '../store/DriftStore';
import { connectDatabase } from '../store/migrations';
import { readDriftConfig } from './config';
import { DriftScanner } from './DriftScanner';

jest.setTimeout(60_000);

describe('DriftScanner work counts', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())('logs what each scan read and compared, and what it skipped, on %p', async databaseId => {
    const db = await connectDatabase(mockServices.database({ knex: await databases.init(databaseId) }));
    let round = 0;
    // Reads its tree the first round and answers "not modified" after; compares once, then reuses.
    const source: DesiredStateSource = {
      id: 'git',
      appliesTo: () => true,
      async readDesired(entity, options) {
        options.work?.count(round === 0 ? 'treesRead' : 'treesNotModified');
        const name = entity.metadata.name;
        return [{ targetKind: 'kubernetes', location: 'git', documents: [deployment(name, `${name}:1`)] }];
      },
    };
    const target: LiveStateTarget = {
      id: 'cluster',
      targetKind: 'kubernetes',
      async compare(requests, options) {
        return requests.map(r => {
          const { resources } = diffResources(
            r.desired.flatMap(d => d.documents as KubeObject[]),
            [deployment(r.entity.metadata.name, `${r.entity.metadata.name}:1`)],
            options.diffOptions,
          );
          options.work?.count(round === 0 ? 'diffsComputed' : 'diffsSkipped', resources.length);
          return { entityRef: r.entityRef, resources: resources.map(diff => ({ location: 'prod', diff })), errors: [] };
        });
      },
    };
    const logger = mockServices.logger.mock();
    const scanner = new DriftScanner({
      store: new DriftStore(db),
      catalog: catalogServiceMock({ entities: [component('cart', 'group:default/team-shop'), component('checkout', 'group:default/team-pay')] }),
      auth: mockServices.auth(),
      logger,
      config: readDriftConfig(mockServices.rootConfig({ data: {} })),
      secretHashKey: 'k'.repeat(32),
      sources: () => [source],
      targets: () => [target],
    });
    const scanLines = () => logger.info.mock.calls.map(([line]) => line).filter(line => / succeeded: /.test(line));

    await scanner.scan({ trigger: 'manual' });
    round++;
    await scanner.scan({ trigger: 'manual' });

    const [first, second] = scanLines();
    expect(first).toMatch(
      /: 2 entities, 0 errors; trees_read=2 not_modified=0 files_parsed=0 renders_run=0 renders_skipped=0 diffs_computed=2 diffs_skipped=0$/,
    );
    expect(second).toMatch(/; trees_read=0 not_modified=2 .* diffs_computed=0 diffs_skipped=2$/);
  });
});
