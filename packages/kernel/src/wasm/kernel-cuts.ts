import { regimenError, type BarColumns } from '@regimen/core';
import type { KernelArena } from './kernel-arena.js';
import type { KernelData } from './kernel-data.js';
import { seriesCache, writePositions, type ParsedTrial } from './kernel-trials.js';

/**
 * Engine.positionsAtCuts on the kernel: trial i's position at each bar c of cuts[i], computed from
 * scratch — every indicator series from bar 0 — on the bars 0..c only.
 *
 * The columns are copied once into series slots and the cuts are visited from the last to the
 * first; before each, the bars after it are overwritten with NaN. So the routines, given the cut
 * length, could not read a later bar even past their bounds: the future is gone from memory, not
 * merely out of range. Erasing costs O(bars) in all, and no column is copied per cut.
 */
export function positionsAtCuts(arena: KernelArena, bars: BarColumns, trials: ParsedTrial[], cuts: number[][]): Float64Array[] {
  const len = bars.close.length;
  if (trials.some((t) => t.plugin)) {
    throw regimenError({ code: 'internal', field: 'trials', message: 'the kernel computes cut positions of its own strategies only; a plugin strategy is run on the cut data' });
  }
  if (cuts.length !== trials.length) {
    throw regimenError({ code: 'internal', field: 'cuts', value: cuts.length, message: `one list of cut bars per trial (${trials.length}) is needed` });
  }
  const byCut = new Map<number, number[]>();
  cuts.forEach((list, i) => {
    for (const c of list) {
      if (!Number.isInteger(c) || c < 0 || c >= len) {
        throw regimenError({ code: 'internal', field: `cuts[${i}]`, value: c, message: `a cut must be a bar index in [0, ${len})` });
      }
      const wanting = byCut.get(c) ?? [];
      if (!wanting.includes(i)) wanting.push(i);
      byCut.set(c, wanting);
    }
  });
  if (byCut.size === 0) return cuts.map(() => new Float64Array(0));
  // close-only data repeats one array as high and low: it is copied (and erased) once
  const copies = new Map<Float64Array, number>();
  const copy = (src: Float64Array) => {
    let at = copies.get(src);
    if (at === undefined) {
      at = arena.takeSlot(len * 8);
      arena.f64(at, len).set(src);
      copies.set(src, at);
    }
    return at;
  };
  const close = copy(bars.close);
  const channel = trials.some((t) => t.type === 'breakout');
  const high = channel ? copy(bars.high) : close;
  const low = channel ? copy(bars.low) : close;
  const pos = arena.takeSlot(len * 8);
  const at = trials.map(() => new Map<number, number>());
  try {
    let erasedFrom = len;
    for (const c of [...byCut.keys()].sort((a, b) => b - a)) {
      for (const col of copies.values()) arena.f64(col, len).fill(NaN, c + 1, erasedFrom);
      erasedFrom = c + 1;
      const data = cutData(c + 1, close, high, low, pos);
      const wanting = byCut.get(c)!;
      const batch = wanting.map((i) => trials[i]!);
      const series = seriesCache(arena, data, bars, batch);
      try {
        batch.forEach((trial, j) => {
          writePositions(arena, data, trial, series, bars);
          series.done(j);
          at[wanting[j]!]!.set(c, arena.f64(pos + c * 8, 1)[0]!);
        });
      } finally {
        series.close();
      }
    }
  } finally {
    for (const col of copies.values()) arena.releaseSlot(col);
    arena.releaseSlot(pos);
  }
  return cuts.map((list, i) => Float64Array.from(list, (c) => at[i]!.get(c)!));
}

/** The kernel's view of the first `length` bars of the copies: what the strategy routines read. */
function cutData(length: number, close: number, high: number, low: number, pos: number): KernelData {
  const unused = (): never => {
    throw regimenError({ code: 'internal', message: 'positions on cut data use no returns, labels or scratch' });
  };
  return {
    length,
    close,
    pos,
    get returns() { return unused(); },
    get ret() { return unused(); },
    get eventBars() { return unused(); },
    get eventPositions() { return unused(); },
    high: () => high,
    low: () => low,
    column: unused,
    labels: unused,
    scratch: unused,
  };
}
