/**
 * Runs at most `max` tasks at a time, in the order they were queued. One limiter per cluster
 * keeps a scan round from flooding an API server with parallel LISTs.
 */
export class ConcurrencyLimiter {
  private running = 0;
  private readonly queue: Array<() => void> = [];

  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1) {
      throw new Error(`Concurrency must be a positive integer, got ${max}`);
    }
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) {
      await new Promise<void>(resolve => this.queue.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      // Hand the slot straight to the next task so `running` never overshoots `max`.
      if (next) next();
      else this.running--;
    }
  }
}
