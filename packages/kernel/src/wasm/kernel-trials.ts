import type { BarColumns, StrategyPlugin, TrialSpec } from '@regimen/core';
import { isStrategyType, parseStrategyParams, strategyPluginOf, type StrategyParams } from '../reference/strategies/catalog.js';
import type { KernelArena } from './kernel-arena.js';
import type { KernelData } from './kernel-data.js';
import { writePluginPositions } from './plugin-trials.js';

/**
 * Positions of one trial into data.pos, on the kernel. Parameters are parsed by the reference's
 * schemas (same defaults, same errors). Indicator series come from a per-batch cache: each
 * distinct series (kind and window) is computed once and kept in a slot until the last trial of
 * the batch that needs it has run, so a grid over a few windows computes only those windows.
 */
export interface ParsedTrial {
  type: string;
  params: StrategyParams;
  /** indicator series keys this trial reads */
  keys: string[];
  /** a strategy plugin's trial (not one of the kernel's own five) */
  plugin?: StrategyPlugin;
}

/**
 * Windows beyond the series behave alike (no bar ever qualifies) but would wrap as i32, so they
 * are clamped to length + 1 before they reach the kernel.
 */
export function clampWindow(w: number, length: number): number {
  return Math.min(w, length + 1);
}

export function parseTrial(trial: TrialSpec, length: number): ParsedTrial {
  const params = parseStrategyParams(trial.type, trial.params);
  if (!isStrategyType(trial.type)) return { type: trial.type, params, keys: [], plugin: strategyPluginOf(trial.type) };
  const n = (name: string) => clampWindow(params[name] as number, length);
  const keys: string[] = [];
  switch (trial.type) {
    case 'mean_reversion': keys.push(`sma:${n('lookback')}`); break;
    case 'sma_crossover': keys.push(`sma:${n('fast')}`, `sma:${n('slow')}`); break;
    case 'breakout': keys.push(`dch:${n('lookback')}`, `dcl:${n('lookback')}`); break;
    case 'rsi': keys.push(`rsi:${n('period')}`); break;
  }
  return { type: trial.type, params, keys };
}

/** Series kept at most: the slot pool's memory bound (~256 MiB of series), and at least 4. */
const CACHE_BYTES = 256 * 1024 * 1024;

export interface SeriesCache {
  get(key: string): number;
  /** `index` of the trial just finished: release series no later trial needs */
  done(index: number): void;
  close(): void;
}

export function seriesCache(arena: KernelArena, data: KernelData, bars: BarColumns, trials: ParsedTrial[]): SeriesCache {
  const lastUse = new Map<string, number>();
  trials.forEach((t, i) => t.keys.forEach((k) => lastUse.set(k, i)));
  const held = new Map<string, number>();
  const len = data.length;
  const limit = Math.max(4, Math.floor(CACHE_BYTES / Math.max(1, len * 8)));
  const k = arena.kernel;
  const compute = (key: string, out: number) => {
    const [kind, w] = key.split(':') as [string, string];
    const n = Number(w);
    if (kind === 'sma') k.smaSeries(data.close, len, n, out);
    else if (kind === 'rsi') k.rsiSeries(data.close, len, n, out);
    else {
      // the channel's block-suffix extremes borrow a series slot
      const suffix = arena.takeSlot(len * 8);
      if (kind === 'dch') k.donchianSeries(data.high(bars.high), len, n, 1, suffix, out);
      else k.donchianSeries(data.low(bars.low), len, n, 0, suffix, out);
      arena.releaseSlot(suffix);
    }
  };
  return {
    get(key) {
      let at = held.get(key);
      if (at !== undefined) {
        // most recently used last, so eviction never takes a series the current trial holds
        held.delete(key);
        held.set(key, at);
      } else {
        if (held.size >= limit) {
          // evict the least recently used series; it is recomputed if a later trial needs it again
          const [oldKey, oldAt] = held.entries().next().value as [string, number];
          held.delete(oldKey);
          arena.releaseSlot(oldAt);
        }
        at = arena.takeSlot(len * 8);
        compute(key, at);
        held.set(key, at);
      }
      return at;
    },
    done(index) {
      for (const key of trials[index]!.keys) {
        const at = held.get(key);
        if (at !== undefined && lastUse.get(key)! <= index) {
          held.delete(key);
          arena.releaseSlot(at);
        }
      }
    },
    close() {
      for (const at of held.values()) arena.releaseSlot(at);
      held.clear();
    },
  };
}

export function writePositions(arena: KernelArena, data: KernelData, trial: ParsedTrial, series: SeriesCache, bars: BarColumns): void {
  if (trial.plugin) {
    writePluginPositions(arena, data, bars, trial.plugin, trial.params);
    return;
  }
  const k = arena.kernel;
  const p = trial.params;
  const n = (name: string) => clampWindow(p[name] as number, data.length);
  const x = (name: string) => p[name] as number;
  const longOnly = p.side === 'long_only' ? 1 : 0;
  const len = data.length;
  switch (trial.type) {
    case 'momentum':
      k.momentumPositions(data.close, len, n('lookback'), x('threshold'), longOnly, data.pos);
      break;
    case 'mean_reversion':
      k.meanReversionPositions(data.close, series.get(trial.keys[0]!), len, n('lookback'), x('threshold'), longOnly, data.pos);
      break;
    case 'sma_crossover':
      k.smaCrossPositions(series.get(trial.keys[0]!), series.get(trial.keys[1]!), len, Math.max(n('fast'), n('slow')) - 1, longOnly, data.pos);
      break;
    case 'breakout':
      k.breakoutPositions(data.close, series.get(trial.keys[0]!), series.get(trial.keys[1]!), len, n('lookback'), longOnly, data.pos);
      break;
    case 'rsi':
      k.rsiPositions(series.get(trial.keys[0]!), len, n('period'), x('lower'), x('upper'), longOnly, data.pos);
      break;
  }
}
