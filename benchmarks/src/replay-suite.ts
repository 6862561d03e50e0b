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
  replay: Timing;
  /** the same batch by engine.replay on this thread */
  replay_thread: Timing;
  /** per weight set: the adaptive backtest from market data (legs recomputed, then combined), on this thread */
  full: Timing;
  /** the same full re-backtests, the sets' legs run through the executor side by side */
  full_pool: Timing;
  /** full per set / replay per set, both through the executor (equal resources: the pool): the median of the rounds' ratios */
  speedup: number;
  /** full per set / replay per set, both on this thread (equal resources: one core): the median of the rounds' ratios */
  speedup_thread: number;
  /** each round's ratio (a replay sample, then a full re-backtest sample), through the executor and on this thread */
  ratios: number[];
  ratios_thread: number[];
  checked_sets: number;
}

/**
 * Seconds per set: the median over `repeat` samples, each repeating `work` (which scores `sets`
 * sets) until it has lasted `sampleSeconds` (default 2), so a sample of a 0.2 s part is not one
 * noisy reading; a sample is the mean per call.
 */
export interface Timing {
  per_set_seconds: number;
  /** each sample's seconds per set */
  samples: number[];
  /** calls of `work` in each sample */
  calls: number[];
}

async function sample(sampleSeconds: number, sets: number, work: () => unknown): Promise<{ perSet: number; calls: number }> {
  const t = now();
  let n = 0;
  do {
    await work();
    n++;
  } while (now() - t < sampleSeconds);
  return { perSet: (now() - t) / n / sets, calls: n };
}

/**
 * `repeat` rounds, each one sample of the replay and then one of the full re-backtest, so a round's
 * ratio compares two samples taken back to back: on a shared machine the load drifts between
 * minutes, and a ratio of medians taken minutes apart inherits that drift. The speedup is the
 * median of the rounds' ratios; each side's time the median of its samples.
 */
async function pairedTiming(o: Pick<BenchOptions, 'repeat' | 'sampleSeconds'>, replaySets: number, replay: () => unknown, fullSets: number,
  full: () => unknown): Promise<{ replay: Timing; full: Timing; ratios: number[] }> {
  const r: Timing = { per_set_seconds: 0, samples: [], calls: [] };
  const f: Timing = { per_set_seconds: 0, samples: [], calls: [] };
  const ratios: number[] = [];
  for (let round = 0; round < o.repeat; round++) {
    const a = await sample(o.sampleSeconds, replaySets, replay);
    const b = await sample(o.sampleSeconds, fullSets, full);
    r.samples.push(a.perSet), r.calls.push(a.calls);
    f.samples.push(b.perSet), f.calls.push(b.calls);
    ratios.push(b.perSet / a.perSet);
  }
  r.per_set_seconds = median(r.samples);
  f.per_set_seconds = median(f.samples);
  return { replay: r, full: f, ratios };
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

  // the full re-backtest of a set, cycling through the sets: on this thread, and with its legs
  // through the executor, as many sets side by side as there are workers
  let fullCalls = 0;
  const thread = await pairedTiming(o, o.weightSets, () => {
    if (engine.replay(batch).length !== o.weightSets) throw new Error('replay: wrong number of rows');
  }, 1, () => runAdaptive({ ...input, weights: weightSets[fullCalls++ % o.weightSets]! }, engine));
  const executor = localExecutor({ workers: o.workers, engine: o.engine });
  const fullOnPool = async (weights: RegimeWeights) => {
    const legRows = await executor.run({ bars, window, trials: legTrials, regimes: [], costs, barsPerYear: 252, captureSignals: true });
    const own = new Map(legTrials.map((t, i) => [t.trial_id, legRows[i]!.signals!]));
    return engine.replay(replayBatch(replayInput, buildLegs(regime, strategies.map((s) => s.name), winners, (id) => own.get(id)!), [weights]))[0]!;
  };
  let pool: Awaited<ReturnType<typeof pairedTiming>>;
  try {
    // the first calls start the workers and share the legs, once per phase-3 classifier
    const pooled = await executor.replay(batch);
    if (!isDeepStrictEqual(pooled, all)) throw new Error('replay: the executor\'s rows differ from the engine\'s');
    assertSameRow('replay set 0 vs full backtest through the executor', all[0]!, await fullOnPool(weightSets[0]!));
    const side = Math.max(1, o.workers);
    let poolCalls = 0;
    pool = await pairedTiming(o, o.weightSets, async () => {
      if ((await executor.replay(batch)).length !== o.weightSets) throw new Error('replay: wrong number of rows');
    }, side, () => {
      const call = poolCalls++;
      return Promise.all(Array.from({ length: side }, (_, k) => fullOnPool(weightSets[(call * side + k) % o.weightSets]!)));
    });
  } finally {
    await executor.close();
  }
  return {
    suite: 'replay',
    bars: prices.length,
    engine: o.engine,
    prices: source,
    strategies: strategies.length,
    regimes: regime.names.length,
    weight_sets: o.weightSets,
    workers: o.workers,
    replay: pool.replay,
    replay_thread: thread.replay,
    full: thread.full,
    full_pool: pool.full,
    speedup: median(pool.ratios),
    speedup_thread: median(thread.ratios),
    ratios: pool.ratios,
    ratios_thread: thread.ratios,
    checked_sets: checkIdx.length,
  };
}
