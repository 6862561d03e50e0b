import { existsSync } from 'node:fs';
import { regimenError, sliceBars, type BarColumns, type Decision } from '@regimen/core';
import { dataFingerprint, isoTime, readingOptions, readMarketData } from '@regimen/data';
import type { LiveRun } from './open.js';

/** sha256 over time and close of bars 0..end−1: the data fingerprint's hash of that prefix. */
export function historyHash(bars: BarColumns, end: number): string {
  return dataFingerprint(sliceBars(bars, end), '').sha256;
}

function firstDifference(a: Pick<BarColumns, 'time' | 'close'>, b: Pick<BarColumns, 'time' | 'close'>, end: number): { bar: number; field: 'time' | 'close'; was: number; now: number } | null {
  for (let i = 0; i < end; i++) {
    if (!Object.is(a.time[i], b.time[i])) return { bar: i, field: 'time', was: a.time[i]!, now: b.time[i]! };
    if (!Object.is(a.close[i], b.close[i])) return { bar: i, field: 'close', was: a.close[i]!, now: b.close[i]! };
  }
  return null;
}

/**
 * The data file must begin with the run's own history, bar for bit: a revised vendor file would
 * make every decision a different strategy's. When it does not, the first differing bar is named
 * by comparing with the run's data file (if it is still there and still the run's).
 */
export async function checkRunHistory(run: LiveRun, bars: BarColumns, dataFile: string): Promise<void> {
  const n = run.historyBars;
  if (bars.close.length < n) {
    throw regimenError({ code: 'data', file: dataFile, field: 'bars', value: bars.close.length, message: `has ${bars.close.length} bars, fewer than the run's history of ${n} (${run.manifest.data_fingerprint.first} .. ${run.manifest.data_fingerprint.last}): it must be the run's series extended with newer bars` });
  }
  if (historyHash(bars, n) === run.identity.data_fingerprint) return;
  const original = run.config.data.path;
  if (existsSync(original)) {
    const market = await readMarketData(original, { ...readingOptions(run.config.data), minBars: 2 }).catch(() => null);
    if (market && market.bars.close.length >= n && historyHash(market.bars, n) === run.identity.data_fingerprint) {
      const d = firstDifference(market.bars, bars, n);
      if (d) {
        const show = (v: number) => (d.field === 'time' ? isoTime(v) : String(v));
        throw regimenError({
          code: 'data', file: dataFile, field: `bar ${d.bar} (${isoTime(market.bars.time[d.bar]!)}) ${d.field}`, value: show(d.now),
          message: `differs from the run's history (${show(d.was)} in ${original}): the history was revised; decisions need the run's own bars`,
        });
      }
    }
  }
  throw regimenError({ code: 'data', file: dataFile, field: `bars 0..${n - 1}`, message: `differ from the run's history (data fingerprint ${run.identity.data_fingerprint.slice(0, 12)}…; the run's file ${original} is not there to name the first differing bar)` });
}

/**
 * Bars already decided (journaled) must still be in the file, unchanged: a file that ends before
 * the last decided bar, or whose bars there moved or were revised, is refused.
 */
export function checkDecidedBars(decided: Decision[], bars: BarColumns, dataFile: string, journalFile: string): void {
  const n = bars.close.length;
  const last = decided[decided.length - 1];
  if (!last) return;
  if (n <= last.bar) {
    throw regimenError({ code: 'data', file: dataFile, field: 'bars', value: n, message: `ends at ${isoTime(bars.time[n - 1]!)}, before the last bar already decided (bar ${last.bar}, ${last.time} in ${journalFile}): a file older than the journal` });
  }
  for (const d of decided) {
    const time = isoTime(bars.time[d.bar]!);
    if (time !== d.time) {
      throw regimenError({ code: 'data', file: dataFile, field: `bar ${d.bar} time`, value: time, message: `the journal decided bar ${d.bar} at ${d.time}: bars were inserted or removed before it` });
    }
    if (!Object.is(bars.close[d.bar], d.close)) {
      throw regimenError({ code: 'data', file: dataFile, field: `bar ${d.bar} (${d.time}) close`, value: bars.close[d.bar], message: `differs from the close the journal decided on (${d.close}): the history was revised` });
    }
  }
}

/** The widest spacing between two bars of the run's history (the state keeps it: O(history) once). */
export function widestSpacing(run: Pick<LiveRun, 'historyBars'>, bars: BarColumns): number {
  const h = Math.min(run.historyBars, bars.close.length);
  let widest = 0;
  for (let i = 1; i < h; i++) widest = Math.max(widest, bars.time[i]! - bars.time[i - 1]!);
  return widest;
}

/**
 * New bars must continue the series: the spacing between two new bars (or the last old one and
 * the first new one) may not exceed the largest spacing in the run's history — a longer one is a
 * gap (missing bars) that would make the next decision skip what the backtest would have seen.
 */
export function checkNoGap(widest: number, bars: BarColumns, from: number, to: number, dataFile: string): void {
  for (let t = Math.max(from, 1); t < to; t++) {
    const step = bars.time[t]! - bars.time[t - 1]!;
    if (step > widest) {
      throw regimenError({ code: 'data', file: dataFile, field: `bar ${t} time`, value: isoTime(bars.time[t]!), message: `follows ${isoTime(bars.time[t - 1]!)} after a gap wider than any in the run's history (${(step / widest).toFixed(1)}× its widest spacing): bars are missing` });
    }
  }
}
