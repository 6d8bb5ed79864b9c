import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { SnapshotCluster, selectExport } from './SnapshotCluster';

const logger = mockServices.logger.mock();
const DAY = 86_400_000;
const now = new Date('2026-11-20T12:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);

describe('SnapshotCluster', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'drift-snapshot-'));
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function write(file: string, text: string) {
    await fs.mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await fs.writeFile(path.join(dir, file), text);
  }

  describe('selectExport', () => {
    beforeEach(async () => {
      for (const folder of ['13d', '6d', '0d', 'notes'])
        await fs.mkdir(path.join(dir, folder));
    });

    it('reads the youngest export without asOf', async () => {
      await expect(selectExport(dir, undefined, now)).resolves.toEqual({
        directory: path.join(dir, '0d'),
        ageDays: 0,
      });
    });

    it.each([
      [0, '0d'],
      [3, '6d'],
      [6, '6d'],
      [6.5, '13d'],
      [13, '13d'],
      [-1, '0d'],
    ])(
      'reads the newest export at or before %s days ago: %s',
      async (days, folder) => {
        const chosen = await selectExport(dir, daysAgo(days), now);
        expect(chosen.directory).toBe(path.join(dir, folder));
      },
    );

    it('finds an export although asOf was computed minutes earlier', async () => {
      const asOf = new Date(daysAgo(6).getTime() - 10 * 60_000);
      const chosen = await selectExport(dir, asOf, now);
      expect(chosen.directory).toBe(path.join(dir, '6d'));
    });

    it('fails for a time before the oldest export', async () => {
      await expect(selectExport(dir, daysAgo(14), now)).rejects.toThrow(
        /has no export as old as .* \(the oldest is 13d\)/,
      );
    });
  });

  it('reads a directory without history as one current export, whatever asOf says', async () => {
    await write(
      'deploy.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\n',
    );
    await expect(selectExport(dir, daysAgo(30), now)).resolves.toEqual({
      directory: dir,
      ageDays: 0,
    });
  });

  it('reads kind: List and multi-document exports, recursively, and filters LISTs', async () => {
    await write(
      'shop/deployments.yaml',
      [
        'apiVersion: v1',
        'kind: List',
        'items:',
        '- apiVersion: apps/v1',
        '  kind: Deployment',
        '  metadata: {name: cart, namespace: shop, labels: {backstage.io/kubernetes-id: cart}}',
        '- apiVersion: apps/v1',
        '  kind: Deployment',
        '  metadata: {name: profile, namespace: shop, labels: {backstage.io/kubernetes-id: profile}}',
        'metadata: {resourceVersion: ""}',
      ].join('\n'),
    );
    await write(
      'core/all.yml',
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: booking, namespace: core, labels: {backstage.io/kubernetes-id: booking}}',
        '---',
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: ClusterRole',
        'metadata: {name: reader}',
      ].join('\n'),
    );
    await write('.git/config.yaml', 'not: [a manifest');
    const view = await new SnapshotCluster('demo', dir).open({ logger });

    const deployments = (await view.resolveKind('apps/v1', 'Deployment'))!;
    expect(deployments).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      group: 'apps',
      namespaced: true,
    });
    const names = async (request: Parameters<typeof view.list>[0]) =>
      (await view.list(request)).map(o => o.metadata.name);
    expect(await names({ kind: deployments, namespace: 'shop' })).toEqual([
      'cart',
      'profile',
    ]);
    expect(
      await names({
        kind: deployments,
        labelSelector: 'backstage.io/kubernetes-id in (cart,booking)',
      }),
    ).toEqual(['booking', 'cart']);
    const clusterRoles = (await view.resolveKind(
      'rbac.authorization.k8s.io/v1',
      'ClusterRole',
    ))!;
    expect(clusterRoles.namespaced).toBe(false);
    expect(await names({ kind: clusterRoles, namespace: 'shop' })).toEqual([
      'reader',
    ]);
    // Kinds the export holds none of: scope from the engine's table, no objects.
    expect((await view.resolveKind('v1', 'Namespace'))!.namespaced).toBe(false);
    expect(
      await names({
        kind: (await view.resolveKind('v1', 'Secret'))!,
        namespace: 'shop',
      }),
    ).toEqual([]);
  });

  it('names the file and document of a malformed export', async () => {
    await write(
      'a.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\nkind: [broken\n',
    );

    await expect(
      new SnapshotCluster('demo', dir).open({ logger }),
    ).rejects.toThrow(/a\.yaml: document 2/);
  });

  it('fails for a directory that does not exist', async () => {
    await expect(
      new SnapshotCluster('demo', path.join(dir, 'missing')).open({ logger }),
    ).rejects.toThrow('cannot be read');
  });
});
