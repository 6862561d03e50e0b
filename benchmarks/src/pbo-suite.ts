import { resolve } from 'node:path';
import { createRng, NO_REGIME, regimenError, type PboResult } from '@regimen/core';
import { pboTaskInputs, type PboTask } from '@regimen/coordinator';
import { embeddedDataPath, readMarketSeries } from '@regimen/data';
import { cscvWalkWasm, MeanReversionParamsSchema, meanReversionStrategy, MomentumParamsSchema, momentumStrategy } from '@regimen/kernel';
import { probabilityOfBacktestOverfitting } from '@regimen/optimizer';
import type { BenchOptions } from './options.js';
import { benchRegimes, closeOnlyBars, median, now } from './workload.js';

export interface PboBenchResult {
  suite: 'pbo';
  prices: string;
  bars: number;
  blocks: number;
  weight_sets: number;
  repeat: number;
  entries: PboBenchEntry[];
  /** the entries' walks summed: TypeScript (the reference) and WebAssembly, medians */
  ts_seconds: number;
  wasm_seconds: number;
  speedup: number;
}

export interface PboBenchEntry {
  entry: string;
  objective: string;
  /** candidates ranked, and how many distinct block summaries the walk scores */
  candidates: number;
  splits: number;
  /** rebuilding the returns and their block summaries (once, not part of the walk) */
  blocks_seconds: number;
  ts: number[];
  wasm: number[];
  ts_seconds: number;
  wasm_seconds: number;
  speedup: number;
  /** the two results, every number compared bit for bit */
  identical: boolean;
}

/**
 * The PBO's CSCV walk alone (docs/overfitting.md), TypeScript (its reference) against the kernel's
 * WebAssembly, on phase 3's shape of candidates: `--weight-sets` weight sets (default 200; 800 is
 * a genetic search's) of two legs (momentum and mean reversion) over three trend regimes, replayed
 * over a daily series (default the embedded Dow 30's MSFT, or `--prices FILE`), S = `--pbo-blocks`
 * (16). Three entries: phase 3's (minimize_regime_drawdown, min_bars 20, the drawdown staircase),
 * the all_trials line's (sharpe with its tiebreak over every return: the moments), and a sortino
 * with min_trades 10 (the filters). Both walks' results must be the same bits before they are timed.
 */
