import { metrics } from '@opentelemetry/api';
import type { Knex } from 'knex';
import { SCAN_WORK, type ScanWorkCounts } from '@driftwatch/plugin-drift-node';

/**
 * OpenTelemetry instruments. Active findings and event totals are observed from the database
 * when a reader collects, so every replica reports the same shared truth.
 */
export class DriftMetrics {
  private readonly meter = metrics.getMeter('driftwatch');
  private readonly scanDuration = this.meter.createHistogram('drift.scan.duration', {
    description: 'Duration of drift scans',
    unit: 's',
  });
  private readonly scanWork = this.meter.createCounter('drift.scan.work', {
    description:
      'Reads, parses, renders and comparisons of scans, and those skipped because nothing changed, by work',
  });

  constructor(db: Knex) {
    const activeFindings = this.meter.createObservableGauge('drift.findings.active', {
      description: 'Unresolved drift findings by severity and tier',
    });
    const events = this.meter.createObservableGauge('drift.events', {
      description: 'Drift lifecycle and audit events recorded, by type',
    });
    this.meter.addBatchObservableCallback(
      async observer => {
        const active: Array<{ severity: string; tier: number; count: unknown }> = await db('drift_findings')
          .whereNot('status', 'resolved')
          .select('severity', 'tier')
          .count({ count: '*' })
          .groupBy('severity', 'tier');
        for (const row of active) {
          observer.observe(activeFindings, Number(row.count), {
            severity: String(row.severity),
            tier: String(row.tier),
          });
        }
        const byType: Array<{ type: string; count: unknown }> = await db('drift_events').select('type').count({ count: '*' }).groupBy('type');
        for (const row of byType) {
          observer.observe(events, Number(row.count), { type: String(row.type) });
        }
      },
      [activeFindings, events],
    );
  }

  recordScan(status: string, durationMs: number): void {
    this.scanDuration.record(durationMs / 1000, { status });
  }

  recordWork(work: ScanWorkCounts): void {
    for (const { work: name, label } of SCAN_WORK) {
      const count = work.get(name);
      if (count > 0) this.scanWork.add(count, { work: label });
    }
  }
}
