// Rendering through the source, with the real helm and kustomize binaries, reading the demo's
// chart and overlays in examples/gitops as `file:` and `url:` locations.
import fs from 'node:fs/promises';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import type { ParsedManifest } from '@driftwatch/plugin-drift-common';
import { FileLocationReader } from '@driftwatch/plugin-drift-node';
import { component } from '../__testUtils__/fixtures';
import { EXAMPLES, realRenderConfig } from '../__testUtils__/renderers';
import type { RenderConfig } from '../render';
import { KubernetesManifestSource } from './KubernetesManifestSource';

jest.setTimeout(60_000);

const logger = mockServices.logger.mock();
const GIT = 'https://git.example.com/acme/deploy/tree/main';

/** A UrlReader serving examples/ as `<GIT>/<path>` trees, recording what it was asked for. */
function examplesReader() {
  return mockServices.urlReader.mock({
    async readTree(url, options) {
      if (!url.startsWith(`${GIT}/`)) throw new NotFoundError(`${url} not found`);
      const dir = path.join(EXAMPLES, url.slice(GIT.length + 1));
      const files: string[] = [];
      const walk = async (relative: string) => {
        const entries = await fs.readdir(path.join(dir, relative), { withFileTypes: true }).catch(() => {
          throw new NotFoundError(`${url} not found`);
        });
        for (const entry of entries) {
          const child = relative ? `${relative}/${entry.name}` : entry.name;
          if (entry.isDirectory()) await walk(child);
          else if (!options?.filter || options.filter(child)) files.push(child);
        }
      };
      await walk('');
      return {
        etag: 'etag',
        files: async () => files.map(f => ({ path: f, content: () => fs.readFile(path.join(dir, f)) })),
        archive: async () => {
          throw new Error('not used');
        },
        dir: async () => dir,
      };
    },
  });
}

function keys(documents: unknown[]): string[] {
  return (documents as ParsedManifest[]).map(d => `${d.id.kind}:${d.id.namespace}:${d.id.name}`);
}

describe('KubernetesManifestSource rendering', () => {
  let render: RenderConfig;
  beforeAll(() => {
    render = realRenderConfig();
  });

  const catalogFile = path.join(EXAMPLES, 'catalog/components.yaml');
  function entity(name: string, annotations: Record<string, string>) {
    return component(name, {
      'backstage.io/managed-by-location': `file:${catalogFile}`,
      'backstage.io/managed-by-origin-location': `file:${catalogFile}`,
      ...annotations,
    });
  }
  function source(overrides: Partial<RenderConfig> = {}, urlReader = examplesReader()) {
    return new KubernetesManifestSource({
      urlReader,
      files: new FileLocationReader({ roots: [EXAMPLES], catalogFiles: [], maxBytes: 1 << 20 }),
      render: { ...render, ...overrides },
    });
  }
  const reviews = entity('reviews-api', {
    'driftwatch.io/source': 'file:../gitops/reviews-api/chart',
    'backstage.io/kubernetes-namespace': 'reviews',
    'driftwatch.io/helm-values': 'values.yaml,values-production.yaml',
  });

  it('renders a chart location, leaving hooks out and marking every object rendered', async () => {
    const [state] = await source().readDesired(reviews, { logger });
    expect(state.location).toBe('file:../gitops/reviews-api/chart');
    expect(keys(state.documents)).toEqual([
      'ServiceAccount:reviews:reviews-api',
      'ConfigMap:reviews:reviews-api-config',
      'Service:reviews:reviews-api',
      'Deployment:reviews:reviews-api',
    ]);
    const sources = (state.documents as ParsedManifest[]).map(d => d.source);
    expect(sources).toEqual([1, 2, 3, 4].map(document => ({ document, rendered: true })));
  });

  it('renders an overlay whose base lies above it, from file: and url: locations', async () => {
    const overlay = (ref: string) =>
      entity('inventory-service', {
        'driftwatch.io/source': ref,
        'backstage.io/kubernetes-namespace': 'inventory',
      });
    const expected = [
      'ServiceAccount:inventory:inventory-service',
      'ConfigMap:inventory:inventory-service-config',
      'Service:inventory:inventory-service',
      'Deployment:inventory:inventory-service',
    ];
    const [fromFile] = await source().readDesired(
      overlay('file:../gitops/inventory-service/overlays/production'),
      { logger },
    );
    expect(keys(fromFile.documents)).toEqual(expected);
    expect(fromFile.location).toBe('file:../gitops/inventory-service/overlays/production');

    const reader = examplesReader();
    const [fromUrl] = await source({}, reader).readDesired(
      overlay(`url:${GIT}/gitops/inventory-service/overlays/production`),
      { logger },
    );
    expect(keys(fromUrl.documents)).toEqual(expected);
    // The overlay, then the folder holding its base: never higher than the base needs.
    expect(reader.readTree.mock.calls.map(([url]) => url)).toEqual([
      `${GIT}/gitops/inventory-service/overlays/production`,
      `${GIT}/gitops/inventory-service/overlays/production`,
      `${GIT}/gitops/inventory-service`,
    ]);
  });

  it('names the tool, the entity and the location of a render error', async () => {
    const loyalty = entity('loyalty-api', {
      'driftwatch.io/source': 'file:../gitops/loyalty-api/chart',
      'driftwatch.io/helm-values': 'values.yaml,values-production.yaml',
    });
    await expect(source().readDesired(loyalty, { logger })).rejects.toThrow(
      'component:default/loyalty-api: cannot render file:../gitops/loyalty-api/chart with helm: helm failed (exit code 1): ' +
        'Error: execution error at (loyalty-api/templates/deployment.yaml:22:52): image.tag must be set for each environment',
    );
  });

  it('names the tool, the entity and the location when a binary is missing or too slow or too verbose', async () => {
    await expect(source({ helm: '/nonexistent/helm' }).readDesired(reviews, { logger })).rejects.toThrow(
      'component:default/reviews-api: cannot render file:../gitops/reviews-api/chart with helm: helm is not installed',
    );
    await expect(source({ maxOutputBytes: 500 }).readDesired(reviews, { logger })).rejects.toThrow(
      'component:default/reviews-api: cannot render file:../gitops/reviews-api/chart with helm: helm printed more than 500 bytes',
    );
    await expect(source({ timeoutMs: 1 }).readDesired(reviews, { logger })).rejects.toThrow(
      'component:default/reviews-api: cannot render file:../gitops/reviews-api/chart with helm: helm did not finish within',
    );
  });

  it('refuses a values file outside the chart', async () => {
    const escaping = entity('reviews-api', {
      'driftwatch.io/source': 'file:../gitops/reviews-api/chart',
      'driftwatch.io/helm-values': '../../../catalog/components.yaml',
    });
    await expect(source().readDesired(escaping, { logger })).rejects.toThrow(
      "component:default/reviews-api: cannot render file:../gitops/reviews-api/chart with helm: driftwatch.io/helm-values names ../../../catalog/components.yaml: values files are relative to the chart folder, without '..'",
    );
  });

  it('reads a plain folder as manifests, as without rendering', async () => {
    const [state] = await source({ helm: '/nonexistent/helm', kustomize: '/nonexistent/kustomize' }).readDesired(
      entity('search-indexer', { 'driftwatch.io/source': 'file:../gitops/search-indexer' }),
      { logger },
    );
    expect((state.documents as ParsedManifest[]).every(d => d.source.file && !d.source.rendered)).toBe(true);
    expect(state.documents.length).toBeGreaterThan(0);
  });
});
