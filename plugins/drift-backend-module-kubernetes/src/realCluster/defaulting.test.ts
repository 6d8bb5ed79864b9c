// Against a real kube-apiserver (scripts/kube.sh): whatever the server defaults, allocates or
// records in managedFields must never read as drift, however the objects were applied.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { parseAllDocuments, stringify } from 'yaml';
import {
  isClusterScoped,
  type KubeObject,
} from '@driftwatch/plugin-drift-common';
import type { TargetResult } from '@driftwatch/plugin-drift-node';
import { component, request } from '../__testUtils__/fixtures';
import {
  realTarget,
  startRealCluster,
  type RealCluster,
} from '../__testUtils__/realCluster';

jest.setTimeout(300_000);

const ID_LABEL = 'backstage.io/kubernetes-id';

/** Keeps namespaces of one run apart from those of earlier runs on the same control plane. */
const RUN = Math.random().toString(36).slice(2, 6);

const ROOT = path.resolve(__dirname, '../../../..');
// The public corpora live next to the repository when it is checked out beside them, or where
// DRIFTWATCH_CORPUS points; the demo's own GitOps folders are always there.
const SHARED = process.env.DRIFTWATCH_CORPUS ?? path.resolve(ROOT, '../shared/corpus');

interface Case {
  name: string;
  objects: KubeObject[];
}

function readObjects(file: string): KubeObject[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map(doc => doc.toJS())
    .filter(
      (object): object is KubeObject =>
        typeof object?.kind === 'string' && object.kind !== 'List',
    );
}

/** Every desired object of the demo's GitOps folders and of the public corpora, per case. */
function loadCases(): Case[] {
  const cases: Case[] = [];
  const gitops = path.join(ROOT, 'examples/gitops');
  for (const app of fs.readdirSync(gitops).sort()) {
    const dir = path.join(gitops, app);
    cases.push({
      name: `gitops/${app}`,
      objects: fs
        .readdirSync(dir)
        .filter(file => /\.ya?ml$/.test(file))
        .sort()
        .flatMap(file => readObjects(path.join(dir, file))),
    });
  }
  for (const set of ['cases', 'argo']) {
    const dir = path.join(SHARED, set);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, name, 'desired.yaml');
      if (fs.existsSync(file)) {
        cases.push({ name: `${set}/${name}`, objects: readObjects(file) });
      }
    }
  }
  return cases;
}

/** The ways a team puts objects into a cluster; each gets its own namespaces. */
const WAYS = {
  'client-side apply': { prefix: 'csa', args: ['apply', '-f'] },
  'server-side apply': { prefix: 'ssa', args: ['apply', '--server-side', '-f'] },
  create: { prefix: 'cre', args: ['create', '-f'] },
} as const;
type Way = keyof typeof WAYS;

/**
 * The case's objects moved into one namespace of their own (cluster-scoped ones renamed), so
 * that cases declaring the same object and the three ways never meet.
 */
function placed(objects: KubeObject[], namespace: string): KubeObject[] {
  return objects.map(object => {
    const copy = structuredClone(object);
    // The entity reads only objects carrying its id, as Backstage's Kubernetes plugin links them.
    copy.metadata = {
      ...copy.metadata,
      labels: { ...(copy.metadata.labels as object), [ID_LABEL]: namespace },
    };
    if (isClusterScoped(copy.kind)) {
      copy.metadata.name = `${namespace}-${copy.metadata.name}`;
      delete copy.metadata.namespace;
    } else {
      copy.metadata.namespace = namespace;
    }
    return copy;
  });
}

const keyOf = (object: KubeObject) =>
  `${object.kind}:${object.metadata.namespace ?? ''}:${object.metadata.name}`;

interface Applied {
  entities: Array<{ caseName: string; namespace: string; objects: KubeObject[] }>;
  rejected: Array<{ caseName: string; object: string; reason: string }>;
}

/**
 * Applies every case one way with kubectl, one file per object so that a rejection names its
 * object. Objects the server rejects are left out of the comparison and listed.
 */
