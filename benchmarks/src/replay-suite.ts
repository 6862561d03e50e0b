import { isDeepStrictEqual } from 'node:util';
import { createRng } from '@regimen/core';
import { loadEngine, localExecutor, replayBatch, runAdaptive, buildLegs, type AdaptiveInput, type RegimeWeights, type RegimeWinners } from '@regimen/backtester';
import { referenceEngine } from '@regimen/kernel';
import type { BenchOptions, EngineName } from './options.js';
import { loadPrices } from './prices.js';
import { assertSameRow, benchRegimes, closeOnlyBars, median, now, seedTrials } from './workload.js';

export interface ReplayResult {
  suite: 'replay';
  bars: number;
  engine: EngineName;
  prices: string;
  strategies: number;
  regimes: number;
  weight_sets: number;
  workers: number;
  /** every weight set in one batch through the executor, as phase 3 scores them: spread over the workers */
  replay: { seconds: number; runs: number[]; per_set_seconds: number };
  /** the same batch by engine.replay on this thread */
  replay_thread: { seconds: number; runs: number[]; per_set_seconds: number };
  /** per weight set: the adaptive backtest from market data (legs recomputed, then combined), on this thread */
  full: { sets: number; seconds: number; per_set_seconds: number };
  /** full per set / replay per set (through the executor) */
  speedup: number;
  /** full per set / replay per set on this thread: the like-for-like ratio of one core */
  speedup_thread: number;
  checked_sets: number;
}

/**
 * Phase-3 style scoring: many weight sets of one ensemble (2 strategies × 3 regimes, winners
 * picked from a grid) replayed from captured signals — through the executor, spread over the
 * workers as phase 3 does, and on one thread — against re-running the ensemble from market data
 * for every weight set. Replay rows are checked against the reference engine and against the full
 * re-backtest (both must give the same metrics) before timing, and the executor's rows against
 * the engine's.
 */
export async function replaySuite(o: BenchOptions): Promise<ReplayResult> {
  const { prices, source } = await loadPrices(o);
  const bars = closeOnlyBars(prices);
  const tracks = benchRegimes(prices);
  const regime = tracks[0]!;
  const engine = await loadEngine(o.engine);
  const window = { start: 0, end: prices.length };
  const costs = { fee: 0.001, slippage: 0.0005 };
  const strategies = [{ name: 'strategy_1', type: 'momentum' }, { name: 'strategy_2', type: 'mean_reversion' }];

  // winners per regime: distinct grid trials, as phase 2 would pick them
  const grid = seedTrials(40);
  const winners: RegimeWinners = {};
  regime.names.forEach((name, k) => {
    winners[name] = {};
    for (const s of strategies) {
      const t = grid.filter((x) => x.strategy === s.name)[3 * k + 1]!;
      winners[name]![s.name] = { params: t.params, trial_id: t.trial_id, metric: 'sharpe', score: 0 };
    }
  });
  const rng = createRng(o.seed);
  const weightSets: RegimeWeights[] = Array.from({ length: o.weightSets }, () => {
    const w: RegimeWeights = {};
    for (const name of regime.names) {
      const a = rng.next();
      w[name] = { strategy_1: a, strategy_2: 1 - a };
    }
    return w;
  });

  const input: AdaptiveInput = { bars, window, regime, breakdown: tracks, strategies, winners, weights: weightSets[0]!, costs, barsPerYear: 252 };
  const legTrials = Object.values(winners).flatMap((byS) => strategies.map((s) => ({ trial_id: byS[s.name]!.trial_id, strategy: s.name, type: s.type, params: byS[s.name]!.params })));
  const rows = engine.runTrials({ bars, window, trials: legTrials, regimes: [], costs, barsPerYear: 252, captureSignals: true });
  const events = new Map(legTrials.map((t, i) => [t.trial_id, rows[i]!.signals!]));
  const legs = buildLegs(regime, strategies.map((s) => s.name), winners, (id) => events.get(id)!);
  const replayInput = { close: bars.close, window, regime, breakdown: tracks, strategies: strategies.map((s) => s.name), winners, costs, barsPerYear: 252 };
  const batch = replayBatch(replayInput, legs, weightSets);

  // checks: a sample of weight sets — every lane position of the wasm kernel's four-set passes,
  // taken from a replay of the whole batch — against the reference replay and the full re-backtest
  const checkIdx = [...new Set([0, 1, 2, 3, Math.floor(o.weightSets / 2), o.weightSets - 1].filter((i) => i < o.weightSets))];
  const sampleBatch = { ...batch, weightSets: checkIdx.map((i) => batch.weightSets[i]!) };
  const want = referenceEngine.replay(sampleBatch);
  const all = engine.replay(batch);
  const got = checkIdx.map((i) => all[i]!);
  checkIdx.forEach((i, j) => {
    assertSameRow(`replay set ${i}`, got[j]!, want[j]!);
    // and not merely within the tolerance: the wasm replay gives the reference's very numbers
    if (!isDeepStrictEqual(got[j], want[j])) throw new Error(`replay set ${i}: not bit-identical to the reference`);
    const full = runAdaptive({ ...input, weights: weightSets[i]! }, engine);
    assertSameRow(`replay set ${i} vs full backtest`, got[j]!, { metrics: full.metrics, regimes: full.regimes });
  });

  const threadRuns: number[] = [];
  for (let r = 0; r < o.repeat; r++) {
    const t = now();
    const out = engine.replay(batch);
    threadRuns.push(now() - t);
    if (out.length !== o.weightSets) throw new Error('replay: wrong number of rows');
  }
  const executor = localExecutor({ workers: o.workers, engine: o.engine });
  const runs: number[] = [];
  try {
    // the first call starts the workers and shares the legs, once per phase-3 classifier
    const pooled = await executor.replay(batch);
    if (!isDeepStrictEqual(pooled, all)) throw new Error('replay: the executor\'s rows differ from the engine\'s');
    for (let r = 0; r < o.repeat; r++) {
      const t = now();
      const out = await executor.replay(batch);
      runs.push(now() - t);
      if (out.length !== o.weightSets) throw new Error('replay: wrong number of rows');
    }
  } finally {
    await executor.close();
  }
  const fullSets = Math.min(o.weightSets, 10);
  const t = now();
  for (let i = 0; i < fullSets; i++) runAdaptive({ ...input, weights: weightSets[i]! }, engine);
  const fullSeconds = now() - t;
  const seconds = median(runs);
  const perSet = seconds / o.weightSets;
  const threadSeconds = median(threadRuns);
  const fullPerSet = fullSeconds / fullSets;
  return {
    suite: 'replay',
    bars: prices.length,
    engine: o.engine,
    prices: source,
    strategies: strategies.length,
    regimes: regime.names.length,
    weight_sets: o.weightSets,
    workers: o.workers,
    replay: { seconds, runs, per_set_seconds: perSet },
    replay_thread: { seconds: threadSeconds, runs: threadRuns, per_set_seconds: threadSeconds / o.weightSets },
    full: { sets: fullSets, seconds: fullSeconds, per_set_seconds: fullPerSet },
    speedup: fullPerSet / perSet,
    speedup_thread: (fullPerSet * o.weightSets) / threadSeconds,
    checked_sets: checkIdx.length,
  };
}
