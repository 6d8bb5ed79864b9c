import fs from 'node:fs';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { TargetRequest } from '@driftwatch/plugin-drift-node';
import { TerraformPlanTarget } from './TerraformPlanTarget';

const logger = mockServices.logger.mock();

/** The demo plan: a refresh-only plan of the booking database. */
const demoPlanText = fs.readFileSync(
  path.resolve(
    __dirname,
    '../../../examples/terraform/booking-database.plan.json',
  ),
  'utf8',
);
const SECRETS = [
  'demo-booking-master-password-2026-09',
  'demo-booking-master-password-2026-11',
];

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'booking-database', namespace: 'default' },
  spec: { type: 'database', owner: 'team-booking' },
};

function request(...documents: unknown[]): TargetRequest {
  return {
    entity,
    entityRef: 'resource:default/booking-database',
    desired: [
      {
        targetKind: 'terraform',
        location: 'file:../terraform/booking-database.plan.json',
        documents,
      },
    ],
  };
}

describe('TerraformPlanTarget', () => {
  const target = new TerraformPlanTarget();

  it('turns resource_drift into findings and reports the other managed resources in sync', async () => {
    const [result] = await target.compare([request(JSON.parse(demoPlanText))], {
      logger,
    });

    expect(result.entityRef).toBe('resource:default/booking-database');
    expect(result.errors).toEqual([]);
    expect(new Set(result.resources.map(r => r.location))).toEqual(
      new Set(['file:../terraform/booking-database.plan.json']),
    );
    const summary = Object.fromEntries(
      result.resources.map(({ diff }) => [
        diff.key,
        [diff.status, [...new Set(diff.changes.map(c => c.category))].sort()],
      ]),
    );
    expect(summary).toEqual({
      'aws_db_instance.booking': ['drifted', ['LabelChange', 'ResourceChange']],
      'aws_secretsmanager_secret_version.booking_db_master': [
        'drifted',
        ['SecretChange'],
      ],
      'aws_vpc_security_group_ingress_rule.booking_db_from_eks': [
        'drifted',
        ['SecurityChange'],
      ],
      'aws_cloudwatch_metric_alarm.booking_db_cpu': ['in-sync', []],
      'aws_db_parameter_group.booking_pg16': ['in-sync', []],
      'aws_db_subnet_group.booking': ['in-sync', []],
      'aws_secretsmanager_secret.booking_db_master': ['in-sync', []],
      'aws_security_group.booking_db': ['in-sync', []],
    });

    const rule = result.resources.find(
      r =>
        r.diff.key ===
        'aws_vpc_security_group_ingress_rule.booking_db_from_eks',
    )!;
    expect(rule.diff).toMatchObject({
      kind: 'aws_vpc_security_group_ingress_rule',
      severity: 'critical',
    });
    expect(rule.diff.changes).toContainEqual(
      expect.objectContaining({
        path: '/cidr_ipv4',
        desired: '10.42.0.0/16',
        live: '0.0.0.0/0',
      }),
    );
    const database = result.resources.find(
      r => r.diff.key === 'aws_db_instance.booking',
    )!;
    expect(database.diff.changes).toContainEqual(
      expect.objectContaining({
        field: 'instance_class',
        desired: 'db.r6g.large',
        live: 'db.r6g.xlarge',
      }),
    );
  });

  it('never returns a sensitive value', async () => {
    const [result] = await target.compare([request(JSON.parse(demoPlanText))], {
      logger,
    });

    const secret = result.resources.find(
      r => r.diff.key === 'aws_secretsmanager_secret_version.booking_db_master',
    )!;
    expect(secret.diff.changes).toEqual([
      expect.objectContaining({
        path: '/secret_string',
        category: 'SecretChange',
        desired: { redacted: true },
        live: { redacted: true },
      }),
    ]);
    const output = JSON.stringify(result);
    for (const value of SECRETS) expect(output).not.toContain(value);
  });

  it('applies the configured severities and weights', async () => {
    const [result] = await target.compare([request(JSON.parse(demoPlanText))], {
      logger,
      diffOptions: {
        severities: { SecurityChange: 'high' },
        weights: { SecurityChange: 1 },
      },
    });

    const rule = result.resources.find(
      r =>
        r.diff.key ===
        'aws_vpc_security_group_ingress_rule.booking_db_from_eks',
    )!;
    expect(rule.diff).toMatchObject({ severity: 'high', score: 2 });
  });

  it('reports resources of child modules under their module address', async () => {
    const plan = {
      format_version: '1.2',
      resource_drift: [
        {
          address: 'module.queue.aws_sqs_queue.orders',
          module_address: 'module.queue',
          mode: 'managed',
          type: 'aws_sqs_queue',
          name: 'orders',
          provider_name: 'registry.terraform.io/hashicorp/aws',
          change: {
            actions: ['delete'],
            before: { name: 'orders' },
            after: null,
          },
        },
      ],
      prior_state: {
        values: {
          root_module: {
            child_modules: [
              {
                address: 'module.queue',
                resources: [
                  {
                    address: 'module.queue.aws_sqs_queue.dead_letters',
                    mode: 'managed',
                    type: 'aws_sqs_queue',
                    name: 'dead_letters',
                    provider_name: 'registry.terraform.io/hashicorp/aws',
                  },
                  {
                    address: 'module.queue.data.aws_iam_policy_document.send',
                    mode: 'data',
                    type: 'aws_iam_policy_document',
                    name: 'send',
                  },
                ],
              },
            ],
          },
        },
      },
    };

    const [result] = await target.compare([request(plan)], { logger });

    expect(
      result.resources.map(r => [r.diff.key, r.diff.namespace, r.diff.status]),
    ).toEqual([
      ['module.queue.aws_sqs_queue.orders', 'module.queue', 'missing'],
      ['module.queue.aws_sqs_queue.dead_letters', 'module.queue', 'in-sync'],
    ]);
  });

  it('reports a plan it cannot read as an error of its location, and reads the others', async () => {
    const broken = { format_version: '1.2', resource_drift: [{ change: {} }] };
    const good: TargetRequest = {
      ...request(JSON.parse(demoPlanText)),
      entityRef: 'resource:default/other-database',
    };

    const [bad, other] = await target.compare([request(broken), good], {
      logger,
    });

    expect(bad).toEqual({
      entityRef: 'resource:default/booking-database',
      resources: [],
      errors: [
        {
          location: 'file:../terraform/booking-database.plan.json',
          message: 'resource_drift[0] lacks an address or a change',
        },
      ],
    });
    expect(other.errors).toEqual([]);
    expect(other.resources).toHaveLength(8);
  });

  it('ignores desired state of other kinds', async () => {
    const [result] = await target.compare(
      [
        {
          ...request(),
          desired: [
            { targetKind: 'kubernetes', location: 'git', documents: [{}] },
          ],
        },
      ],
      { logger },
    );
    expect(result).toEqual({
      entityRef: 'resource:default/booking-database',
      resources: [],
      errors: [],
    });
  });
});
