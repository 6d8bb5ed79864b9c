import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { TerraformCloudConfig } from '../config';
import { TerraformPlanTarget } from '../TerraformPlanTarget';
import { TerraformCloudServer } from '../__testUtils__/TerraformCloudServer';
import { TerraformCloudSource } from './TerraformCloudSource';

const logger = mockServices.logger.mock();
const NOW = new Date('2026-12-02T12:00:00Z');
const callOptions = { logger, asOf: NOW, diffOptions: { secretHashKey: 'test-key' } };
const SENSITIVE = 'hunter2-db-password';

/** The JSON plan of a health assessment: someone resized the disk and rotated the password. */
const plan = JSON.stringify({
  format_version: '1.2',
  terraform_version: '1.9.8',
  timestamp: '2026-12-02T08:00:00Z',
  resource_drift: [
    {
      address: 'aws_db_instance.orders',
      mode: 'managed',
      type: 'aws_db_instance',
      name: 'orders',
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: {
        actions: ['update'],
        before: { allocated_storage: 100, password: 'old-password' },
        after: { allocated_storage: 200, password: SENSITIVE },
        before_sensitive: { password: true },
        after_sensitive: { password: true },
      },
    },
  ],
  prior_state: {
    values: {
      root_module: {
        resources: [
          {
            address: 'aws_db_instance.orders',
            mode: 'managed',
            type: 'aws_db_instance',
            provider_name: 'registry.terraform.io/hashicorp/aws',
          },
          {
            address: 'aws_db_subnet_group.orders',
            mode: 'managed',
            type: 'aws_db_subnet_group',
            provider_name: 'registry.terraform.io/hashicorp/aws',
          },
        ],
      },
    },
  },
});

function resource(workspace: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'orders-db',
      namespace: 'default',
      annotations: { 'driftwatch.io/terraform-workspace': workspace },
    },
    spec: { type: 'database', owner: 'team-orders' },
  };
}

