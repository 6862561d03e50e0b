/**
 * Data sets (shared markets, replay legs, worker engines) kept at once, on the main thread and in
 * each worker: by default the current run's and one more; a universe, whose series run their
 * phases at the same time, keeps one per series in flight and one more (ExecutorOptions.dataSets),
 * so interleaved batches of several series do not evict each other.
 */
export const DATA_SETS_KEPT = 2;

/** A list of at most `size` entries, the most recently found or added first; the oldest is dropped. */
export function recentlyUsed<T>(size: number): { find(match: (e: T) => boolean): T | undefined; add(e: T, keep?: number): T; clear(): void } {
  let entries: T[] = [];
  return {
    find(match) {
      const i = entries.findIndex(match);
      if (i < 0) return undefined;
      const e = entries[i]!;
      if (i > 0) entries = [e, ...entries.slice(0, i), ...entries.slice(i + 1)];
      return e;
    },
    /** `keep`: the size from now on (a worker learns it from its tasks) */
    add(e, keep = size) {
      size = Math.max(1, keep);
      entries = [e, ...entries].slice(0, size);
      return e;
    },
    clear() {
      entries = [];
    },
  };
}
