import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { readDriftConfig } from '../scan/config';
import { DriftStore } from '../store/DriftStore';
import { connectDatabase } from '../store/migrations';
import { DriftRetention } from './DriftRetention';

jest.setTimeout(60_000);

const DAY = 86_400_000;
const now = new Date('2027-06-01T12:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);

describe('DriftRetention', () => {
  const databases = createTestDatabases();

  it('reads its defaults and overrides from config', () => {
    expect(readDriftConfig(mockServices.rootConfig({ data: {} })).retention).toEqual({
      eventsMs: 400 * DAY,
      scansMs: 30 * DAY,
      rollupsMs: 800 * DAY,
    });
    const config = readDriftConfig(
      mockServices.rootConfig({ data: { drift: { retention: { events: { days: 10 }, scans: '2d', rollups: { days: 3 } } } } }),
    );
    expect(config.retention).toEqual({ eventsMs: 10 * DAY, scansMs: 2 * DAY, rollupsMs: 3 * DAY });
  });

  it.each(databases.eachSupportedId())('deletes what is past retention in bounded batches on %p', async databaseId => {
    const db = await connectDatabase(mockServices.database({ knex: await databases.init(databaseId) }));
    const event = (days: number, i: number) => ({
      finding_id: `f${i}`,
      entity_ref: 'component:default/cart',
      type: 'detected',
      actor: 'driftwatch',
      at: daysAgo(days),
    });
    await db('drift_events').insert([...[401, 402, 450, 500, 900].map(event), event(399, 9), event(1, 10)]);
    const scan = (id: string, days: number, status = 'succeeded') => ({
      id,
      trigger: 'schedule',
      status,
      queued_at: daysAgo(days),
      finished_at: status === 'running' ? null : daysAgo(days),
    });
    await db('drift_scans').insert([scan('old-1', 31), scan('old-2', 40), scan('recent', 29), scan('still-running', 45, 'running')]);
    const rollup = (days: number) => ({
      day: daysAgo(days).toISOString().slice(0, 10),
      entity_ref: 'component:default/cart',
      tier: 2,
      category: 'Scaling',
      provider: 'kubernetes',
      severity: 'high',
      detected: 1,
    });
    await db('drift_daily_rollups').insert([rollup(801), rollup(802), rollup(803), rollup(799)]);

    const logger = mockServices.logger.mock();
    const retention = new DriftRetention({
      store: new DriftStore(db),
      config: readDriftConfig(mockServices.rootConfig({ data: {} })),
      logger,
      batchSize: 2,
    });
    expect(await retention.runOnce(now)).toEqual({ events: 5, scans: 2, rollups: 3, resolvedFindings: 0 });
    expect((await db('drift_events').orderBy('id').pluck('finding_id'))).toEqual(['f9', 'f10']);
    expect((await db('drift_scans').orderBy('id').pluck('id'))).toEqual(['recent', 'still-running']);
    expect(await db('drift_daily_rollups').pluck('day')).toEqual([rollup(799).day]);
    expect(logger.info).toHaveBeenCalledWith('Drift retention removed 5 events, 2 scans, 3 rollups');
    expect(await retention.runOnce(now)).toEqual({ events: 0, scans: 0, rollups: 0, resolvedFindings: 0 });
  });
});
