import type { LoggerService } from '@backstage/backend-plugin-api';
import type { DriftConfig } from '../scan/config';
import type { DriftStore } from '../store/DriftStore';
import type { RetainedData } from '../store/retention';

/** Rows deleted per statement. */
const BATCH = 1000;
/** Batches per kind of data and round: a large backlog is worked off over several rounds. */
const MAX_BATCHES = 50;

/**
 * Deletes what is past its retention: audit events, ended scans, daily rollups and resolved
 * findings, in bounded batches.
 */
export class DriftRetention {
  constructor(
    private readonly deps: {
      store: DriftStore;
      config: Pick<DriftConfig, 'retention' | 'retentionMs'>;
      logger: LoggerService;
      batchSize?: number;
    },
  ) {}

  async runOnce(now = new Date()): Promise<Record<RetainedData, number>> {
    const { retention, retentionMs } = this.deps.config;
    const ages: Record<RetainedData, number> = {
      events: retention.eventsMs,
      scans: retention.scansMs,
      rollups: retention.rollupsMs,
      resolvedFindings: retentionMs,
    };
    const deleted = { events: 0, scans: 0, rollups: 0, resolvedFindings: 0 };
    const batchSize = this.deps.batchSize ?? BATCH;
    for (const data of Object.keys(ages) as RetainedData[]) {
      const cutoff = new Date(now.getTime() - ages[data]);
      for (let i = 0; i < MAX_BATCHES; i++) {
        const n = await this.deps.store.purgeBefore(data, cutoff, batchSize);
        deleted[data] += n;
        if (n < batchSize) break;
      }
    }
    const summary = Object.entries(deleted).filter(([, n]) => n > 0);
    if (summary.length) {
      this.deps.logger.info(`Drift retention removed ${summary.map(([data, n]) => `${n} ${data}`).join(', ')}`);
    }
    return deleted;
  }
}