export async function pboSuite(o: BenchOptions): Promise<PboBenchResult> {
  const file = o.prices ? resolve(o.prices) : embeddedDataPath('dowjones30_daily_close.csv');
  const [market] = await readMarketSeries(file, [o.prices ? 'close' : 'MSFT']);
  const close = market!.bars.close;
  const S = o.pboBlocks ?? 16;
  const end = close.length;
  const track = benchRegimes(close)[0]!;
  const legs = [
    momentumStrategy.positions(closeOnlyBars(close), { ...MomentumParamsSchema.parse({ lookback: 20, threshold: 0.02 }), side: 'long_short' }),
    meanReversionStrategy.positions(closeOnlyBars(close), { ...MeanReversionParamsSchema.parse({ lookback: 20, threshold: 0.02 }), side: 'long_short' }),
  ].map((pos) => pos.map((p, t) => (track.labels[t] === NO_REGIME ? 0 : p)));
  const K = track.names.length, L = legs.length, sets = o.weightSets;
  // weights on a 0.05 grid, summing to one in every regime, as phase 3's searches draw them
  const rng = createRng(o.seed);
  const weights = new Float64Array(sets * K * L);
  for (let i = 0; i < sets * K; i++) {
    const w = rng.int(0, 20) / 20;
    weights[i * L] = w;
    weights[i * L + 1] = 1 - w;
  }
  const growth = new Float64Array(end - 1);
  for (let t = 1; t < end; t++) growth[t - 1] = close[t]! / close[t - 1]! - 1;
  const task: PboTask = {
    start: 0, end, growth, cost: 0.0005, blocks: S, barsPerYear: 252, labels: [track.labels],
    candidates: { kind: 'weight-sets', track: 0, legs, weights, regimes: K },
    entries: [
      { track: 0, regime: 0, objective: 'minimize_regime_drawdown', tiebreak: false, minBars: 20, minTrades: 0 },
      { track: null, regime: 0, objective: 'sharpe', tiebreak: true, minBars: 0, minTrades: 0 },
      { track: 0, regime: 2, objective: 'sortino', tiebreak: true, minBars: 20, minTrades: 10 },
    ],
  };
  const names = [`ensemble/trend/${track.names[0]}`, 'all returns', `ensemble/trend/${track.names[2]}`];
  let t = now();
  const inputs = pboTaskInputs(task);
  const blocksSeconds = now() - t;
  const entries = inputs.map((x, e): PboBenchEntry => {
    const ts: number[] = [], wasm: number[] = [];
    let identical = true;
    for (let r = 0; r < o.repeat; r++) {
      t = now();
      const a = probabilityOfBacktestOverfitting(x.candidates, x.options);
      ts.push(now() - t);
      t = now();
      const b = probabilityOfBacktestOverfitting(x.candidates, { ...x.options, walk: cscvWalkWasm });
      wasm.push(now() - t);
      identical &&= sameBits(a, b);
    }
    if (!identical) throw regimenError({ code: 'internal', field: names[e], message: 'the WebAssembly CSCV walk differs from its TypeScript reference' });
    const tsSeconds = median(ts), wasmSeconds = median(wasm);
    return {
      entry: names[e]!, objective: task.entries[e]!.objective, candidates: x.candidates.length, splits: binomial(S, S / 2), blocks_seconds: blocksSeconds / inputs.length,
      ts, wasm, ts_seconds: tsSeconds, wasm_seconds: wasmSeconds, speedup: tsSeconds / wasmSeconds, identical,
    };
  });
  const tsSeconds = entries.reduce((s, x) => s + x.ts_seconds, 0);
  const wasmSeconds = entries.reduce((s, x) => s + x.wasm_seconds, 0);
  return {
    suite: 'pbo', prices: o.prices ?? 'packages/data/embedded/dowjones30_daily_close.csv (MSFT)', bars: end, blocks: S, weight_sets: sets, repeat: o.repeat,
    entries, ts_seconds: tsSeconds, wasm_seconds: wasmSeconds, speedup: tsSeconds / wasmSeconds,
  };
}

const binomial = (n: number, k: number) => {
  let c = 1;
  for (let i = 0; i < k; i++) c = (c * (n - i)) / (i + 1);
  return c;
};

/** Every number of the two results the same bits (−0 and NaN included). */
function sameBits(a: PboResult | null, b: PboResult | null): boolean {
  const enc = (r: PboResult | null) => JSON.stringify(r, (_, v: unknown) => (typeof v === 'number' && (Object.is(v, -0) || !Number.isFinite(v)) ? `#${String(Object.is(v, -0) ? '-0' : v)}` : v));
  return enc(a) === enc(b);
}

export function formatPboBench(r: PboBenchResult): string {
  const pad = (s: string, w: number) => s.padStart(w);
  const rows = r.entries.map((e) => [e.entry, e.objective, String(e.candidates), e.ts_seconds.toFixed(3), e.wasm_seconds.toFixed(3), `${e.speedup.toFixed(2)}×`, e.identical ? 'same bits' : 'DIFFERENT']);
  rows.push(['all entries', '', '', r.ts_seconds.toFixed(3), r.wasm_seconds.toFixed(3), `${r.speedup.toFixed(2)}×`, '']);
  const header = ['entry', 'objective', 'candidates', 'TypeScript s', 'WebAssembly s', 'TS / WASM', 'results'];
  const width = header.map((h, c) => Math.max(h.length, ...rows.map((x) => x[c]!.length)));
  return [
    `pbo: the CSCV walk alone, ${r.weight_sets} weight sets replayed over ${r.bars} bars of ${r.prices}, S = ${r.blocks} (${r.entries[0]?.splits ?? 0} splits), medians of ${r.repeat}`,
    header.map((h, c) => pad(h, width[c]!)).join('  '),
    width.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map((x) => x.map((v, c) => pad(v, width[c]!)).join('  ')),
    `block summaries (not timed above): ${(r.entries.reduce((s, e) => s + e.blocks_seconds, 0)).toFixed(3)} s for the three entries`,
  ].join('\n');
}
