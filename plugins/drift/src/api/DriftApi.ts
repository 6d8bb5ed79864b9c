import { createApiRef } from '@backstage/core-plugin-api';

/** Outcome of the most recent scan, as reported by the backend's health route. @public */
export interface DriftScanSummary {
  id: string;
  status: string;
  finishedAt: string | null;
}

/** `GET /api/drift/health`. @public */
export interface DriftHealth {
  status: 'ok';
  database: 'ok';
  lastScan: DriftScanSummary | null;
}

/**
 * Client for the Driftwatch backend.
 *
 * @public
 */
export interface DriftApi {
  getHealth(): Promise<DriftHealth>;
}

/** @public */
export const driftApiRef = createApiRef<DriftApi>({ id: 'plugin.drift.service' });
