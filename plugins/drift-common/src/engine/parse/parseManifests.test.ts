import { ManifestError } from './errors';
import { indexManifests, parseManifests } from './parseManifests';
import { resourceKey } from './identity';

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('parseManifests', () => {
  it('reads multi-document YAML and skips empty documents', () => {
    const manifests = parseManifests(
      `---
apiVersion: v1
kind: ConfigMap
metadata: {name: a, namespace: shop}
---
# only a comment
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: b, namespace: shop}
---
`,
      { file: 'app.yaml' },
    );
    expect(manifests.map(m => resourceKey(m.id))).toEqual([
      'ConfigMap:shop:a',
      'Deployment:shop:b',
    ]);
    expect(manifests[1].id).toEqual({
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'b',
    });
    expect(manifests[1].source).toEqual({ file: 'app.yaml', document: 3 });
  });

  it('expands kind: List (YAML and JSON) and keeps the item number', () => {
    const yaml = parseManifests(`apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Service, metadata: {name: a, namespace: x}}
- {apiVersion: v1, kind: Service, metadata: {name: b, namespace: x}}
metadata: {resourceVersion: ""}
`);
    expect(yaml.map(m => m.source.item)).toEqual([1, 2]);
    const json = parseManifests(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'ServiceList',
        items: [
          {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name: 'c', namespace: 'x' },
          },
        ],
      }),
    );
    expect(json.map(m => m.id.name)).toEqual(['c']);
  });

  it('gives cluster-scoped objects no namespace and maps legacy groups', () => {
    const [role, deployment] =
      parseManifests(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: viewer, namespace: ignored}
---
apiVersion: extensions/v1beta1
kind: Deployment
metadata: {name: old, namespace: shop}
`);
    expect(role.id.namespace).toBeUndefined();
    expect(resourceKey(role.id)).toBe('ClusterRole:viewer');
    expect(deployment.id.group).toBe('apps');
  });

  it('reads YAML as kubectl does: 0644 is octal, yes is a boolean, timestamps stay text', () => {
    const [object] = parseManifests(`apiVersion: v1
kind: ConfigMap
metadata: {name: a, creationTimestamp: 2025-03-13T10:07:00Z}
spec: {mode: 0644, flag: yes}
`);
    expect(object.object.spec).toEqual({ mode: 420, flag: true });
    expect(object.object.metadata.creationTimestamp).toBe(
      '2025-03-13T10:07:00Z',
    );
  });

  it('names the file and the 1-based document of malformed YAML', () => {
    expect(() =>
      parseManifests(
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\ndata: [1, 2\n',
        { file: 'bad.yaml' },
      ),
    ).toThrow(/^bad\.yaml: document 2: invalid YAML at line \d+: /);
  });

  it('rejects duplicate keys', () => {
    expect(() =>
      parseManifests(
        'apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: {name: a}\n',
        { file: 'dup.yaml' },
      ),
    ).toThrow(/dup\.yaml: document 1: .*unique/);
  });

  it('stops alias bombs', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
      'f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]',
      'g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]',
    ].join('\n');
    expect(() => parseManifests(bomb, { file: 'bomb.yaml' })).toThrow(
      /bomb\.yaml: document 1: cannot read YAML/,
    );
  });

  it('rejects documents that are not Kubernetes objects, without quoting them', () => {
    expect(() => parseManifests('- a\n- b\n', { file: 'list.yaml' })).toThrow(
      'list.yaml: document 1: not a Kubernetes object (found a list, expected a mapping with apiVersion, kind and metadata.name)',
    );
    expect(() =>
      parseManifests(
        'apiVersion: v1\nkind: Secret\nstringData: {password: hunter2}\n',
        { file: 's.yaml' },
      ),
    ).toThrow(/^s\.yaml: document 1: not a Kubernetes object \(no metadata\)$/);
    const error = thrown(() =>
      parseManifests(
        'apiVersion: v1\nkind: List\nitems:\n- {kind: Secret, data: {p: aHVudGVyMg==}}\n',
        { file: 'l.yaml' },
      ),
    );
    expect(error).toBeInstanceOf(ManifestError);
    expect(error.message).toBe(
      'l.yaml: document 1 (item 1): not a Kubernetes object (no apiVersion, metadata)',
    );
    expect(error.message).not.toContain('aHVudGVyMg');
  });

  it('reports two objects with the same identity, naming both places', () => {
    const first = parseManifests(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\n',
      { file: 'one.yaml' },
    );
    const second = parseManifests(
      'apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: x}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\n',
      {
        file: 'two.yaml',
      },
    );
    expect(() => indexManifests([...first, ...second])).toThrow(
      'two.yaml: document 2: ConfigMap:x:a is defined twice (also in one.yaml document 1)',
    );
  });
});
