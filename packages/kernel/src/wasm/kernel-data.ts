import { NO_REGIME, regimenError, type RegimeTrack } from '@regimen/core';
import type { KernelArena } from './kernel-arena.js';
import { placedIn } from './shared-market.js';

/**
 * The data set a kernel instance works on, copied into its memory once and kept while the caller
 * passes the same arrays (identity): close and its bar returns R, high/low when a strategy needs
 * them, regime labels per track, and the per-trial scratch (positions, returns, events) sized by
 * the number of bars. A batch over new arrays starts a new data set.
 *
 * Arrays that are views of a shared market in the arena's own memory (shared-market.ts) are read
 * in place: nothing is copied, and close's bar returns are the ones computed at placement.
 */
export interface KernelData {
  readonly length: number;
  readonly close: number;
  readonly returns: number;
  readonly pos: number;
  readonly ret: number;
  readonly eventBars: number;
  readonly eventPositions: number;
  high(src: Float64Array): number;
  low(src: Float64Array): number;
  /** any other column of the data set (time, open, volume), in place or copied once */
  column(src: Float64Array): number;
  labels(track: RegimeTrack): number;
  /** reusable scratch region `lane` (0, 1 or 2) of at least `bytes`, valid until its next request */
  scratch(bytes: number, lane?: 0 | 1 | 2): number;
}

/**
 * label tracks kept per data set. A batch uses one per classifier and fold, all at once, so this
 * bounds classifiers × folds of a batch (slots are allocated only as tracks come); more distinct
 * tracks across batches than this means new arrays per call.
 */
export const LABEL_SLOTS = 64;

let copied = 0;

/** Bytes of market data (columns, labels) this thread has copied into kernel memory so far. */
export function marketBytesCopied(): number {
  return copied;
}

interface Held extends KernelData {
  readonly source: Float64Array;
}

export function kernelDataCache(arena: KernelArena, base: number): (close: Float64Array) => KernelData {
  let held: Held | undefined;
  return (close) => {
    if (held && held.source === close) return held;
    arena.resetTo(base);
    held = loadData(arena, close);
    return held;
  };
}

function loadData(arena: KernelArena, source: Float64Array): Held {
  const len = source.length;
  const bytes = len * 8;
  const inPlace = placedIn(arena.memory, source);
  let close: number;
  let returns: number;
  if (inPlace?.returns !== undefined) {
    close = inPlace.at;
    returns = inPlace.returns;
  } else {
    close = arena.alloc(bytes);
    arena.f64(close, len).set(source);
    copied += bytes;
    returns = arena.alloc(bytes);
    arena.kernel.barReturns(close, len, returns);
  }
  const pos = arena.alloc(bytes);
  const ret = arena.alloc(bytes);
  const eventBars = arena.alloc(len * 4);
  const eventPositions = arena.alloc(bytes);
  const columns = new Map<Float64Array, number>([[source, close]]);
  // label tracks: a few fixed slots of one byte per bar, least recently used reused first
  const labels = new Map<Uint8Array, number>();
  const scratchAt = [0, 0, 0];
  const scratchBytes = [0, 0, 0];
  const column = (src: Float64Array) => {
    let at = columns.get(src);
    if (at === undefined) {
      if (src.length !== len) throw regimenError({ code: 'internal', field: 'bars', value: src.length, message: `a column has ${src.length} bars, close has ${len}` });
      at = placedIn(arena.memory, src)?.at;
      if (at === undefined) {
        at = arena.alloc(bytes);
        arena.f64(at, len).set(src);
        copied += bytes;
      }
      columns.set(src, at);
    }
    return at;
  };
  return {
    source,
    length: len,
    close,
    returns,
    pos,
    ret,
    eventBars,
    eventPositions,
    high: column,
    low: column,
    column,
    labels(track) {
      const src = track.labels;
      // the kernel reads labels of bars < end <= len only, and the callers check end <= labels.length
      const shared = placedIn(arena.memory, src);
      if (shared) return shared.at;
      let at = labels.get(src);
      if (at !== undefined) {
        labels.delete(src);
      } else {
        if (labels.size >= LABEL_SLOTS) {
          const [old, oldAt] = labels.entries().next().value as [Uint8Array, number];
          labels.delete(old);
          at = oldAt;
        } else {
          at = arena.alloc(len);
        }
        // the kernel reads labels of bars < end <= len only
        arena.u8(at, len).set(src.length > len ? src.subarray(0, len) : src);
        copied += Math.min(len, src.length);
      }
      labels.set(src, at);
      return at;
    },
    scratch(need, lane = 0) {
      if (need > scratchBytes[lane]!) {
        scratchBytes[lane] = Math.max(need, 2 * scratchBytes[lane]!, 4096);
        scratchAt[lane] = arena.alloc(scratchBytes[lane]!);
      }
      return scratchAt[lane]!;
    },
  };
}

/**
 * The reference's checks on a breakdown track (src/reference/evaluate.ts), with its messages:
 * labels must cover the window, and every label of bars start..end−2 is a regime or NO_REGIME.
 */
export function checkBreakdownTrack(track: RegimeTrack, start: number, end: number): void {
  const { labels, names } = track;
  if (labels.length < end) {
    throw regimenError({ code: 'internal', field: `regimes.${track.classifier}`, value: labels.length, message: `regime labels cover ${labels.length} bars, the window needs ${end}` });
  }
  const k = names.length;
  for (let t = start + 1; t < end; t++) {
    const label = labels[t - 1]!;
    if (label !== NO_REGIME && label >= k) {
      throw regimenError({ code: 'internal', field: `regimes.${track.classifier}`, value: label, message: `regime label ${label} at bar ${t - 1} is not one of ${k} regimes` });
    }
  }
}
