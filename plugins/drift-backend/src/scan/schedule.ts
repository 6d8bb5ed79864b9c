import type { LoggerService } from '@backstage/backend-plugin-api';
import type { DriftStore } from '../store/DriftStore';
import { refreshPlannerStatistics } from '../store/migrations';
import type { DriftConfig } from './config';
import type { DriftScanner } from './DriftScanner';

const DAY_MS = 86_400_000;

/**
 * One scheduler round: fail the scans of replicas that died, replay the demo history once and
 * scan the entities that are due for their tier.
 */
export async function runScheduledScan(options: {
  store: DriftStore;
  scanner: DriftScanner;
  config: DriftConfig;
  logger: LoggerService;
  /** The scheduler's: aborted at the task's timeout or at shutdown. */
  signal?: AbortSignal;
}): Promise<void> {
  const { store, scanner, config, logger, signal } = options;
  const abandoned = await store.failExpiredScans();
  if (abandoned) logger.warn(`Failed ${abandoned} scans whose replica stopped renewing their lease`);

  if (config.demoReplayDays.length && !(await store.latestScan())) {
    const now = Date.now();
    for (const days of config.demoReplayDays) {
      const asOf = new Date(now - days * DAY_MS);
      const scanId = await scanner.scan({ trigger: 'demo', asOf, signal });
      if (signal?.aborted) return;
      const scan = await store.getScan(scanId);
      if (scan.entitiesTotal === 0) {
        // The catalog has not ingested the demo entities yet; the next round replays.
        logger.info('Demo replay waits for the catalog to list the demo entities');
        await store.deleteScan(scanId);
        return;
      }
      logger.info(`Demo replay: scanned the snapshot of ${days} day(s) ago`);
    }
  }

  // SLA breaches are flagged by the routing worker, which escalates them.
  await scanner.scan({ trigger: 'schedule', onlyDue: true, signal });
  if (signal?.aborted) return;
  await refreshPlannerStatistics(store.database);
}
