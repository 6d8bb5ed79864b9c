import { NotAllowedError } from '@backstage/errors';
import type { ClusterView, LiveCluster } from './types';

/**
 * A configured cluster Driftwatch will not contact (plain http, a token it may not send):
 * every entity gets the reason as that cluster's location error, with its resources
 * `unknown`, instead of the cluster silently dropping out of the scan.
 */
export class RefusedCluster implements LiveCluster {
  constructor(readonly name: string, private readonly reason: string) {}

  async open(): Promise<ClusterView> {
    throw new NotAllowedError(this.reason);
  }
}
