import type { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { ARGOCD_APP_NAME_ANNOTATION } from '@driftwatch/plugin-drift-common';
import type {
  DesiredState,
  DesiredStateSource,
  ExternalStatus,
  ProviderCallOptions,
} from '@driftwatch/plugin-drift-node';
import { ArgoCdClient } from '../client/ArgoCdClient';
import type { ArgoCdApplication, ArgoCdAppRef } from '../client/types';
import {
  destinationCluster,
  type KnownCluster,
} from '../clusters/destinationCluster';
import type { ArgoCdInstance } from '../config';
import { objectsOfManifests } from './argoManifests';

/** The Argo CD plugin's annotation that picks an instance; the first configured by default. */
export const ARGOCD_INSTANCE_NAME_ANNOTATION = 'argocd/instance-name';
/** The Argo CD plugin's annotation for applications in any namespace. */
export const ARGOCD_APP_NAMESPACE_ANNOTATION = 'argocd/app-namespace';

/** Options of {@link ArgoCdApplicationSource}. */
export interface ArgoCdApplicationSourceOptions {
  instances: ArgoCdInstance[];
  /** The clusters the Kubernetes target compares in, to map destinations onto. */
  clusters: KnownCluster[];
  requestTimeoutMs: number;
}

function externalStatusOf(
  app: string,
  application: ArgoCdApplication,
): ExternalStatus {
  const sync = application.status?.sync;
  const status: ExternalStatus = { source: 'argocd', app };
  if (sync?.status) status.sync = sync.status;
  const health = application.status?.health?.status;
  if (health) status.health = health;
  // A multi-source application has one revision per source.
  const revision = sync?.revision || sync?.revisions?.join(', ');
  if (revision) status.revision = revision;
  return status;
}

/**
 * Desired state from Argo CD: the manifests it renders for the application an entity names in
 * `argocd/app-name`, to be compared in the application's destination cluster and namespace.
 * Driftwatch still reads the live objects and applies its own rules; Argo CD's sync and health
 * status travel along, to be shown beside Driftwatch's verdict.
 */
export class ArgoCdApplicationSource implements DesiredStateSource {
  readonly id = 'argocd';

  constructor(private readonly options: ArgoCdApplicationSourceOptions) {}

  appliesTo(entity: Entity): boolean {
    return Boolean(
      entity.metadata.annotations?.[ARGOCD_APP_NAME_ANNOTATION]?.trim(),
    );
  }

  async readDesired(
    entity: Entity,
    options: ProviderCallOptions,
  ): Promise<DesiredState[]> {
    const annotations = entity.metadata.annotations ?? {};
    const app: ArgoCdAppRef = {
      name: annotations[ARGOCD_APP_NAME_ANNOTATION].trim(),
      appNamespace: annotations[ARGOCD_APP_NAMESPACE_ANNOTATION]?.trim() || undefined,
    };
    const instance = this.instanceOf(
      annotations[ARGOCD_INSTANCE_NAME_ANNOTATION]?.trim(),
    );
    const client = new ArgoCdClient(instance, this.options.requestTimeoutMs);
    const call = { signal: options.signal };
    const [application, manifests] = await Promise.all([
      client.getApplication(app, call),
      client.getManifests(app, call),
    ]);
    const destination = application.spec?.destination;
    const cluster = destinationCluster(
      destination,
      this.options.clusters,
      app.name,
    );
    const location = `argocd:${instance.name}/${app.name}`;
    return [
      {
        targetKind: 'kubernetes',
        location,
        documents: objectsOfManifests(
          manifests,
          destination?.namespace || undefined,
          location,
        ),
        cluster,
        externalStatus: externalStatusOf(app.name, application),
      },
    ];
  }

  private instanceOf(name: string | undefined): ArgoCdInstance {
    const { instances } = this.options;
    const instance = name
      ? instances.find(i => i.name === name)
      : instances[0];
    if (!instance) {
      throw new InputError(
        name
          ? `${ARGOCD_INSTANCE_NAME_ANNOTATION} names '${name}', which is not an instance of argocd.appLocatorMethods`
          : 'No Argo CD instance is configured in argocd.appLocatorMethods',
      );
    }
    return instance;
  }
}
