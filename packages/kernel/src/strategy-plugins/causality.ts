import { createRng, type BarColumns } from '@regimen/core';

/**
 * Causality by cutting the data: positions computed on bars 0..c must equal the full run's
 * positions 0..c for every cut c. The cuts that catch a look-ahead are random points and the bar
 * of each position change and the bar before it — a rule that peeks at bar t+1 decides
 * differently at bar t once bar t+1 is gone. Used by a workflow's preflight and by the kit.
 */
export function causalityCuts(full: Float64Array, opts: { random?: number; changes?: number; seed?: number } = {}): number[] {
  const n = full.length;
  const rng = createRng(opts.seed ?? 7).fork('strategy-cuts');
  const cuts = new Set<number>();
  for (let k = 0; k < (opts.random ?? 16) && n > 1; k++) cuts.add(rng.int(0, n - 2));
  const changes: number[] = [];
  for (let t = 1; t < n; t++) if (full[t] !== full[t - 1]) changes.push(t);
  const want = Math.min(opts.changes ?? 32, changes.length);
  for (let i = 0; i < want; i++) {
    const t = changes[Math.floor((i * changes.length) / want)]!;
    cuts.add(t);
    cuts.add(t - 1);
  }
  return [...cuts].filter((c) => c >= 0 && c < n - 1).sort((a, b) => a - b);
}

export interface LookAhead {
  /** the data kept bars 0..cut */
  cut: number;
  /** the first bar whose position differs */
  bar: number;
  full: number;
  cutPosition: number;
}

/** The first bars 0..end as views (a rule sees no further than `end`). */
export function barsUpTo(bars: BarColumns, end: number): BarColumns {
  const out: BarColumns = {
    time: bars.time.subarray(0, end), open: bars.open.subarray(0, end), high: bars.high.subarray(0, end),
    low: bars.low.subarray(0, end), close: bars.close.subarray(0, end),
  };
  if (bars.volume) out.volume = bars.volume.subarray(0, end);
  return out;
}

/**
 * The earliest bar, over all cuts, whose position changes when the data after the cut is gone;
 * undefined when none does. `positionsOf` computes positions (it may throw).
 */
export function firstLookAhead(positionsOf: (bars: BarColumns) => Float64Array, bars: BarColumns, full: Float64Array, cuts: number[],
  cutBars: (bars: BarColumns, end: number) => BarColumns = barsUpTo): LookAhead | undefined {
  let worst: LookAhead | undefined;
  for (const cut of cuts) {
    const part = positionsOf(cutBars(bars, cut + 1));
    for (let t = 0; t <= cut && (worst === undefined || t < worst.bar); t++) {
      if (part[t] !== full[t]) {
        worst = { cut, bar: t, full: full[t]!, cutPosition: part[t]! };
        break;
      }
    }
  }
  return worst;
}

/** The one line a look-ahead is reported with. */
export function lookAheadMessage(l: LookAhead, bars: number, params: unknown): string {
  return `looks ahead: bar ${l.bar}: position ${l.cutPosition} on the first ${l.cut + 1} bars but ${l.full} on all ${bars} ` +
    `(${JSON.stringify(params)}); a position at bar t may use bars 0..t only`;
}
