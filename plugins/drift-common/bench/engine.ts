// Benchmark of the drift engine: diffs generated Deployment/Service/ConfigMap pairs (half in
// sync, half drifted) and compares the time with a raw deep-equality check of the same pairs.
// Run with `yarn bench:engine` from the repository root.
/* eslint-disable no-console */
import deepEqual from 'fast-deep-equal';
import { diffObject } from '../src';
import { generatePairs } from './generate';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 6000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

let peakRss = 0;
let peakHeap = 0;
function sampleMemory() {
  const usage = process.memoryUsage();
  peakRss = Math.max(peakRss, usage.rss);
  peakHeap = Math.max(peakHeap, usage.heapUsed);
}

function time(run: () => number): { ms: number; result: number } {
  const start = process.hrtime.bigint();
  const result = run();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  sampleMemory();
  return { ms, result };
}

function best(samples: number[]): number {
  return Math.min(...samples);
}

function main() {
  const pairs = generatePairs(PAIRS);
  sampleMemory();
  const expectedDrifted = pairs.filter(pair => pair.drifted).length;

  const diffAll = (subset: typeof pairs) => () => {
    let drifted = 0;
    for (const pair of subset) {
      if (diffObject(pair.desired, pair.live).status !== 'in-sync') drifted++;
    }
    return drifted;
  };
  const engine = diffAll(pairs);
  const inSyncOnly = diffAll(pairs.filter(pair => !pair.drifted));
  const driftedOnly = diffAll(pairs.filter(pair => pair.drifted));
  const raw = () => {
    let different = 0;
    for (const pair of pairs)
      if (!deepEqual(pair.desired, pair.live)) different++;
    return different;
  };
  // The work any correct comparison has to do: read every field of both objects once.
  const copies = pairs.map(pair => ({
    desired: JSON.parse(JSON.stringify(pair.desired)),
    live: JSON.parse(JSON.stringify(pair.live)),
  }));
  const fullRead = () => {
    let equal = 0;
    pairs.forEach((pair, i) => {
      if (
        deepEqual(pair.desired, copies[i].desired) &&
        deepEqual(pair.live, copies[i].live)
      )
        equal++;
    });
    return equal;
  };

  // Warm up the JIT on each path before timing.
  engine();
  raw();
  fullRead();

  const engineMs: number[] = [];
  const rawMs: number[] = [];
  const fullMs: number[] = [];
  const inSyncMs: number[] = [];
  const driftedMs: number[] = [];
  let found = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const e = time(engine);
    engineMs.push(e.ms);
    found = e.result;
    rawMs.push(time(raw).ms);
    fullMs.push(time(fullRead).ms);
    inSyncMs.push(time(inSyncOnly).ms);
    driftedMs.push(time(driftedOnly).ms);
  }

  const e = best(engineMs);
  const r = best(rawMs);
  const f = best(fullMs);
  const perSecond = (ms: number) =>
    Math.round((PAIRS / ms) * 1000).toLocaleString('en-US');
  const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(0)} MB`;
  console.log(
    `pairs: ${PAIRS} (Deployment/Service/ConfigMap, ${expectedDrifted} drifted), best of ${ROUNDS} rounds`,
  );
  console.log(
    `engine:     ${e.toFixed(1)} ms  ${perSecond(
      e,
    )} resources/s  (${found} drifted found)`,
  );
  const half = PAIRS / 2;
  console.log(
    `  in-sync pairs: ${((best(inSyncMs) / half) * 1000).toFixed(
      2,
    )} µs each; drifted pairs (full walk, attribution): ${(
      (best(driftedMs) / half) *
      1000
    ).toFixed(2)} µs each`,
  );
  console.log(
    `deep-equal: ${r.toFixed(1)} ms  ${perSecond(
      r,
    )} resources/s  (desired vs live, stops at the first difference)`,
  );
  console.log(
    `deep-equal: ${f.toFixed(1)} ms  ${perSecond(
      f,
    )} resources/s  (every field of both objects read once)`,
  );
  console.log(
    `ratio engine / deep-equal (first difference): ${(e / r).toFixed(2)}x`,
  );
  console.log(
    `ratio engine / deep-equal (full read):        ${(e / f).toFixed(2)}x`,
  );
  console.log(`peak memory: rss ${mb(peakRss)}, heap ${mb(peakHeap)}`);
  if (found !== expectedDrifted) {
    console.error(
      `unexpected: ${found} drifted found, ${expectedDrifted} generated`,
    );
    process.exitCode = 1;
  }
}

main();
