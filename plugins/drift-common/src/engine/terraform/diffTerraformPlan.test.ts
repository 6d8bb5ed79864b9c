import { TerraformPlanError, diffTerraformPlan } from './diffTerraformPlan';
import { classifyTerraformChange } from './classify';

const plan = {
  format_version: '1.2',
  terraform_version: '1.9.5',
  resource_drift: [
    {
      address: 'aws_instance.web',
      mode: 'managed',
      type: 'aws_instance',
      name: 'web',
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: {
        actions: ['update'],
        before: {
          instance_type: 't3.small',
          tags: { env: 'prod', owner: 'shop' },
          ami: 'ami-1',
          user_data: 'x',
        },
        after: {
          instance_type: 't3.large',
          tags: { env: 'prod', owner: 'someone' },
          ami: 'ami-1',
          user_data: 'x',
        },
        before_sensitive: {},
        after_sensitive: {},
      },
    },
    {
      address: 'aws_security_group.db',
      mode: 'managed',
      type: 'aws_security_group',
      name: 'db',
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: {
        actions: ['update'],
        before: {
          ingress: [
            { from_port: 5432, to_port: 5432, cidr_blocks: ['10.0.0.0/16'] },
          ],
        },
        after: {
          ingress: [
            { from_port: 5432, to_port: 5432, cidr_blocks: ['0.0.0.0/0'] },
          ],
        },
        before_sensitive: {},
        after_sensitive: {},
      },
    },
    {
      address: 'aws_db_instance.main',
      mode: 'managed',
      type: 'aws_db_instance',
      name: 'main',
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: {
        actions: ['update'],
        before: {
          password: 'hunter2-before',
          allocated_storage: 20,
          parameters: { a: 'k3y-before' },
        },
        after: {
          password: 'hunter2-after',
          allocated_storage: 50,
          parameters: { a: 'k3y-after' },
        },
        before_sensitive: { password: true, parameters: { a: true } },
        after_sensitive: { password: true, parameters: { a: true } },
      },
    },
    {
      address: 'aws_s3_bucket.logs',
      mode: 'managed',
      type: 'aws_s3_bucket',
      name: 'logs',
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: { actions: ['delete'], before: { bucket: 'logs' }, after: null },
    },
  ],
};

describe('diffTerraformPlan', () => {
  const report = diffTerraformPlan(plan);

  it('turns resource_drift entries into findings with categories', () => {
    expect(report.drifted).toBe(true);
    expect(report.summary).toMatchObject({ total: 4, drifted: 3, missing: 1 });
    const [web, sg, db, bucket] = report.resources;
    expect(web).toMatchObject({
      address: 'aws_instance.web',
      type: 'aws_instance',
      provider: 'registry.terraform.io/hashicorp/aws',
    });
    expect(
      web.changes.map(c => [c.path, c.category, c.desired, c.live]),
    ).toEqual([
      ['/instance_type', 'ResourceChange', 't3.small', 't3.large'],
      ['/tags/owner', 'LabelChange', 'shop', 'someone'],
    ]);
    expect(sg.changes.map(c => c.category)).toEqual(['SecurityChange']);
    expect(sg.severity).toBe('critical');
    expect(db.changes.map(c => [c.path, c.category])).toEqual([
      ['/allocated_storage', 'ResourceChange'],
      ['/parameters/a', 'ConfigurationChange'],
      ['/password', 'SecretChange'],
    ]);
    expect(bucket).toMatchObject({ status: 'missing', severity: 'high' });
  });

  it('redacts sensitive values', () => {
    const text = JSON.stringify(report);
    for (const secret of [
      'hunter2-before',
      'hunter2-after',
      'k3y-before',
      'k3y-after',
    ])
      expect(text).not.toContain(secret);
    const db = report.resources[2];
    expect(db.changes[2]).toMatchObject({
      desired: { redacted: true },
      live: { redacted: true },
    });
  });

  it('redacts what either side marks sensitive, on both sides', () => {
    const entry = (beforeSensitive: unknown, afterSensitive: unknown) => ({
      format_version: '1.2',
      resource_drift: [
        {
          address: 'aws_ssm_document.app',
          type: 'aws_ssm_document',
          change: {
            actions: ['update'],
            // Lists of different length are reported whole, with their marks.
            before: { settings: [{ name: 'a', value: 'old-s3cret' }] },
            after: {
              settings: [
                { name: 'a', value: 'old-s3cret' },
                { name: 'b', value: 'new-s3cret' },
              ],
            },
            before_sensitive: beforeSensitive,
            after_sensitive: afterSensitive,
          },
        },
      ],
    });
    const changeOf = (document: unknown) => diffTerraformPlan(document).resources[0].changes[0];
    const markedBefore = changeOf(entry({ settings: [{ value: true }] }, {}));
    expect(markedBefore.path).toBe('/settings');
    expect(markedBefore.live).toEqual([
      { name: 'a', value: { redacted: true } },
      { name: 'b', value: 'new-s3cret' },
    ]);
    const markedAfter = changeOf(entry({}, { settings: [{ value: true }, { value: true }] }));
    expect(markedAfter.desired).toEqual([{ name: 'a', value: { redacted: true } }]);
    expect(JSON.stringify(markedAfter)).not.toMatch(/s3cret/);
  });

  it('accepts a plan without drift and rejects what is not a plan', () => {
    expect(
      diffTerraformPlan({ format_version: '1.2', planned_values: {} }),
    ).toMatchObject({ drifted: false, resources: [] });
    expect(() => diffTerraformPlan([])).toThrow(TerraformPlanError);
    expect(() => diffTerraformPlan({ hello: 'world' })).toThrow(
      /not a Terraform JSON plan/,
    );
  });

  it.each([
    ['aws_instance', ['tags', 'team'], 'LabelChange'],
    ['aws_iam_role_policy', ['policy'], 'SecurityChange'],
    ['google_compute_firewall', ['source_ranges'], 'SecurityChange'],
    ['aws_eks_node_group', ['scaling_config', '0', 'desired_size'], 'Scaling'],
    ['aws_db_instance', ['engine_version'], 'VersionChange'],
    ['aws_lb_listener', ['port'], 'PortChange'],
    [
      'aws_instance',
      ['root_block_device', '0', 'volume_size'],
      'ResourceChange',
    ],
    [
      'aws_lambda_function',
      ['environment', '0', 'variables', 'MODE'],
      'ConfigurationChange',
    ],
    ['aws_secretsmanager_secret_version', ['secret_string'], 'SecretChange'],
  ])('%s %j is %s', (type, path, category) => {
    expect(classifyTerraformChange(type, path)).toBe(category);
  });
});
