import { NO_REGIME, type BarColumns, type ReplayRow, type RegimeTrack, type TrialRow, type TrialSpec } from '@regimen/core';

/**
 * Workloads of the phase1 and replay suites: a close-only market (the seed's data shape) from
 * the benchmark's prices, two regime classifiers with NO_REGIME warm-up derived causally from
 * the prices, and the seed workflow's two strategy types over a parameter grid.
 */
export function closeOnlyBars(prices: Float64Array): BarColumns {
  const time = Float64Array.from(prices, (_, i) => Date.UTC(1990, 0, 1) + i * 86_400_000);
  return { time, open: prices, high: prices, low: prices, close: prices };
}

export function benchRegimes(prices: Float64Array): RegimeTrack[] {
  const n = prices.length;
  const trend = new Uint8Array(n).fill(NO_REGIME);
  const vol = new Uint8Array(n).fill(NO_REGIME);
  for (let t = 50; t < n; t++) {
    const r = prices[t]! / prices[t - 50]! - 1;
    trend[t] = r > 0.05 ? 0 : r < -0.05 ? 1 : 2;
    const move = Math.abs(prices[t]! / prices[t - 1]! - 1);
    vol[t] = move > 0.012 ? 1 : 0;
  }
  return [
    { classifier: 'trend', names: ['bull', 'bear', 'sideways'], labels: trend },
    { classifier: 'vol', names: ['calm', 'wild'], labels: vol },
  ];
}

/** `count` trials alternating momentum and mean_reversion over lookback × threshold grids. */
export function seedTrials(count: number): TrialSpec[] {
  const out: TrialSpec[] = [];
  const thresholds = [0.01, 0.02, 0.03, 0.04, 0.05];
  for (let i = 0; out.length < count; i++) {
    const lookback = 10 + Math.floor(i / thresholds.length) * 2;
    const threshold = thresholds[i % thresholds.length]!;
    out.push({ trial_id: `strategy_1-${i}`, strategy: 'strategy_1', type: 'momentum', params: { lookback, threshold, side: 'long_only' } });
    if (out.length < count) {
      out.push({ trial_id: `strategy_2-${i}`, strategy: 'strategy_2', type: 'mean_reversion', params: { lookback, threshold, side: 'long_only' } });
    }
  }
  return out;
}

/** Throws unless two rows are equal: trades and events exactly, metrics to 1e-12 relative. */
export function assertSameRow(what: string, got: TrialRow | ReplayRow, want: TrialRow | ReplayRow): void {
  const bad = firstDifference(got, want, what);
  if (bad) throw new Error(`${bad} (engine differs from the reference)`);
}

function firstDifference(a: unknown, b: unknown, path: string): string | null {
  if (typeof a === 'number' && typeof b === 'number') {
    return Math.abs(a - b) <= 1e-12 * Math.abs(b) || (Number.isNaN(a) && Number.isNaN(b)) ? null : `${path}: ${a} vs ${b}`;
  }
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    const x = a as unknown as ArrayLike<number>;
    const y = b as unknown as ArrayLike<number>;
    if (x.length !== y.length) return `${path}: length ${x.length} vs ${y.length}`;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return `${path}[${i}]: ${x[i]} vs ${y[i]}`;
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return a === b ? null : `${path}: ${String(a)} vs ${String(b)}`;
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
export const now = () => performance.now() / 1000;