describe('TerraformCloudSource', () => {
  let server: TerraformCloudServer;
  let config: TerraformCloudConfig;

  beforeEach(async () => {
    server = await TerraformCloudServer.start();
    config = {
      baseUrl: server.url,
      token: server.token,
      maxAgeMs: 24 * 3_600_000,
      timeoutMs: 2_000,
    };
    server.setWorkspace('acme', 'orders-db', {
      assessment: { id: 'asmtres-1', createdAt: '2026-12-02T08:00:00Z', plan },
    });
  });

  afterEach(() => server.stop());

  it('applies to entities with the annotation only', () => {
    const source = new TerraformCloudSource(config);
    expect(source.appliesTo(resource('acme/orders-db'))).toBe(true);
    expect(source.appliesTo(resource(' '))).toBe(false);
  });

  it("reads the current assessment's JSON plan, following the redirect to archivist without the token", async () => {
    const source = new TerraformCloudSource(config);
    const desired = await source.readDesired(resource('acme/orders-db'), callOptions);

    expect(desired).toHaveLength(1);
    expect(desired[0].targetKind).toBe('terraform');
    expect(desired[0].location).toBe(`${server.url}/app/acme/workspaces/orders-db`);
    expect(JSON.stringify(desired)).not.toContain(SENSITIVE);

    expect(server.requests).toEqual([
      {
        server: 'api',
        path: '/api/v2/organizations/acme/workspaces/orders-db',
        authorization: `Bearer ${server.token}`,
      },
      {
        server: 'api',
        path: '/api/v2/workspaces/ws-1/current-assessment-result',
        authorization: `Bearer ${server.token}`,
      },
      {
        server: 'api',
        path: '/api/v2/assessment-results/asmtres-1/json-output',
        authorization: `Bearer ${server.token}`,
      },
      { server: 'archivist', path: '/v1/object/asmtres-1?sig=signed', authorization: undefined },
    ]);

    const [result] = await new TerraformPlanTarget().compare(
      [{ entity: resource('acme/orders-db'), entityRef: 'resource:default/orders-db', desired }],
      { logger },
    );
    expect(result.errors).toEqual([]);
    expect(
      result.resources.map(r => [r.location, r.diff.key, r.diff.status]),
    ).toEqual([
      [desired[0].location, 'aws_db_instance.orders', 'drifted'],
      [desired[0].location, 'aws_db_subnet_group.orders', 'in-sync'],
    ]);
    expect(JSON.stringify(result)).not.toContain(SENSITIVE);
  });

  it('downloads the plan of an assessment once, and again for a new assessment', async () => {
    const source = new TerraformCloudSource(config);
    const entity = resource('acme/orders-db');
    await source.readDesired(entity, callOptions);
    await source.readDesired(entity, callOptions);
    const archivistReads = () => server.requests.filter(r => r.server === 'archivist').length;
    expect(archivistReads()).toBe(1);

    server.setWorkspace('acme', 'orders-db', {
      assessment: { id: 'asmtres-2', createdAt: '2026-12-02T11:00:00Z', plan },
    });
    await source.readDesired(entity, callOptions);
    expect(archivistReads()).toBe(2);
  });

  it('reads one desired state per workspace', async () => {
    server.setWorkspace('acme', 'network', {
      assessment: { id: 'asmtres-9', createdAt: '2026-12-02T09:00:00Z', plan },
    });
    const desired = await new TerraformCloudSource(config).readDesired(
      resource('acme/orders-db,\nacme/network'),
      callOptions,
    );
    expect(desired.map(d => d.location)).toEqual([
      `${server.url}/app/acme/workspaces/orders-db`,
      `${server.url}/app/acme/workspaces/network`,
    ]);
  });

  it('says the token was refused, naming the workspace and never the token', async () => {
    const source = new TerraformCloudSource({ ...config, token: 'expired-token' });
    const read = source.readDesired(resource('acme/orders-db'), callOptions);
    await expect(read).rejects.toThrow(
      `HCP Terraform at ${server.url} refused the token for workspace acme/orders-db (401: unauthorized)`,
    );
    await expect(read).rejects.toMatchObject({ name: 'AuthenticationError' });
    const error = await read.catch(e => e);
    expect(error.message).not.toContain('expired-token');
  });

  it('says which workspace does not exist', async () => {
    await expect(
      new TerraformCloudSource(config).readDesired(resource('acme/nope'), callOptions),
    ).rejects.toThrow(
      `No workspace 'nope' in organization 'acme' at ${server.url}, or the token cannot see it`,
    );
  });

  it('says when a workspace has no assessment, or has them disabled', async () => {
    server.setWorkspace('acme', 'fresh');
    server.setWorkspace('acme', 'manual', { assessmentsEnabled: false });
    const source = new TerraformCloudSource(config);
    await expect(source.readDesired(resource('acme/fresh'), callOptions)).rejects.toThrow(
      `Workspace acme/fresh has no health assessment at ${server.url}: are health assessments enabled for it?`,
    );
    await expect(source.readDesired(resource('acme/manual'), callOptions)).rejects.toThrow(
      `Health assessments are disabled for workspace acme/manual at ${server.url}`,
    );
  });

  it('fails a failed assessment with its error', async () => {
    server.setWorkspace('acme', 'orders-db', {
      assessment: {
        id: 'asmtres-3',
        createdAt: '2026-12-02T08:00:00Z',
        succeeded: false,
        errorMessage: 'Error: No valid credential sources found',
      },
    });
    await expect(
      new TerraformCloudSource(config).readDesired(resource('acme/orders-db'), callOptions),
    ).rejects.toThrow(
      'The current health assessment of workspace acme/orders-db failed: Error: No valid credential sources found',
    );
  });

  it('fails a stale assessment without downloading its plan', async () => {
    server.setWorkspace('acme', 'orders-db', {
      assessment: { id: 'asmtres-4', createdAt: '2026-11-30T06:00:00Z', plan },
    });
    const source = new TerraformCloudSource(config);
    await expect(source.readDesired(resource('acme/orders-db'), callOptions)).rejects.toThrow(
      'stale: the assessment of workspace acme/orders-db is from 2026-11-30T06:00:00.000Z, older than 24h',
    );
    expect(server.requests.filter(r => r.server === 'archivist')).toEqual([]);

    // The same assessment, seen from a replay of that morning, is fresh.
    await expect(
      source.readDesired(resource('acme/orders-db'), {
        ...callOptions,
        asOf: new Date('2026-11-30T12:00:00Z'),
      }),
    ).resolves.toHaveLength(1);
  });

  it('gives up on a server that does not answer in time', async () => {
    server.hold = true;
    await expect(
      new TerraformCloudSource({ ...config, timeoutMs: 150 }).readDesired(
        resource('acme/orders-db'),
        callOptions,
      ),
    ).rejects.toThrow(
      `HCP Terraform at ${server.url} did not answer within 150 ms for workspace acme/orders-db`,
    );
  });

  it('refuses a JSON plan that is not one, without quoting it', async () => {
    server.setWorkspace('acme', 'orders-db', {
      assessment: {
        id: 'asmtres-5',
        createdAt: '2026-12-02T08:00:00Z',
        plan: `{"password": "${SENSITIVE}"`,
      },
    });
    const read = new TerraformCloudSource(config).readDesired(
      resource('acme/orders-db'),
      callOptions,
    );
    await expect(read).rejects.toThrow(
      /^The JSON plan of the health assessment of workspace acme\/orders-db: invalid JSON/,
    );
    const error = await read.catch(e => e);
    expect(error.message).not.toContain(SENSITIVE);
  });

  it('needs a token and well-formed workspaces', async () => {
    await expect(
      new TerraformCloudSource({ ...config, token: undefined }).readDesired(
        resource('acme/orders-db'),
        callOptions,
      ),
    ).rejects.toThrow(
      'resource:default/orders-db: driftwatch.io/terraform-workspace needs an API token in drift.terraform.cloud.token',
    );
    await expect(
      new TerraformCloudSource(config).readDesired(resource('orders-db'), callOptions),
    ).rejects.toThrow(
      'resource:default/orders-db: driftwatch.io/terraform-workspace: "orders-db" is not <organization>/<workspace>',
    );
    expect(server.requests).toEqual([]);
  });
});
