/**
 * Redis commands wait through a reconnect (the connections are made so), so anything that must
 * not hang on a Redis that is gone — a heartbeat, a clean-up on the way out — waits with a bound.
 */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms / 1000} s`)), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Best-effort work on the way out: done, failed or given up after `ms`, it is over. */
export async function atMost(work: Promise<unknown>, ms: number): Promise<void> {
  await withTimeout(work, ms).catch(() => {});
}
