/** Ends a scan that its caller (the scheduler, at its timeout or shutdown) aborted. */
export class ScanAbortedError extends Error {
  name = 'ScanAbortedError' as const;
}

/**
 * Waits for `call`, but rejects once `ms` pass or `signal` aborts: a call that cannot be given
 * a signal (the catalog service's) still cannot hold a scan forever. The call itself carries on
 * in the background; its result is dropped.
 */
export async function withDeadline<T>(
  what: string,
  call: Promise<T>,
  ms: number,
  signal?: AbortSignal,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
    onAbort = () => reject(new ScanAbortedError(`${what} was aborted`));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([call, stop]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}
