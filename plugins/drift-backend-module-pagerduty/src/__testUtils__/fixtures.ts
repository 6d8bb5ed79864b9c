import type { Entity } from '@backstage/catalog-model';
import type { Change } from '@driftwatch/plugin-drift-common';
import type {
  ActionDelivery,
  FindingOutcome,
  RoutedFinding,
} from '@driftwatch/plugin-drift-node';

/** Integration keys are 32 characters; PagerDuty refuses others. */
export const ANNOTATION_KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
export const CONFIG_KEY = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';

export function change(overrides: Partial<Change> = {}): Change {
  return {
    path: '/spec/replicas',
    field: 'spec.replicas',
    op: 'changed',
    category: 'Scaling',
    severity: 'medium',
    desired: 2,
    live: 7,
    manager: 'kubectl-scale',
    time: '2026-11-30T09:12:00Z',
    ...overrides,
  };
}

export function finding(overrides: Partial<RoutedFinding> = {}): RoutedFinding {
  return {
    id: '7f9c2d1e-0b7a-4c55-9a51-3b2f6d1c8e40',
    entityRef: 'component:default/cart',
    provider: 'kubernetes',
    location: 'prod',
    resourceKey: 'Deployment:shop:cart',
    kind: 'Deployment',
    namespace: 'shop',
    name: 'cart',
    resourceStatus: 'drifted',
    status: 'active',
    severity: 'high',
    categories: ['Scaling', 'VersionChange'],
    changes: [
      change(),
      change({
        path: '/spec/template/spec/containers/0/image',
        field: 'spec.template.spec.containers[name=cart].image',
        category: 'VersionChange',
        severity: 'high',
        desired: 'registry.example.com/cart:1.4.0',
        live: 'registry.example.com/cart:1.4.1-hotfix',
        manager: 'kubectl-edit',
      }),
    ],
    tier: 1,
    owner: 'group:default/team-shop',
    system: 'system:default/checkout',
    firstDetectedAt: '2026-11-30T09:15:00Z',
    lastSeenAt: '2026-11-30T10:15:00Z',
    slaDueAt: '2026-11-30T13:15:00Z',
    slaBreached: false,
    acknowledgedBy: null,
    url: 'https://backstage.example.com/drift/findings/7f9c2d1e-0b7a-4c55-9a51-3b2f6d1c8e40',
    ...overrides,
  };
}

export function entity(annotations: Record<string, string> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'cart', namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-shop', lifecycle: 'production' },
  };
}

export function delivery(
  outcome: FindingOutcome,
  overrides: Partial<ActionDelivery> = {},
): ActionDelivery {
  return {
    intentId: `intent-${outcome}`,
    outcome,
    finding: finding(),
    entity: entity({ 'pagerduty.com/integration-key': ANNOTATION_KEY }),
    attempt: 1,
    state: undefined,
    ...overrides,
  };
}
