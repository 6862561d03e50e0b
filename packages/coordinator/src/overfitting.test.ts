import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtMissing, requireOrSkip } from '@regimen/plugin-testkit';
import { EnsembleTrialSchema, NO_REGIME, readJsonFile, RegimeOptimalParamsSchema, ResolvedConfigSchema, workspacePaths, ManifestSchema, type PboResult, type RegimeTrack, type ReplayBatch } from '@regimen/core';
import { embeddedDataPath, loadMarketData, readRegimeLabels, readSignalEvents } from '@regimen/data';
import { buildLegs, weightVectors } from '@regimen/backtester';
import { eventsFromPositions, prepareReplay, replayPositions, windowReturns } from '@regimen/kernel';
import { candidateBlocks, compareIds, compileObjective, OverfittingSchema, probabilityOfBacktestOverfitting, type Objective } from '@regimen/optimizer';
import { taskCommon, weightSetCandidates } from './overfitting.js';
import { runPboTask } from './pbo-task.js';
import { runWorkflow } from './run.js';
import { smallWorkflow } from './test-fixtures.js';

/**
 * The plain route the tasks must equal bit for bit (the code analysis/overfitting.json was made by
 * before it ran on the workers): each weight set replayed over the whole window by the kernel's
 * replayPositions, its returns by windowReturns, gathered per regime (label[t − 1]) and summarised
 * by candidateBlocks.
 */
function plainWeightSetPbo(batch: Omit<ReplayBatch, 'weightSets'>, weightSets: Float64Array[][], regime: number, S: number, objective: Objective, minBars: number): PboResult | null {
  const { start, end } = batch.window;
  const prepared = prepareReplay({ ...batch, weightSets: [] });
  const idx: number[] = [];
  for (let t = start + 1; t < end; t++) if (batch.regime.labels[t - 1] === regime) idx.push(t - start - 1);
  const blocks = weightSets.map((w) => {
    const pos = replayPositions(prepared, w);
    const r = windowReturns(batch.close, pos, batch.window, batch.costs);
    return candidateBlocks({
      returns: idx.map((j) => r[j]!),
      traded: idx.map((j) => (pos[start + j + 1] !== pos[start + j] ? 1 : 0)),
      exposed: idx.map((j) => (pos[start + j] !== 0 ? 1 : 0)),
    }, S);
  });
  return probabilityOfBacktestOverfitting(blocks, { blocks: S, objective, barsPerYear: batch.barsPerYear, minBars });
}

const withoutTiebreak = (o: Objective): Objective => ({ name: o.name, score: o.score, ...(o.uses ? { uses: o.uses } : {}) });

describe('the weight sets\' PBO task', () => {
  it('equals the plain replay route bit for bit: three legs, a flat leg, per-regime weights beyond the clamp, bars of no regime', () => {
    const close = loadMarketData(embeddedDataPath()).bars.close.slice(0, 3000);
    const n = close.length;
    const window = { start: 200, end: 2900 };
    // three persistent regimes from a slow trend, NO_REGIME in a warm-up stretch and a gap
    const labels = new Uint8Array(n);
    for (let t = 0; t < n; t++) labels[t] = t < 260 || (t >= 1500 && t < 1530) ? NO_REGIME : t >= 50 && close[t]! > close[t - 50]! * 1.03 ? 0 : t >= 50 && close[t]! < close[t - 50]! * 0.98 ? 2 : 1;
    const track: RegimeTrack = { classifier: 'trend', names: ['up', 'flat', 'down'], labels };
    const momentum = (lookback: number, side: number) => {
      const pos = new Float64Array(n);
      for (let t = lookback; t < n; t++) pos[t] = close[t]! > close[t - lookback]! ? side : close[t]! < close[t - lookback]! ? -0.5 * side : 0;
      return eventsFromPositions(pos, window);
    };
    const a = momentum(10, 1), b = momentum(40, 1), c = momentum(5, -0.7);
    const batch: Omit<ReplayBatch, 'weightSets'> = {
      close, window, regime: track, breakdown: [track], costs: { fee: 0.0005, slippage: 0.0003 }, barsPerYear: 252,
      legs: [{ strategy: 'a', byRegime: [a, a, b] }, { strategy: 'b', byRegime: [b, null, b] }, { strategy: 'c', byRegime: [c, c, null] }],
    };
    // per-regime weights, some summing past 1 so the clamp bites, one all zero
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const sets = Array.from({ length: 40 }, (_, i) => ({ id: `s${i}`, weights: Object.fromEntries(track.names.map((r) => [r, { a: i === 0 ? 0 : rnd() * 1.6 - 0.3, b: rnd(), c: rnd() * 0.8 }])) as never }));
    const vectors = sets.map((s) => weightVectors(track, ['a', 'b', 'c'], s.weights));
    const S = 8;
    const task = { ...taskCommon(close, window, S, batch.costs, batch.barsPerYear), labels: [labels.slice(window.start, window.end)], candidates: weightSetCandidates({ regime: track, batch }, sets, window), entries: [0, 1, 2].map((regime) => ({ track: 0, regime, objective: 'minimize_regime_drawdown', tiebreak: false, minBars: 20, minTrades: 0 })) };
    const got = runPboTask(task);
    const objective = withoutTiebreak(compileObjective('minimize_regime_drawdown'));
    [0, 1, 2].forEach((k) => {
      const want = plainWeightSetPbo(batch, vectors, k, S, objective, 20);
      expect(want).not.toBeNull();
      expect(JSON.stringify(got[k]), track.names[k]).toBe(JSON.stringify(want));
    });
  });
});

