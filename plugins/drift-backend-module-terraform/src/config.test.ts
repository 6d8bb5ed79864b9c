import { ConfigReader } from '@backstage/config';
import { readTerraformConfig } from './config';
import { BUILT_IN_IGNORE_RULES } from './noise/ignoreRules';

const read = (terraform?: object) =>
  readTerraformConfig(new ConfigReader(terraform ? { drift: { terraform } } : {}));

describe('readTerraformConfig', () => {
  it('defaults to HCP Terraform, a day of age, ten seconds of patience and the built-in rules', () => {
    expect(read()).toEqual({
      maxAgeMs: 86_400_000,
      ignore: BUILT_IN_IGNORE_RULES,
      cloud: {
        baseUrl: 'https://app.terraform.io',
        token: undefined,
        maxAgeMs: 86_400_000,
        timeoutMs: 10_000,
      },
    });
  });

  it('adds configured ignore rules to the built-in ones, or replaces them', () => {
    const rule = { type: 'aws_autoscaling_group', attributes: ['desired_capacity'] };
    expect(read({ ignore: [rule] }).ignore).toEqual([...BUILT_IN_IGNORE_RULES, rule]);
    expect(read({ ignore: [rule], builtInIgnore: false }).ignore).toEqual([rule]);
  });

  it('reads durations in every form, the assessments inheriting the plan age', () => {
    const config = read({
      maxAge: '36h',
      cloud: { token: ' t0ken ', timeout: { seconds: 3 }, baseUrl: 'https://tfe.example.com/' },
    });
    expect(config.maxAgeMs).toBe(36 * 3_600_000);
    expect(config.cloud).toEqual({
      baseUrl: 'https://tfe.example.com',
      token: 't0ken',
      maxAgeMs: 36 * 3_600_000,
      timeoutMs: 3_000,
    });
    expect(read({ cloud: { maxAge: 'PT6H' } }).cloud.maxAgeMs).toBe(6 * 3_600_000);
  });

  it('refuses a base URL that would send the token in the clear', () => {
    expect(() => read({ cloud: { baseUrl: 'http://tfe.example.com' } })).toThrow(
      /must be an https URL/,
    );
    expect(read({ cloud: { baseUrl: 'http://127.0.0.1:8080' } }).cloud.baseUrl).toBe(
      'http://127.0.0.1:8080',
    );
  });

  it('refuses a zero age', () => {
    expect(() => read({ maxAge: { hours: 0 } })).toThrow(
      'drift.terraform.maxAge must be longer than zero',
    );
  });
});
