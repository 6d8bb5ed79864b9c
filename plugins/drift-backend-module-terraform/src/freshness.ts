/**
 * A plan or assessment too old to speak for the infrastructure now: the drift it reports
 * cannot be fresher than its refresh, so its resources are unknown rather than in sync.
 */
export class StalePlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StalePlanError';
  }
}

const UNITS: Array<[string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/** `24h`, `2d`, `90m`, `1500 ms`: the largest unit that divides the duration more than once. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of UNITS) {
    if (ms % size === 0 && (ms / size >= 2 || unit === 's')) return `${ms / size}${unit}`;
  }
  return `${ms} ms`;
}

/**
 * Throws a {@link StalePlanError} when `at` lies more than `maxAgeMs` before `now`. `what`
 * names the document, as in "the assessment of workspace acme/network".
 */
export function assertFresh(
  what: string,
  at: Date,
  options: { maxAgeMs: number; now: Date },
): void {
  if (options.now.getTime() - at.getTime() <= options.maxAgeMs) return;
  throw new StalePlanError(
    `stale: ${what} is from ${at.toISOString()}, older than ${formatDuration(
      options.maxAgeMs,
    )}`,
  );
}

/**
 * When Terraform made a plan: its `timestamp` (Terraform 1.5 and later). Undefined for older
 * plans, which cannot be aged.
 */
export function planTimestamp(plan: { timestamp?: unknown }): Date | undefined {
  if (typeof plan.timestamp !== 'string') return undefined;
  const at = new Date(plan.timestamp);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
