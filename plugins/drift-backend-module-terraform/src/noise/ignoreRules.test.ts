import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { TerraformPlanTarget } from '../TerraformPlanTarget';
import { BUILT_IN_IGNORE_RULES, type TerraformIgnoreRule } from './ignoreRules';

const logger = mockServices.logger.mock();

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'orders-db', namespace: 'default' },
  spec: { type: 'database', owner: 'team-orders' },
};

function drift(
  address: string,
  type: string,
  before: object,
  after: object,
): object {
  return {
    address,
    mode: 'managed',
    type,
    name: address.split('.')[1],
    provider_name: 'registry.terraform.io/hashicorp/aws',
    change: { actions: ['update'], before, after },
  };
}

/** A refresh-only plan in which RDS moved its restore horizon and someone resized the disk. */
const plan = {
  format_version: '1.2',
  terraform_version: '1.9.8',
  planned_values: { root_module: { resources: [] } },
  resource_drift: [
    drift(
      'aws_db_instance.orders',
      'aws_db_instance',
      {
        allocated_storage: 100,
        latest_restorable_time: '2026-12-01T09:55:00Z',
      },
      {
        allocated_storage: 200,
        latest_restorable_time: '2026-12-01T10:00:00Z',
      },
    ),
    drift(
      'aws_db_instance.replica',
      'aws_db_instance',
      { latest_restorable_time: '2026-12-01T09:55:00Z' },
      { latest_restorable_time: '2026-12-01T10:00:00Z' },
    ),
    drift(
      'aws_security_group.orders',
      'aws_security_group',
      { tags_all: { team: 'orders' } },
      { tags_all: { team: 'payments' } },
    ),
    drift(
      'google_sql_database_instance.orders',
      'google_sql_database_instance',
      {
        settings: [{ tier: 'db-f1-micro', ip_configuration: [{ ipv4_enabled: true }] }],
      },
      {
        settings: [{ tier: 'db-g1-small', ip_configuration: [{ ipv4_enabled: false }] }],
      },
    ),
  ],
};

async function scan(ignore?: readonly TerraformIgnoreRule[]) {
  const target = new TerraformPlanTarget({ ignore });
  const [result] = await target.compare(
    [
      {
        entity,
        entityRef: 'resource:default/orders-db',
        desired: [{ targetKind: 'terraform', location: 'url:plan', documents: [plan] }],
      },
    ],
    { logger },
  );
  return Object.fromEntries(result.resources.map(({ diff }) => [diff.key, diff]));
}

describe('Terraform ignore rules', () => {
  it('reports refresh noise as drift without rules', async () => {
    const diffs = await scan();
    expect(diffs['aws_db_instance.replica'].status).toBe('drifted');
    expect(diffs['aws_db_instance.orders'].changes.map(c => c.field)).toEqual([
      'allocated_storage',
      'latest_restorable_time',
    ]);
  });

  it('leaves out the built-in noise and keeps the real changes, their severity and score', async () => {
    const plain = await scan();
    const diffs = await scan(BUILT_IN_IGNORE_RULES);

    const orders = diffs['aws_db_instance.orders'];
    expect(orders.status).toBe('drifted');
    expect(orders.changes.map(c => c.field)).toEqual(['allocated_storage']);
    expect(orders.ignoredChanges).toBe(1);
    expect(orders.severity).toBe(orders.changes[0].severity);
    expect(orders.score).toBeLessThan(plain['aws_db_instance.orders'].score);
    expect(orders.score).toBeGreaterThan(0);

    const replica = diffs['aws_db_instance.replica'];
    expect(replica).toMatchObject({
      status: 'in-sync',
      severity: null,
      score: 0,
      changes: [],
      ignoredChanges: 1,
    });
  });

  it('does not treat tags_all as noise', async () => {
    const diffs = await scan(BUILT_IN_IGNORE_RULES);
    expect(diffs['aws_security_group.orders'].status).toBe('drifted');
    expect(diffs['aws_security_group.orders'].changes[0].field).toBe(
      'tags_all.team',
    );
  });

  it('matches a dotted path below nested blocks, and only for its resource type', async () => {
    const diffs = await scan([
      { type: 'google_sql_database_instance', attributes: ['settings.ip_configuration'] },
      { type: 'aws_security_group', attributes: ['settings'] },
    ]);
    const sql = diffs['google_sql_database_instance.orders'];
    expect(sql.changes.map(c => c.field)).toEqual(['settings[0].tier']);
    expect(sql.ignoredChanges).toBe(1);
    expect(diffs['aws_security_group.orders'].status).toBe('drifted');
    expect(diffs['aws_db_instance.replica'].status).toBe('drifted');
  });

  it('does not let a rule on a name prefix cover a longer attribute name', async () => {
    const diffs = await scan([{ type: 'aws_db_instance', attributes: ['latest'] }]);
    expect(diffs['aws_db_instance.replica'].status).toBe('drifted');
  });
});
