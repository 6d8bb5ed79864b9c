import { ConfigReader } from '@backstage/config';
import type {
  ActionDelivery,
  FindingOutcome,
  RoutedFinding,
} from '@driftwatch/plugin-drift-node';

export const TOKEN = 'ghp_test-token-never-logged';

/** Config with a loopback GitHub for `github.example.com`. */
export function gitHubConfig(
  apiBaseUrl: string,
  drift: Record<string, unknown> = {},
) {
  return new ConfigReader({
    integrations: {
      github: [{ host: 'github.example.com', apiBaseUrl, token: TOKEN }],
    },
    drift: { github: { enabled: true, ...drift } },
  });
}

export const MANIFEST = `# The cart service
apiVersion: v1
kind: Service
metadata:
  name: cart
  namespace: shop
---
# Cart runs two replicas outside sales.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart   # keep in step with the Service
  namespace: shop
spec:
  replicas: 2 # raise for sales

  template:
    spec:
      containers:
      - name: sidecar
        image: 'envoy:1.29'
      - name: cart
        image: "registry.example.com/cart:1.0.0" # pinned
        env:
        - name: MODE
          value: fast
`;

export function finding(overrides: Partial<RoutedFinding> = {}): RoutedFinding {
  return {
    id: 'f3a1c2d4-0000-4000-8000-000000000001',
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
    categories: ['VersionChange', 'Scaling'],
    changes: [
      {
        path: '/spec/template/spec/containers/0/image',
        field: 'spec.template.spec.containers[name=cart].image',
        op: 'changed',
        category: 'VersionChange',
        severity: 'high',
        desired: 'registry.example.com/cart:1.0.0',
        live: 'registry.example.com/cart:1.1.0-hotfix',
        manager: 'kubectl-edit',
        operation: 'Update',
        time: '2025-01-10T09:00:00Z',
      },
      {
        path: '/spec/replicas',
        field: 'spec.replicas',
        op: 'changed',
        category: 'Scaling',
        severity: 'medium',
        desired: 2,
        live: 5,
        manager: 'kubectl',
        operation: 'Update',
        subresource: 'scale',
        time: '2025-01-10T09:05:00Z',
      },
    ],
    tier: 1,
    owner: 'group:default/team-shop',
    system: 'booking',
    firstDetectedAt: '2025-01-10T09:10:00Z',
    lastSeenAt: '2025-01-10T09:10:00Z',
    slaDueAt: '2025-01-10T13:10:00Z',
    slaBreached: false,
    acknowledgedBy: null,
    source: {
      location: 'url:https://github.example.com/acme/deploy/tree/main/cart',
      file: 'cart.yaml',
      document: 2,
      rendered: false,
    },
    url: 'https://backstage.example.com/drift/findings/f3a1c2d4',
    ...overrides,
  };
}

export function delivery(
  outcome: FindingOutcome,
  routed: RoutedFinding = finding(),
  state?: Record<string, unknown>,
): ActionDelivery {
  return {
    intentId: `intent-${outcome}`,
    outcome,
    finding: routed,
    entity: undefined,
    attempt: 1,
    state,
  };
}
