import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parseManifests } from '../parse/parseManifests';
import { diffObject } from '../compare/diff';
import { canonicalHash, normalizeObject } from './normalizeObject';
import type { KubeObject } from '../types';

// The repository's demo manifests and exports are always there; the shared corpora live next to
// the repository (../shared/corpus from its root) when it is checked out beside them, or where
// DRIFTWATCH_CORPUS points.
const repoRoot = path.resolve(__dirname, '../../../../..');
const corpusRoot =
  process.env.DRIFTWATCH_CORPUS ?? path.resolve(repoRoot, '../shared/corpus');

/** Helm charts and Kustomize folders hold templates and patches, not objects, until rendered. */
const RENDERER_INPUTS = ['Chart.yaml', 'kustomization.yaml', 'kustomization.yml', 'Kustomization'];

function yamlFilesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  if (RENDERER_INPUTS.some(file => fs.existsSync(path.join(dir, file)))) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return yamlFilesUnder(full);
    return /\.ya?ml$/.test(entry.name) ? [full] : [];
  });
}

function corpusObjects(): Array<[string, KubeObject]> {
  const files = [
    ...yamlFilesUnder(path.join(repoRoot, 'examples/gitops')),
    ...yamlFilesUnder(path.join(repoRoot, 'examples/live')),
    ...yamlFilesUnder(corpusRoot).filter(file => /(desired|live)\.yaml$/.test(file)),
  ];
  return files.flatMap(file =>
    parseManifests(fs.readFileSync(file, 'utf8'), { file }).map(
      (manifest): [string, KubeObject] => [
        `${path.relative(path.dirname(repoRoot), file)} ${manifest.id.kind}/${manifest.id.name}`,
        manifest.object,
      ],
    ),
  );
}

const objects = corpusObjects();

describe('every object of the corpora and the demo', () => {
  it.each(objects)(
    '%s is in sync with itself and normalizes idempotently',
    (_name, object) => {
      const diff = diffObject(object, structuredClone(object));
      expect(diff.changes).toEqual([]);
      expect(diff.status).toBe('in-sync');
      const once = normalizeObject(object);
      expect(normalizeObject(once)).toEqual(once);
      expect(diffObject(once, object).status).toBe('in-sync');
      expect(canonicalHash(once)).toBe(canonicalHash(object));
    },
  );
});

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
const quantity = fc.oneof(
  fc.constantFrom('100m', '0.5', '1', '2', '250m', '1500m'),
  fc.constantFrom('128Mi', '1Gi', '1024Mi', '512M', '2G'),
);
const envVar = fc.record({
  name: fc.stringMatching(/^[A-Z][A-Z_]{0,8}$/),
  value: fc.string({ maxLength: 12 }),
});
const container = fc.record(
  {
    name,
    image: fc
      .tuple(name, fc.constantFrom('1.0.0', 'latest', '2.3'))
      .map(([image, tag]) => `example.com/${image}:${tag}`),
    args: fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }),
    env: fc.uniqueArray(envVar, { selector: v => v.name, maxLength: 4 }),
    ports: fc.uniqueArray(
      fc.record({
        containerPort: fc.integer({ min: 1, max: 65535 }),
        protocol: fc.constantFrom('TCP', 'UDP'),
      }),
      {
        selector: p => `${p.containerPort}/${p.protocol}`,
        maxLength: 3,
      },
    ),
    resources: fc.record(
      { requests: fc.record({ cpu: quantity, memory: quantity }) },
      { requiredKeys: [] },
    ),
    imagePullPolicy: fc.constantFrom('Always', 'IfNotPresent'),
  },
  { requiredKeys: ['name', 'image'] },
);
const deployment = fc
  .record({
    name,
    replicas: fc.integer({ min: 0, max: 20 }),
    containers: fc.uniqueArray(container, {
      selector: c => c.name,
      minLength: 1,
      maxLength: 3,
    }),
    hostNetwork: fc.boolean(),
    labels: fc.dictionary(name, name, { maxKeys: 3 }),
  })
  .map(
    ({
      name: objectName,
      replicas,
      containers,
      hostNetwork,
      labels,
    }): KubeObject => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: objectName, namespace: 'prop', labels },
      spec: {
        replicas,
        template: { metadata: { labels }, spec: { containers, hostNetwork } },
      },
    }),
  );

interface GeneratedContainer {
  env?: unknown[];
  ports?: unknown[];
}

function containersOf(object: KubeObject): GeneratedContainer[] {
  const spec = object.spec as unknown as {
    template: { spec: { containers: GeneratedContainer[] } };
  };
  return spec.template.spec.containers;
}

function reversedLists(object: KubeObject): KubeObject {
  const copy = structuredClone(object);
  const containers = containersOf(copy);
  for (const c of containers) {
    c.env?.reverse();
    c.ports?.reverse();
  }
  containers.reverse();
  return copy;
}

describe('generated objects', () => {
  it('are in sync with themselves, and normalizing them is idempotent', () => {
    fc.assert(
      fc.property(deployment, object => {
        expect(diffObject(object, structuredClone(object)).status).toBe(
          'in-sync',
        );
        const once = normalizeObject(object);
        expect(normalizeObject(once)).toEqual(once);
      }),
      { numRuns: 200 },
    );
  });

  it('do not drift when map-like lists are reordered', () => {
    fc.assert(
      fc.property(deployment, object => {
        expect(diffObject(object, reversedLists(object)).status).toBe(
          'in-sync',
        );
        expect(canonicalHash(reversedLists(object))).toBe(
          canonicalHash(object),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('drift when a live-only env var is added', () => {
    fc.assert(
      fc.property(deployment, object => {
        const live = structuredClone(object);
        const first = containersOf(live)[0];
        first.env = [...(first.env ?? []), { name: 'ADDED_LIVE', value: 'x' }];
        expect(diffObject(object, live).status).toBe('drifted');
      }),
      { numRuns: 100 },
    );
  });
});
