import type { DriftFinding } from '@driftwatch/plugin-drift-common';

/** A finding as the backend returns it, with the fields a test cares about overridden. */
export function makeFinding(
  overrides: Partial<DriftFinding> = {},
): DriftFinding {
  return {
    id: 'f-1',
    entityRef: 'component:default/shop-cart',
    provider: 'kubernetes',
    location: 'file:../gitops/shop-cart',
    resourceKey: 'Deployment:shop:shop-cart',
    kind: 'Deployment',
    namespace: 'shop',
    name: 'shop-cart',
    resourceStatus: 'drifted',
    status: 'active',
    severity: 'high',
    score: 5,
    categories: ['VersionChange'],
    changes: [
      {
        path: '/spec/template/spec/containers/0/image',
        field: 'spec.template.spec.containers[name=cart].image',
        op: 'changed',
        category: 'VersionChange',
        severity: 'high',
        desired: 'shop/cart:1.14.2',
        live: 'shop/cart:1.15.0-rc1',
        manager: 'kubectl-set',
        time: '2026-11-22T09:00:00Z',
      },
    ],
    tier: 2,
    owner: 'group:default/team-commerce',
    system: 'system:default/commerce',
    firstDetectedAt: '2026-11-22T10:00:00Z',
    openedAt: '2026-11-22T10:00:00Z',
    lastSeenAt: '2026-11-24T10:00:00Z',
    resolvedAt: null,
    slaDueAt: '2026-11-25T10:00:00Z',
    slaBreached: false,
    acknowledgedBy: null,
    acknowledgedAt: null,
    acknowledgeNote: null,
    suppressedBy: null,
    suppressedUntil: null,
    suppressReason: null,
    closeReason: null,
    environment: null,
    ...overrides,
  };
}
