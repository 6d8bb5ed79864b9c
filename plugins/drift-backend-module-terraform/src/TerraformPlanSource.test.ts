import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import type { UrlReaderServiceReadUrlResponse } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { NotFoundError, NotModifiedError } from '@backstage/errors';
import { FileLocationReader } from '@driftwatch/plugin-drift-node';
import { TerraformPlanSource } from './TerraformPlanSource';

const logger = mockServices.logger.mock();
const callOptions = { logger, diffOptions: { secretHashKey: 'test-key' } };
const SENSITIVE = 'hunter2-db-password';

/** A plan without drift, in the shape the source returns (nothing to redact). */
const plan = {
  format_version: '1.2',
  terraform_version: '1.9.8',
  planned_values: { root_module: { resources: [], child_modules: [] } },
  resource_drift: [],
};

function resource(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'orders-db', namespace: 'default', annotations },
    spec: { type: 'database', owner: 'team-orders' },
  };
}

function response(
  body: string,
  etag?: string,
): UrlReaderServiceReadUrlResponse {
  return { buffer: async () => Buffer.from(body), stream: jest.fn(), etag };
}

describe('TerraformPlanSource', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'drift-terraform-'));
    await fs.mkdir(path.join(dir, 'catalog'));
    await fs.mkdir(path.join(dir, 'terraform'));
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const catalogFile = () =>
    `file:${path.join(dir, 'catalog', 'resources.yaml')}`;
  const files = () =>
    new FileLocationReader({ roots: [dir], catalogFiles: [], maxBytes: 1 << 20 });

  it('applies to entities with the annotation only', () => {
    const source = new TerraformPlanSource({
      files: files(),
      urlReader: mockServices.urlReader.mock(),
    });
    expect(
      source.appliesTo(
        resource({ 'driftwatch.io/terraform-plan': 'file:plan.json' }),
      ),
    ).toBe(true);
    expect(
      source.appliesTo(resource({ 'driftwatch.io/terraform-plan': ' ' })),
    ).toBe(false);
    expect(source.appliesTo(resource({}))).toBe(false);
  });

  it('reads a file: plan relative to the catalog file that defines the entity', async () => {
    await fs.writeFile(
      path.join(dir, 'terraform', 'orders-db.json'),
      JSON.stringify(plan),
    );
    const source = new TerraformPlanSource({
      files: files(),
      urlReader: mockServices.urlReader.mock(),
    });
    const entity = resource({
      'driftwatch.io/terraform-plan': 'file:../terraform/orders-db.json',
      'backstage.io/managed-by-origin-location': catalogFile(),
    });

    await expect(source.readDesired(entity, callOptions)).resolves.toEqual([
      {
        targetKind: 'terraform',
        location: 'file:../terraform/orders-db.json',
        documents: [plan],
      },
    ]);
  });

  it('prefers the defining catalog file to the registered location', async () => {
    await fs.mkdir(path.join(dir, 'catalog', 'team'));
    await fs.writeFile(
      path.join(dir, 'catalog', 'team', 'plan.json'),
      JSON.stringify(plan),
    );
    const source = new TerraformPlanSource({
      files: files(),
      urlReader: mockServices.urlReader.mock(),
    });
    const entity = resource({
      'driftwatch.io/terraform-plan': 'file:./plan.json',
      'backstage.io/managed-by-location': `file:${path.join(
        dir,
        'catalog',
        'team',
        'resources.yaml',
      )}`,
      'backstage.io/managed-by-origin-location': catalogFile(),
    });

    const [desired] = await source.readDesired(entity, callOptions);
    expect(desired.documents).toEqual([plan]);
  });

  it('reads one plan per location', async () => {
    await fs.writeFile(
      path.join(dir, 'terraform', 'network.json'),
      JSON.stringify(plan),
    );
    const urlReader = mockServices.urlReader.mock({
      readUrl: async () =>
        response(JSON.stringify({ ...plan, terraform_version: '1.10.0' })),
    });
    const source = new TerraformPlanSource({ urlReader, files: files() });
    const entity = resource({
      'driftwatch.io/terraform-plan':
        'file:../terraform/network.json,\nurl:https://ci.example.com/plans/orders-db.json',
      'backstage.io/managed-by-origin-location': catalogFile(),
    });

    const desired = await source.readDesired(entity, callOptions);
    expect(
      desired.map(d => [d.location, (d.documents[0] as any).terraform_version]),
    ).toEqual([
      ['file:../terraform/network.json', '1.9.8'],
      ['url:https://ci.example.com/plans/orders-db.json', '1.10.0'],
    ]);
  });

  it('reads a url: plan through the UrlReader and reuses it while the ETag holds', async () => {
    const readUrl = jest
      .fn()
      .mockResolvedValueOnce(response(JSON.stringify(plan), 'etag-1'))
      .mockRejectedValueOnce(new NotModifiedError('unchanged'));
    const source = new TerraformPlanSource({
      files: files(),
      urlReader: mockServices.urlReader.mock({ readUrl }),
    });
    const entity = resource({
      'driftwatch.io/terraform-plan':
        'url:https://github.com/acme/infra/blob/main/plans/orders-db.json',
    });

    const first = await source.readDesired(entity, callOptions);
    const second = await source.readDesired(entity, callOptions);

    expect(first).toEqual([
      {
        targetKind: 'terraform',
        location:
          'url:https://github.com/acme/infra/blob/main/plans/orders-db.json',
        documents: [plan],
      },
    ]);
    expect(second).toEqual(first);
    expect(readUrl).toHaveBeenNthCalledWith(
      2,
      'https://github.com/acme/infra/blob/main/plans/orders-db.json',
      expect.objectContaining({ etag: 'etag-1' }),
    );
  });

  it('keeps only the redacted plan, in its cache too', async () => {
    const withSecrets = {
      ...plan,
      variables: { db_password: { value: SENSITIVE } },
      configuration: { root_module: { variables: { db_password: { sensitive: true } } } },
      prior_state: {
        values: {
          root_module: {
            resources: [
              {
                address: 'aws_db_instance.orders',
                mode: 'managed',
                type: 'aws_db_instance',
                provider_name: 'registry.terraform.io/hashicorp/aws',
                values: { password: SENSITIVE },
                sensitive_values: { password: true },
              },
            ],
          },
        },
      },
      resource_drift: [
        {
          address: 'aws_db_instance.orders',
          type: 'aws_db_instance',
          change: {
            actions: ['update'],
            before: { password: 'an-older-password', port: 5432 },
            after: { password: SENSITIVE, port: 5432 },
            before_sensitive: {},
            after_sensitive: { password: true },
          },
        },
      ],
    };
    const readUrl = jest
      .fn()
      .mockResolvedValueOnce(response(JSON.stringify(withSecrets), 'etag-1'))
      .mockRejectedValueOnce(new NotModifiedError('unchanged'));
    const source = new TerraformPlanSource({
      files: files(),
      urlReader: mockServices.urlReader.mock({ readUrl }),
    });
    const entity = resource({
      'driftwatch.io/terraform-plan': 'url:https://github.com/acme/infra/blob/main/plans/orders-db.json',
    });

    const first = await source.readDesired(entity, callOptions);
    const cached = await source.readDesired(entity, callOptions);

    expect(cached).toEqual(first);
    for (const read of [first, cached]) {
      const text = JSON.stringify(read);
      expect(text).not.toContain(SENSITIVE);
      expect(text).not.toContain('an-older-password');
      expect(text).toContain('aws_db_instance.orders');
    }
  });

  it('refuses to read a plan without a key for its sensitive values', async () => {
    const source = new TerraformPlanSource({
      files: files(),
      urlReader: mockServices.urlReader.mock({
        readUrl: jest.fn().mockResolvedValue(response(JSON.stringify(plan))),
      }),
    });
    const entity = resource({
      'driftwatch.io/terraform-plan': 'url:https://github.com/acme/infra/blob/main/plans/orders-db.json',
    });
    const error = await source.readDesired(entity, { logger }).catch(e => e);
    expect(error.message).toMatch(/orders-db.json: Cannot redact a plan without a secretHashKey/);
  });

  it('names the entity, the location and the cause when a url: plan cannot be read', async () => {
    const source = new TerraformPlanSource({
      files: files(),
      urlReader: mockServices.urlReader.mock({
        readUrl: async () => {
          throw new NotFoundError(
            'https://ci.example.com/plans/orders-db.json not found',
          );
        },
      }),
    });
    const entity = resource({
      'driftwatch.io/terraform-plan':
        'url:https://ci.example.com/plans/orders-db.json',
    });

    const error = await source.readDesired(entity, callOptions).catch(e => e);
    expect(error.name).toBe('NotFoundError');
    expect(error.message).toBe(
      'resource:default/orders-db: cannot read url:https://ci.example.com/plans/orders-db.json; ' +
        'caused by NotFoundError: https://ci.example.com/plans/orders-db.json not found',
    );
  });

  it('names the entity, the location and the missing file', async () => {
    const source = new TerraformPlanSource({
      files: files(),
      urlReader: mockServices.urlReader.mock(),
    });
    const entity = resource({
      'driftwatch.io/terraform-plan': 'file:../terraform/missing.json',
      'backstage.io/managed-by-origin-location': catalogFile(),
    });

    const error = await source.readDesired(entity, callOptions).catch(e => e);
    expect(error.name).toBe('NotFoundError');
    expect(error.message).toContain(
      'resource:default/orders-db: cannot read file:../terraform/missing.json',
    );
    expect(error.message).toContain(
      "'file:../terraform/missing.json' does not exist",
    );
  });

  it('rejects bad JSON with its position and without quoting the document', async () => {
    const broken = `{\n  "format_version": "1.2",\n  "resource_drift": [\n    {"after": {"password": "${SENSITIVE}"}\n  ]\n}\n`;
    await fs.writeFile(path.join(dir, 'terraform', 'orders-db.json'), broken);
    const source = new TerraformPlanSource({
      files: files(),
      urlReader: mockServices.urlReader.mock(),
    });
    const entity = resource({
      'driftwatch.io/terraform-plan': 'file:../terraform/orders-db.json',
      'backstage.io/managed-by-origin-location': catalogFile(),
    });

    const error = await source.readDesired(entity, callOptions).catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message).toMatch(
      /^resource:default\/orders-db: file:\.\.\/terraform\/orders-db\.json: invalid JSON at line 5, column 3 \(Expected ',' or '}' after property value/,
    );
    expect(error.message).not.toContain(SENSITIVE);
  });

  it.each([
    ['an array', '[]', /expected the JSON object/],
    [
      'a document without format_version',
      '{"resource_drift": []}',
      /no format_version/,
    ],
    [
      'a state file',
      '{"format_version": "1.0", "values": {}}',
      /neither planned_values nor resource_drift/,
    ],
    [
      'a malformed resource_drift',
      '{"format_version": "1.2", "resource_drift": {}}',
      /resource_drift must be a list/,
    ],
  ])('rejects %s', async (_name, body, message) => {
    const source = new TerraformPlanSource({
      files: files(),
      urlReader: mockServices.urlReader.mock({
        readUrl: async () => response(body),
      }),
    });
    const entity = resource({
      'driftwatch.io/terraform-plan':
        'url:https://ci.example.com/orders-db.json',
    });

    const error = await source.readDesired(entity, callOptions).catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message).toMatch(
      /^resource:default\/orders-db: url:https:\/\/ci\.example\.com\/orders-db\.json: /,
    );
    expect(error.message).toMatch(message);
  });

  it.each([
    ['s3://plans/orders-db.json', /must start with 'url:' or 'file:'/],
    ['url:ftp://ci.example.com/orders-db.json', /is not an http\(s\) URL/],
    ['file:/dev/zero', /location 'file:\/dev\/zero' is an absolute path/],
    [
      'file:plan.json',
      /has no backstage.io\/managed-by-location annotation/,
    ],
  ])('rejects the location %s', async (location, message) => {
    const source = new TerraformPlanSource({
      files: files(),
      urlReader: mockServices.urlReader.mock(),
    });
    const entity = resource({ 'driftwatch.io/terraform-plan': location });

    const error = await source.readDesired(entity, callOptions).catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message).toMatch(
      /^resource:default\/orders-db: driftwatch.io\/terraform-plan /,
    );
    expect(error.message).toMatch(message);
  });

  it('refuses a relative file: location for an entity registered from a URL', async () => {
    const source = new TerraformPlanSource({
      files: files(),
      urlReader: mockServices.urlReader.mock(),
    });
    const entity = resource({
      'driftwatch.io/terraform-plan': 'file:plan.json',
      'backstage.io/managed-by-location':
        'url:https://github.com/acme/infra/blob/main/catalog-info.yaml',
    });

    await expect(source.readDesired(entity, callOptions)).rejects.toThrow(
      /use a url: location/,
    );
  });

  describe('with a maximum age', () => {
    const maxAgeMs = 24 * 3_600_000;
    const asOf = new Date('2026-12-02T12:00:00Z');
    const write = (body: object) =>
      fs.writeFile(path.join(dir, 'terraform', 'orders-db.json'), JSON.stringify(body));
    const read = () =>
      new TerraformPlanSource({
        files: files(),
        urlReader: mockServices.urlReader.mock(),
        maxAgeMs,
      }).readDesired(
        resource({
          'driftwatch.io/terraform-plan': 'file:../terraform/orders-db.json',
          'backstage.io/managed-by-origin-location': catalogFile(),
        }),
        { ...callOptions, asOf },
      );

    it('fails a plan whose timestamp is older', async () => {
      await write({ ...plan, timestamp: '2026-11-24T05:12:44Z' });
      await expect(read()).rejects.toThrow(
        'stale: the plan at file:../terraform/orders-db.json is from 2026-11-24T05:12:44.000Z, older than 24h',
      );
    });

    it('accepts a younger plan, and one too old to carry a timestamp', async () => {
      await write({ ...plan, timestamp: '2026-12-01T13:00:00Z' });
      await expect(read()).resolves.toHaveLength(1);
      await write(plan);
      await expect(read()).resolves.toHaveLength(1);
    });

    it('ages a url: plan kept by its ETag too', async () => {
      const readUrl = jest
        .fn()
        .mockResolvedValueOnce(
          response(JSON.stringify({ ...plan, timestamp: '2026-12-01T13:00:00Z' }), 'etag-1'),
        )
        .mockRejectedValue(new NotModifiedError('unchanged'));
      const source = new TerraformPlanSource({
        files: files(),
        urlReader: mockServices.urlReader.mock({ readUrl }),
        maxAgeMs,
      });
      const entity = resource({
        'driftwatch.io/terraform-plan': 'url:https://ci.example.com/plans/orders-db.json',
      });

      await expect(source.readDesired(entity, { ...callOptions, asOf })).resolves.toHaveLength(1);
      await expect(
        source.readDesired(entity, {
          ...callOptions,
          asOf: new Date('2026-12-03T14:00:00Z'),
        }),
      ).rejects.toThrow(/^stale: the plan at url:https:\/\/ci.example.com\/plans\/orders-db.json is from 2026-12-01T13:00:00.000Z/);
    });
  });
});