async function applyAll(
  cluster: RealCluster,
  cases: Case[],
  way: Way,
): Promise<Applied> {
  const { prefix, args } = WAYS[way];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `drift-${prefix}-`));
  const entities: Applied['entities'] = [];
  const files = new Map<string, { caseName: string; object: KubeObject }>();
  const namespaces: string[] = [];
  cases.forEach((c, index) => {
    const namespace = `${prefix}-${RUN}-${index}`;
    namespaces.push(namespace);
    const objects = placed(c.objects, namespace);
    entities.push({ caseName: c.name, namespace, objects });
    objects.forEach((object, i) => {
      const file = path.join(dir, `${namespace}-${i}.yaml`);
      fs.writeFileSync(file, stringify(object));
      files.set(file, { caseName: c.name, object });
    });
  });
  await cluster.kubectl(
    ['apply', '-f', '-'],
    namespaces
      .map(name => stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }))
      .join('---\n'),
  );
  // Secrets are compared where the operator grants the optional secret reader role.
  await cluster.kubectl(
    ['apply', '-f', '-'],
    namespaces
      .map(namespace =>
        stringify({
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: 'driftwatch-secret-reader', namespace },
          roleRef: {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'ClusterRole',
            name: 'driftwatch-secret-reader',
          },
          subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'driftwatch' }],
        }),
      )
      .join('---\n'),
  );
  await cluster.kubectl(['apply', '-f', path.join(ROOT, 'plugins/drift-backend-module-kubernetes/rbac/driftwatch-secret-reader.yaml')]);

  const result = await cluster.tryKubectl([...args, dir]);
  const rejected: Applied['rejected'] = [];
  for (const line of result.stderr.split('\n')) {
    const file = [...files.keys()].find(f => line.includes(`"${f}"`));
    if (!file) continue;
    const { caseName, object } = files.get(file)!;
    rejected.push({ caseName, object: keyOf(object), reason: line.replace(/.*?: /, '').slice(0, 200) });
    files.delete(file);
  }
  if (result.code !== 0 && rejected.length === 0) {
    throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr}`);
  }
  const kept = new Set([...files.values()].map(f => f.object));
  for (const entity of entities) {
    entity.objects = entity.objects.filter(object => kept.has(object));
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return { entities, rejected };
}

function summarize(results: TargetResult[]) {
  const counts: Record<string, number> = {};
  const notInSync: string[] = [];
  for (const result of results) {
    for (const { diff, error } of result.resources) {
      counts[diff.status] = (counts[diff.status] ?? 0) + 1;
      if (diff.status !== 'in-sync') {
        notInSync.push(
          `${result.entityRef} ${diff.key} ${diff.status}${error ? ` (${error})` : ''}: ${diff.changes
            .map(c => `${c.op} ${c.path} desired=${JSON.stringify(c.desired)} live=${JSON.stringify(c.live)}`)
            .join('; ')}`,
        );
      }
    }
    for (const error of result.errors) notInSync.push(`${result.entityRef}: ${error.message}`);
  }
  return { counts, notInSync };
}

describe('a real API server', () => {
  let cluster: RealCluster;
  const cases = loadCases();

  beforeAll(async () => {
    cluster = await startRealCluster();
  });

  it.each(Object.keys(WAYS) as Way[])(
    'reports every object applied by %s in sync',
    async way => {
      const { entities, rejected } = await applyAll(cluster, cases, way);
      const target = realTarget(
        { real: cluster },
        { clusterScopedKinds: [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' }] },
      );
      const requests = entities.map(({ namespace, objects }) =>
        request(
          component(namespace, {
            [ID_LABEL]: namespace,
            'backstage.io/kubernetes-namespace': namespace,
          }),
          objects,
        ),
      );
      const applied = entities.reduce((n, e) => n + e.objects.length, 0);

      const results = await target.compare(requests, {
        logger: mockServices.logger.mock(),
        diffOptions: { secretHashKey: 'real-cluster-test' },
      });
      const { counts, notInSync } = summarize(results);

      const listed = rejected
        .map(r => `${r.caseName} ${r.object}: ${r.reason}`)
        .join('; ');
      // eslint-disable-next-line no-console
      console.log(
        `${way}: ${applied} objects applied in ${entities.length} namespaces, ` +
          `${rejected.length} rejected by the server (${listed}); ` +
          `verdicts ${JSON.stringify(counts)}`,
      );
      expect(notInSync).toEqual([]);
      expect(counts['in-sync']).toBe(applied);
      // The demo's GitOps objects alone, or with the public corpora beside the repository.
      expect(applied).toBeGreaterThan(fs.existsSync(SHARED) ? 150 : 40);
    },
  );
});
