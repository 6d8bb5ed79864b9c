import fs from 'node:fs';
import path from 'node:path';
import type { JsonObject } from '../types';
import { diffTerraformPlan } from './diffTerraformPlan';
import { redactTerraformPlan } from './redactPlan';

const demoPlan: JsonObject = JSON.parse(
  fs.readFileSync(
    path.resolve(__dirname, '../../../../../examples/terraform/booking-database.plan.json'),
    'utf8',
  ),
);
const SECRETS = ['demo-booking-master-password-2026-09', 'demo-booking-master-password-2026-11'];

describe('redactTerraformPlan', () => {
  it('keeps nothing sensitive, and the same drift', () => {
    expect(JSON.stringify(demoPlan)).toContain(SECRETS[0]);
    const redacted = redactTerraformPlan(demoPlan, { secretHashKey: 'k' });
    const text = JSON.stringify(redacted);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(Object.keys(redacted).sort()).toEqual([
      'format_version',
      'planned_values',
      'prior_state',
      'resource_drift',
      'terraform_version',
    ]);
    expect(diffTerraformPlan(redacted)).toEqual(diffTerraformPlan(demoPlan));
  });

  it('tells a changed sensitive value from an unchanged one', () => {
    const plan = (after: string) => ({
      format_version: '1.2',
      resource_drift: [
        {
          address: 'aws_db_instance.main',
          type: 'aws_db_instance',
          change: {
            actions: ['update'],
            before: { password: 'hunter2', tags: { a: 'b' } },
            after: { password: after, tags: { a: 'c' } },
            before_sensitive: { password: true },
            after_sensitive: {},
          },
        },
      ],
    });
    const changes = (after: string) =>
      diffTerraformPlan(redactTerraformPlan(plan(after), { secretHashKey: 'k' })).resources[0].changes.map(
        c => [c.path, c.desired, c.live],
      );
    expect(changes('hunter2')).toEqual([['/tags/a', 'b', 'c']]);
    expect(changes('hunter3')).toEqual([
      ['/password', { redacted: true }, { redacted: true }],
      ['/tags/a', 'b', 'c'],
    ]);
  });

  it('redacts a value that only one side marks sensitive, on both sides', () => {
    const plan = (marks: { before_sensitive: JsonObject; after_sensitive: JsonObject }) => ({
      format_version: '1.2',
      resource_drift: [
        {
          address: 'aws_db_instance.main',
          type: 'aws_db_instance',
          change: {
            actions: ['update'],
            before: { password: 'old-secret-value' },
            after: { password: 'new-secret-value' },
            ...marks,
          },
        },
      ],
    });
    const oneSided: Array<{ before_sensitive: JsonObject; after_sensitive: JsonObject }> = [
      { before_sensitive: { password: true }, after_sensitive: {} },
      { before_sensitive: {}, after_sensitive: { password: true } },
    ];
    for (const marks of oneSided) {
      const text = JSON.stringify(redactTerraformPlan(plan(marks), { secretHashKey: 'k' }));
      expect(text).not.toContain('old-secret-value');
      expect(text).not.toContain('new-secret-value');
    }
  });

  it('needs a key', () => {
    expect(() => redactTerraformPlan(demoPlan, { secretHashKey: undefined })).toThrow(/secretHashKey/);
  });
});
