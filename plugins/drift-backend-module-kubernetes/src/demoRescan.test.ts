// `rescan:` the demo scanned twice with nothing changed in between: the second pass reads no
// tree again (every read answers "not modified" for its ETag or fingerprint), renders nothing
// and compares nothing.
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import {
  ScanWorkCounts,
  type DesiredStateSource,
  type LiveStateTarget,
  type TargetRequest,
} from '@driftwatch/plugin-drift-node';
import { startDemoModule } from './__testUtils__/demo';

jest.setTimeout(60_000);

/** One pass as a scan round makes it: every entity's desired state, then one comparison. */
async function pass(
  source: DesiredStateSource,
  target: LiveStateTarget,
  entities: Entity[],
) {
  const work = new ScanWorkCounts();
  const options = {
    logger: mockServices.logger.mock(),
    diffOptions: { secretHashKey: 'demo-key' },
    work,
  };
  const requests: TargetRequest[] = [];
  const failures: string[] = [];
  for (const entity of entities) {
    const entityRef = `component:default/${entity.metadata.name}`;
    try {
      requests.push({
        entity,
        entityRef,
        desired: await source.readDesired(entity, options),
      });
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
  const results = await target.compare(requests, options);
  return { work, results, failures };
}

function line(name: string, work: ScanWorkCounts): string {
  return (
    `${name}: trees_read=${work.get('treesRead')} not_modified=${work.get(
      'treesNotModified',
    )} ` +
    `diffs=${work.get('diffsComputed')} skipped=${work.get('diffsSkipped')}`
  );
}

describe('the demo, scanned again', () => {
  it('reads no tree twice and diffs nothing when nothing changed', async () => {
    const { source, target, entities } = await startDemoModule();

    const first = await pass(source, target, entities);
    const second = await pass(source, target, entities);
    // eslint-disable-next-line no-console
    console.log(`${line('scan', first.work)}\n${line('rescan', second.work)}`);

    expect(first.work.get('treesRead')).toBeGreaterThanOrEqual(entities.length);
    expect(first.work.get('rendersRun')).toBeGreaterThan(0);
    expect(first.work.get('diffsComputed')).toBeGreaterThan(0);

    expect(second.work.get('treesRead')).toBe(0);
    expect(second.work.get('filesParsed')).toBe(0);
    expect(second.work.get('rendersRun')).toBe(0);
    expect(second.work.get('rendersSkipped')).toBe(
      first.work.get('rendersRun'),
    );
    // Every read of the first pass was asked again, with its ETag, and answered not modified.
    expect(second.work.get('treesNotModified')).toBeGreaterThanOrEqual(
      entities.length,
    );
    expect(second.work.get('diffsComputed')).toBe(0);
    expect(second.work.get('diffsSkipped')).toBe(
      first.work.get('diffsComputed'),
    );

    // The same answers: the chart that does not render still fails, the drift is the same.
    expect(second.failures).toEqual(first.failures);
    expect(second.failures).toHaveLength(1);
    expect(second.results).toEqual(first.results);
  });
});
