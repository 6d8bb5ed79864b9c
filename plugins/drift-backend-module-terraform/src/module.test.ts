import fs from 'node:fs';
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
import { TerraformCloudServer } from './__testUtils__/TerraformCloudServer';
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

/** Starts the module beside a stand-in for the drift plugin, which only owns the extension points. */
async function startModule(data: object) {
  const sources: DesiredStateSource[] = [];
  const targets: LiveStateTarget[] = [];
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
    features: [driftPlugin, driftModuleTerraform, mockServices.rootConfig.factory({ data })],
  });
  return { sources, targets };
}

describe('driftModuleTerraform', () => {
  it('registers its source and target with the drift plugin, and they scan the demo plan', async () => {
    const { sources, targets } = await startModule({
      drift: { fileLocations: { roots: [examples] } },
    });

    expect(sources.map(s => s.id)).toEqual(['terraform-plan', 'terraform-cloud']);
    expect(targets.map(t => [t.id, t.targetKind])).toEqual([
      ['terraform', 'terraform'],
    ]);

    const logger = mockServices.logger.mock();
    const [source] = sources;
    expect(source.appliesTo(bookingDatabase)).toBe(true);
    const callOptions = { logger, diffOptions: { secretHashKey: 'test-key' } };
    // The demo plan is a fixed export: a day after it, it is stale.
    await expect(
      source.readDesired(bookingDatabase, {
        ...callOptions,
        asOf: new Date('2026-11-25T06:00:00Z'),
      }),
    ).rejects.toThrow(/^stale: the plan at file:..\/terraform\/booking-database.plan.json/);
    const desired = await source.readDesired(bookingDatabase, {
      ...callOptions,
      asOf: new Date('2026-11-24T08:00:00Z'),
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

  it('reads HCP Terraform assessments with the configured token and ignores the configured noise', async () => {
    const server = await TerraformCloudServer.start();
    try {
      server.setWorkspace('acme', 'booking-database', {
        assessment: {
          id: 'asmtres-1',
          createdAt: new Date(Date.now() - 3_600_000).toISOString(),
          plan: fs.readFileSync(
            path.join(examples, 'terraform', 'booking-database.plan.json'),
            'utf8',
          ),
        },
      });
      const { sources, targets } = await startModule({
        drift: {
          terraform: {
            cloud: { baseUrl: server.url, token: server.token },
            ignore: [{ type: 'aws_db_instance', attributes: ['tags', 'tags_all', 'instance_class'] }],
          },
        },
      });
      const entity: Entity = {
        ...bookingDatabase,
        metadata: {
          name: 'booking-database',
          namespace: 'default',
          annotations: { 'driftwatch.io/terraform-workspace': 'acme/booking-database' },
        },
      };
      const source = sources.find(s => s.id === 'terraform-cloud')!;
      expect(source.appliesTo(entity)).toBe(true);
      const logger = mockServices.logger.mock();
      const desired = await source.readDesired(entity, {
        logger,
        diffOptions: { secretHashKey: 'test-key' },
      });
      const [result] = await targets[0].compare(
        [{ entity, entityRef: 'resource:default/booking-database', desired }],
        { logger },
      );
      expect(result.errors).toEqual([]);
      const database = result.resources.find(r => r.diff.key === 'aws_db_instance.booking')!;
      expect(database.location).toBe(`${server.url}/app/acme/workspaces/booking-database`);
      expect(database.diff.status).toBe('in-sync');
      expect(database.diff.ignoredChanges).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  });
});
