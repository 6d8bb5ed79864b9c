import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { DiffOptions, JsonObject } from '../types';
import { describeChanges, diffYaml, single } from '../testing/helpers';

// The CRD the real-API-server tests install; its schema defaults nested objects and list items.
const crd = parse(
  fs.readFileSync(
    path.resolve(__dirname, '../../../../../examples/crds/backups.yaml'),
    'utf8',
  ),
);
const openApi: JsonObject = crd.spec.versions[0].schema.openAPIV3Schema;
const options: DiffOptions = {
  customResourceSchema: (apiVersion, kind) =>
    apiVersion === 'ops.driftwatch.io/v1' && kind === 'BackupSchedule'
      ? openApi
      : undefined,
};

const desired = `
apiVersion: ops.driftwatch.io/v1
kind: BackupSchedule
metadata: {name: nightly, namespace: ops}
spec:
  schedule: "0 2 * * *"
  targets:
  - name: orders-db
    tags: [pg, critical]
  - name: carts-db
`;

// What the API server returns after applying the schema's defaults.
const defaulted = (edit = '') => `
apiVersion: ops.driftwatch.io/v1
kind: BackupSchedule
metadata: {name: nightly, namespace: ops, uid: 7d2c, resourceVersion: "812", generation: 1}
spec:
  schedule: "0 2 * * *"
  suspend: false
  concurrency: Forbid
  retention: {keepLast: ${edit === 'retention' ? 3 : 7}, keepDaily: 14}
  storage: {class: standard, size: 10Gi}
  targets:
  - {name: carts-db, timeoutSeconds: 300, compression: gzip}
  - {name: orders-db, timeoutSeconds: ${edit === 'timeout' ? 60 : 300}, compression: gzip, tags: [critical, pg]}
${edit === 'label' ? '  labels: {tier: gold}\n' : ''}`;

describe('custom resource schemas', () => {
  it('reads the defaults of a structural schema: a CR applied without them is in sync', () => {
    expect(single(diffYaml(desired, defaulted(), options)).status).toBe(
      'in-sync',
    );
  });

  it('without the schema, the same defaults read as drift', () => {
    const diff = single(diffYaml(desired, defaulted()));
    expect(diff.status).toBe('drifted');
    expect(describeChanges(diff)).toEqual(
      expect.arrayContaining([
        'added /spec/concurrency ConfigurationChange',
        'added /spec/retention/keepLast ConfigurationChange',
      ]),
    );
  });

  it('matches map-type list items by their keys and finds a changed defaulted field', () => {
    const diff = single(diffYaml(desired, defaulted('timeout'), options));
    expect(diff.status).toBe('drifted');
    expect(diff.changes).toEqual([
      expect.objectContaining({
        field: 'spec.targets[name=orders-db].timeoutSeconds',
        desired: null,
        live: 60,
      }),
    ]);
  });

  it('reports a changed field of a defaulted object by itself, not the whole object', () => {
    const diff = single(diffYaml(desired, defaulted('retention'), options));
    expect(describeChanges(diff)).toEqual([
      'added /spec/retention/keepLast ConfigurationChange',
    ]);
  });

  it('finds a live-only field the schema does not default', () => {
    const diff = single(diffYaml(desired, defaulted('label'), options));
    expect(describeChanges(diff)).toEqual([
      'added /spec/labels/tier ConfigurationChange',
    ]);
  });
});
