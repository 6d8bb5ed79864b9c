// The demo as the demo backend runs it (app-config.demo.yaml), for tests of the module.
import fs from 'node:fs';
import path from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { parseAllDocuments } from 'yaml';
import driftModuleKubernetes from '../index';
import { realRenderConfig } from './renderers';
import { recordingDriftPlugin } from './recordingDriftPlugin';

const repo = path.resolve(__dirname, '../../../..');
/** The demo backend runs in packages/backend: the demo config's paths are relative to it. */
const backendDir = path.join(repo, 'packages/backend');
const fromBackend = (target: string) => path.resolve(backendDir, target);

/** The demo config's catalog and drift sections, with their paths made absolute. */
export function demoConfig() {
  const [document] = parseAllDocuments(
    fs.readFileSync(path.join(repo, 'app-config.demo.yaml'), 'utf8'),
  );
  const { catalog, drift } = document.toJS();
  for (const location of catalog.locations) {
    location.target = fromBackend(location.target);
  }
  for (const snapshot of drift.kubernetes.snapshots) {
    snapshot.directory = fromBackend(snapshot.directory);
  }
  drift.fileLocations.roots = drift.fileLocations.roots.map(fromBackend);
  // scripts/start.sh puts the binaries on PATH; here they are named.
  const { helm, kustomize } = realRenderConfig();
  drift.render = { ...drift.render, helm, kustomize };
  return { catalog, drift };
}

/** The demo components, annotated with their locations as the catalog does. */
export function demoComponents(catalogFile: string): Entity[] {
  return parseAllDocuments(fs.readFileSync(catalogFile, 'utf8'))
    .map(document => document.toJS() as Entity)
    .filter(entity => entity.kind === 'Component')
    .map(entity => ({
      ...entity,
      metadata: {
        ...entity.metadata,
        namespace: 'default',
        annotations: {
          ...entity.metadata.annotations,
          'backstage.io/managed-by-location': `file:${catalogFile}`,
          'backstage.io/managed-by-origin-location': `file:${catalogFile}`,
        },
      },
    }));
}

/** The module started with the demo config: its source, its target and the demo components. */
export async function startDemoModule() {
  const config = demoConfig();
  const catalogFile = config.catalog.locations.find((l: { target: string }) =>
    l.target.endsWith('components.yaml'),
  ).target;
  const { plugin, added } = recordingDriftPlugin();
  await startTestBackend({
    features: [
      plugin,
      driftModuleKubernetes,
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
  const [source] = added.sources;
  const [target] = added.targets;
  return { source, target, entities: demoComponents(catalogFile) };
}
