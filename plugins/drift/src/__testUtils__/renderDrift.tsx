import type { Entity } from '@backstage/catalog-model';
import { identityApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import type {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { type SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import type { ReactNode } from 'react';
import { SWRConfig } from 'swr';
import { type DriftApi, driftApiRef } from '../api';
import { rootRouteRef } from '../routes';

/** The demo catalog's shape: services linked to Git, with owners and systems. */
export function linkedEntity(
  name: string,
  owner: string,
  system: string,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'driftwatch.io/source': `file:../gitops/${name}` },
    },
    spec: { type: 'service', lifecycle: 'production', owner, system },
  };
}

/**
 * Renders a Drift component in a test app with the drift API, permissions, identity and an
 * in-memory catalog. Permission results are not cached between tests.
 */
export function renderDrift(
  element: ReactNode,
  options: {
    api?: Partial<DriftApi>;
    authorize?:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY
      | ((
          request: EvaluatePermissionRequest,
        ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY);
    ownershipEntityRefs?: string[];
    entities?: Entity[];
    routeEntries?: string[];
    /** The signals plugin's API; without it the app has no signals, as when not installed. */
    signalApi?: SignalApi;
  } = {},
) {
  return renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>
      <TestApiProvider
        apis={[
          [driftApiRef, options.api ?? {}],
          [
            permissionApiRef,
            mockApis.permission({ authorize: options.authorize }),
          ],
          [
            identityApiRef,
            mockApis.identity({
              userEntityRef: 'user:default/guest',
              ownershipEntityRefs: options.ownershipEntityRefs ?? [
                'user:default/guest',
                'group:default/team-platform',
              ],
            }),
          ],
          [catalogApiRef, catalogApiMock({ entities: options.entities ?? [] })],
          ...(options.signalApi
            ? [[signalApiRef, options.signalApi] as const]
            : []),
        ]}
      >
        {element}
      </TestApiProvider>
    </SWRConfig>,
    {
      routeEntries: options.routeEntries,
      mountedRoutes: {
        '/drift': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
}