// the pool loads the built worker modules (dist/), which `npm ci` makes; skipped if never built, a failure under CI=true
const built = !requireOrSkip('the built coordinator', builtMissing(new URL('../dist/pbo-worker.js', import.meta.url)));

describe('analysis/overfitting.json on the executor', () => {
  it.skipIf(!built)('is byte-identical with 0, 1 and 2 workers, and each weight-set entry equals the plain replay route', async () => {
    const { dir, config } = smallWorkflow({ ensemble: '{ algorithm: genetic, objective: minimize_regime_drawdown, algorithm_options: { population: 8, generations: 3 } }' });
    const text = new Map<number, string>();
    for (const workers of [0, 1, 2]) {
      await runWorkflow(config, { outDir: join(dir, `w${workers}`), workers });
      text.set(workers, readFileSync(workspacePaths(join(dir, `w${workers}`)).overfitting, 'utf8'));
    }
    expect(text.get(1)).toBe(text.get(0));
    expect(text.get(2)).toBe(text.get(0));

    // the ensemble entries, recomputed from the workspace's files by the plain route
    const ws = workspacePaths(join(dir, 'w0'));
    const o = readJsonFile(ws.overfitting, OverfittingSchema);
    const resolved = readJsonFile(ws.configResolved, ResolvedConfigSchema);
    const m = readJsonFile(ws.manifest, ManifestSchema);
    const bars = loadMarketData(resolved.data.path).bars;
    const optimal = readJsonFile(ws.regimeOptimalParams, RegimeOptimalParamsSchema);
    const trials = readdirSync(ws.performance).filter((f) => f.startsWith('ensemble_trial_')).map((f) => readJsonFile(join(ws.performance, f), EnsembleTrialSchema));
    const strategies = ['strategy_1', 'strategy_2'];
    const window = { start: 0, end: m.split.train_bars };
    const objective = withoutTiebreak(compileObjective('minimize_regime_drawdown'));
    let compared = 0;
    for (const c of ['hmm', 'pattern_based']) {
      const track = readRegimeLabels(ws.regimeLabels(c, 'train'));
      const legs = buildLegs(track, strategies, optimal[c]!, (id) => readSignalEvents(ws.trialSignals(id, resolved.parameter_discovery.signal_format)).events);
      const batch = { close: bars.close, window, regime: track, breakdown: [track], legs, costs: resolved.costs, barsPerYear: m.bars_per_year };
      const mine = trials.filter((t) => t.classifier === c).sort((x, y) => compareIds(x.ensemble_trial_id, y.ensemble_trial_id));
      const vectors = mine.map((t) => weightVectors(track, strategies, t.weights));
      track.names.forEach((regime, k) => {
        const e = o.entries.find((x) => x.key === `ensemble/${c}/${regime}`)!;
        expect(e.ranked).toBe(`the ${mine.length} weight sets the genetic search scored for ${c}`);
        if (!e.result) return;
        expect(JSON.stringify(e.result)).toBe(JSON.stringify(plainWeightSetPbo(batch, vectors, k, o.blocks!, objective, resolved.ensemble_optimization.min_bars)));
        compared++;
      });
    }
    expect(compared).toBeGreaterThanOrEqual(2);
  });
});
