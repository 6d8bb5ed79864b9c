// With the real helm and kustomize binaries (scripts/kube.sh build-renderers).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { component } from '../__testUtils__/fixtures';
import { EXAMPLES, realRenderConfig } from '../__testUtils__/renderers';
import type { RenderConfig } from './config';
import { ManifestRenderer } from './ManifestRenderer';
import type { TreeFile } from './materializeTree';

jest.setTimeout(60_000);

async function readTree(root: string): Promise<TreeFile[]> {
  const out: TreeFile[] = [];
  const walk = async (relative: string) => {
    for (const entry of await fs.readdir(path.join(root, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else out.push({ path: child, content: await fs.readFile(path.join(root, child)) });
    }
  };
  await walk('');
  return out;
}

const file = (p: string, text: string) => ({ path: p, content: Buffer.from(text) });

function objects(output: string) {
  return parseAllDocuments(output)
    .map(d => d.toJS())
    .filter(Boolean)
    .map(o => ({ kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace, object: o }));
}

const reviews = component('reviews-api', {
  'backstage.io/kubernetes-namespace': 'reviews',
  'driftwatch.io/helm-values': 'values.yaml,values-production.yaml',
});

describe('ManifestRenderer', () => {
  let config: RenderConfig;
  beforeAll(() => {
    config = realRenderConfig();
  });

  it('renders a chart with its values files in order, into the release namespace', async () => {
    const files = await readTree(path.join(EXAMPLES, 'gitops/reviews-api/chart'));
    const output = await new ManifestRenderer(config).render({ tool: 'helm', files, dir: '', entity: reviews });
    const rendered = objects(output);
    expect(rendered.map(o => `${o.kind}:${o.namespace}:${o.name}`)).toEqual([
      'ServiceAccount:reviews:reviews-api',
      'ConfigMap:reviews:reviews-api-config',
      'Service:reviews:reviews-api',
      'Deployment:reviews:reviews-api',
      'Pod:reviews:reviews-api-smoke-test',
    ]);
    const deployment = rendered.find(o => o.kind === 'Deployment')!.object;
    // values-production.yaml, given last, wins over values.yaml.
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.template.spec.containers[0].resources.limits.memory).toBe('512Mi');
    expect(rendered.find(o => o.kind === 'ConfigMap')!.object.data).toEqual({
      LOG_LEVEL: 'info',
      REVIEWS_PAGE_SIZE: '50',
    });
  });

  it('uses only values files the annotation names, and the release name it gives', async () => {
    const files = await readTree(path.join(EXAMPLES, 'gitops/reviews-api/chart'));
    const output = await new ManifestRenderer(config).render({
      tool: 'helm',
      files,
      dir: '',
      entity: component('reviews-api', {
        'driftwatch.io/helm-release': 'reviews-canary',
        'driftwatch.io/helm-namespace': 'canary',
      }),
    });
    const deployment = objects(output).find(o => o.kind === 'Deployment')!;
    expect([deployment.name, deployment.namespace, deployment.object.spec.replicas]).toEqual([
      'reviews-canary',
      'canary',
      1,
    ]);
  });

  it('renders vendored chart dependencies and fails on missing ones, offline', async () => {
    const chart = (dependencies: boolean) => [
      file(
        'Chart.yaml',
        'apiVersion: v2\nname: web\nversion: 1.0.0\ndependencies:\n  - name: cache\n    version: 0.1.0\n    repository: https://charts.example.com\n',
      ),
      file('templates/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n'),
      ...(dependencies
        ? [
            file('charts/cache/Chart.yaml', 'apiVersion: v2\nname: cache\nversion: 0.1.0\n'),
            file('charts/cache/templates/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cache}\n'),
          ]
        : []),
    ];
    const renderer = new ManifestRenderer(config);
    const entity = component('web');
    const output = await renderer.render({ tool: 'helm', files: chart(true), dir: '', entity });
    expect(objects(output).map(o => o.name).sort()).toEqual(['cache', 'web']);
    await expect(renderer.render({ tool: 'helm', files: chart(false), dir: '', entity })).rejects.toThrow(
      /^helm failed \(exit code 1\): Error: .*missing in charts\/ directory: cache/,
    );
  });

  it('fails with helm’s message for a template error', async () => {
    const files = await readTree(path.join(EXAMPLES, 'gitops/loyalty-api/chart'));
    await expect(
      new ManifestRenderer(config).render({
        tool: 'helm',
        files,
        dir: '',
        entity: component('loyalty-api', { 'driftwatch.io/helm-values': 'values.yaml,values-production.yaml' }),
      }),
    ).rejects.toThrow(
      'helm failed (exit code 1): Error: execution error at (loyalty-api/templates/deployment.yaml:22:52): image.tag must be set for each environment',
    );
  });

  it('builds a kustomize overlay over its base', async () => {
    const files = await readTree(path.join(EXAMPLES, 'gitops/inventory-service'));
    const renderer = new ManifestRenderer(config);
    const entity = component('inventory-service');
    const production = objects(
      await renderer.render({ tool: 'kustomize', files, dir: 'overlays/production', entity }),
    );
    expect(production.map(o => `${o.kind}:${o.namespace}:${o.name}`)).toEqual([
      'ServiceAccount:inventory:inventory-service',
      'ConfigMap:inventory:inventory-service-config',
      'Service:inventory:inventory-service',
      'Deployment:inventory:inventory-service',
    ]);
    const deployment = production.find(o => o.kind === 'Deployment')!.object;
    expect(deployment.spec.replicas).toBe(4);
    expect(deployment.metadata.labels['backstage.io/kubernetes-id']).toBe('inventory-service');
    const staging = objects(await renderer.render({ tool: 'kustomize', files, dir: 'overlays/staging', entity }));
    expect(staging.find(o => o.kind === 'Deployment')!.object.spec.template.spec.containers[0].image).toBe(
      'registry.example.com/inventory-service:3.3.0-rc2',
    );
  });

  it('refuses a remote base without running kustomize', async () => {
    const files = [
      file('kustomization.yaml', 'resources:\n  - https://github.com/acme/platform//base?ref=v1\n'),
    ];
    await expect(
      new ManifestRenderer({ ...config, kustomize: '/nonexistent/kustomize' }).render({
        tool: 'kustomize',
        files,
        dir: '',
        entity: component('a'),
      }),
    ).rejects.toThrow(/is not installed/);
    await expect(
      new ManifestRenderer(config).render({ tool: 'kustomize', files, dir: '', entity: component('a') }),
    ).rejects.toThrow(
      'kustomization.yaml refers to the remote base https://github.com/acme/platform//base?ref=v1: remote bases are not fetched',
    );
  });

  it('stops a render past the output cap', async () => {
    const files = await readTree(path.join(EXAMPLES, 'gitops/reviews-api/chart'));
    await expect(
      new ManifestRenderer({ ...config, maxOutputBytes: 1000 }).render({
        tool: 'helm',
        files,
        dir: '',
        entity: reviews,
      }),
    ).rejects.toThrow('helm printed more than 1000 bytes (drift.render.maxOutputBytes)');
  });

  it('stops a render past the timeout, and says when a binary is missing', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'drift-slow-helm-'));
    try {
      const slow = path.join(dir, 'helm');
      await fs.writeFile(slow, '#!/bin/sh\nsleep 60\n', { mode: 0o755 });
      const files = [file('Chart.yaml', 'apiVersion: v2\nname: a\nversion: 1.0.0\n')];
      await expect(
        new ManifestRenderer({ ...config, helm: slow, timeoutMs: 200 }).render({
          tool: 'helm',
          files,
          dir: '',
          entity: component('a'),
        }),
      ).rejects.toThrow('helm did not finish within 0.2 s (drift.render.timeout)');
      await expect(
        new ManifestRenderer({ ...config, helm: path.join(dir, 'none') }).render({
          tool: 'helm',
          files,
          dir: '',
          entity: component('a'),
        }),
      ).rejects.toThrow(`helm is not installed: drift.render.helm is ${path.join(dir, 'none')}`);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
