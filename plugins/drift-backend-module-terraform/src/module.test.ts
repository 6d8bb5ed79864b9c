import path from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  driftSourcesExtensionPoint,
  driftTargetsExtensionPoint,
  type DesiredStateSource,
  type LiveStateTarget,
} from '@driftwatch/plugin-drift-node';
import driftModuleTerraform from './index';

const examples = path.resolve(__dirname, '../../../examples');

/** The demo catalog's Terraform-managed database, as the catalog serves it. */
const bookingDatabase: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'booking-database',
    namespace: 'default',
    annotations: {
      'driftwatch.io/terraform-plan':
        'file:../terraform/booking-database.plan.json',
      'backstage.io/managed-by-location': `file:${path.join(
        examples,
        'catalog',
        'components.yaml',
      )}`,
      'backstage.io/managed-by-origin-location': `file:${path.join(
        examples,
        'catalog',
        'components.yaml',
      )}`,
    },
  },
  spec: { type: 'database', owner: 'team-booking' },
};

describe('driftModuleTerraform', () => {
  it('registers its source and target with the drift plugin, and they scan the demo plan', async () => {
    const sources: DesiredStateSource[] = [];
    const targets: LiveStateTarget[] = [];
    // Stands in for the drift backend plugin: it only owns the extension points.
    const driftPlugin = createBackendPlugin({
      pluginId: 'drift',
      register(env) {
        env.registerExtensionPoint(driftSourcesExtensionPoint, {
          addSource: (...added) => sources.push(...added),
        });
        env.registerExtensionPoint(driftTargetsExtensionPoint, {
          addTarget: (...added) => targets.push(...added),
        });
        env.registerInit({ deps: {}, async init() {} });
      },
    });

    await startTestBackend({
      features: [
        driftPlugin,
        driftModuleTerraform,
        mockServices.rootConfig.factory({
          data: { drift: { fileLocations: { roots: [examples] } } },
        }),
      ],
    });

    expect(sources.map(s => s.id)).toEqual(['terraform-plan']);
    expect(targets.map(t => [t.id, t.targetKind])).toEqual([
      ['terraform', 'terraform'],
    ]);

    const logger = mockServices.logger.mock();
    const [source] = sources;
    expect(source.appliesTo(bookingDatabase)).toBe(true);
    const desired = await source.readDesired(bookingDatabase, {
      logger,
      diffOptions: { secretHashKey: 'test-key' },
    });
    const [result] = await targets[0].compare(
      [
        {
          entity: bookingDatabase,
          entityRef: 'resource:default/booking-database',
          desired,
        },
      ],
      { logger },
    );
    expect(result.errors).toEqual([]);
    expect(
      result.resources
        .filter(r => r.diff.status !== 'in-sync')
        .map(r => r.diff.key)
        .sort(),
    ).toEqual([
      'aws_db_instance.booking',
      'aws_secretsmanager_secret_version.booking_db_master',
      'aws_vpc_security_group_ingress_rule.booking_db_from_eks',
    ]);
  });
});
