import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { DriftAction } from './actions';
import type { DesiredStateSource, LiveStateTarget } from './providers';

/**
 * Lets modules add sources of desired state (Git manifests, Terraform plans, ...).
 *
 * @public
 */
export interface DriftSourcesExtensionPoint {
  addSource(...sources: DesiredStateSource[]): void;
}

/**
 * Extension point for desired-state sources.
 *
 * @public
 */
export const driftSourcesExtensionPoint =
  createExtensionPoint<DriftSourcesExtensionPoint>({
    id: 'drift.sources',
  });

/**
 * Lets modules add readers of live state (Kubernetes clusters, snapshots, clouds, ...).
 *
 * @public
 */
export interface DriftTargetsExtensionPoint {
  addTarget(...targets: LiveStateTarget[]): void;
}

/**
 * Extension point for live-state targets.
 *
 * @public
 */
export const driftTargetsExtensionPoint =
  createExtensionPoint<DriftTargetsExtensionPoint>({
    id: 'drift.targets',
  });

/**
 * Lets modules add routing actions (PagerDuty, pull requests, ...), referenced by id from
 * `drift.routing`.
 *
 * @public
 */
export interface DriftActionsExtensionPoint {
  addAction(...actions: DriftAction[]): void;
}

/**
 * Extension point for routing actions.
 *
 * @public
 */
export const driftActionsExtensionPoint =
  createExtensionPoint<DriftActionsExtensionPoint>({
    id: 'drift.actions',
  });
