import {
  NO_REGIME,
  OVERFITTING_VERSION,
  regimenError,
  type EnsembleReport,
  type Overfitting,
  type PboEntry,
  type RegimeAnalysisReport,
  type RegimeTrack,
  type ReplayBatch,
  type SignalEvents,
  type TrialPerformance,
} from '@regimen/core';
import { readSignalEvents } from '@regimen/data';
import { weightVectors } from '@regimen/backtester';
import { positionsFromEvents, prepareReplay, replayPositions, windowReturns } from '@regimen/kernel';
import { candidateBlocks, compareIds, compileObjective, probabilityOfBacktestOverfitting, type CandidateBlocks, type Objective } from '@regimen/optimizer';
import type { RunContext } from './context.js';

/** Fewest returns a block may hold: below it a block's Sharpe or drawdown says next to nothing. */
export const MIN_BARS_PER_BLOCK = 4;

/**
 * Refuse, before anything is written, a pbo_blocks whose blocks would hold fewer than
 * MIN_BARS_PER_BLOCK returns of a training window (of any fold of a walk-forward).
 */
export function checkPboBlocks(S: number, folds: ReadonlyArray<{ index: number; train: { start: number; end: number } }>, configPath: string): void {
  for (const f of folds) {
    const returns = f.train.end - f.train.start - 1;
    if (Math.floor(returns / S) < MIN_BARS_PER_BLOCK) {
      const where = folds.length > 1 ? `fold ${f.index}'s training window` : 'the training window';
      throw regimenError({ code: 'config', file: configPath, field: 'workflow.phases.regime_analysis.config.pbo_blocks', value: S, message: `${where} has ${returns} returns: ${S} blocks need at least ${MIN_BARS_PER_BLOCK * S} (${MIN_BARS_PER_BLOCK} per block); use fewer blocks` });
    }
  }
}

/** The weight sets one classifier's phase-3 search scored, with what it takes to replay them. */
export interface ScoredWeightSets {
  regime: RegimeTrack;
  /** the replay batch of phase 3 (legs: each strategy's regime winners) */
  batch: Omit<ReplayBatch, 'weightSets'>;
  /** every weight set scored, in any order */
  sets: Array<{ id: string; weights: Record<string, number> }>;
  report: EnsembleReport;
}

interface Ranker {
  objective: Objective;
  statistic: string;
  minBars: number;
  minTrades: number;
}

/**
 * analysis/overfitting.json of one workspace (a fold of a walk-forward, or the single split): the
 * Probability of Backtest Overfitting of the selections the run makes (DESIGN §5, docs/overfitting.md):
 *   selection/<classifier>/<regime>/<strategy> — phase 2's per-regime winner: the strategy's
 *     trials ranked by the phase-2 objective with its min_bars/min_trades filters, over the
 *     training bars whose position was taken in that regime;
 *   ensemble/<classifier>/<regime> — phase 3's weights: every weight set the configured search
 *     scored, ranked by the phase-3 objective with its min_bars filter, over the same bars;
 * and, as secondary lines, strategy/<strategy> and all_trials: the trials ranked by Sharpe over the
 * whole training window (no filters), the question "is the best overall trial a fluke?".
 * Every trial's returns are rebuilt from its saved signals, every weight set's by replaying them.
 */
export function overfittingReport(ctx: RunContext, perfs: TrialPerformance[], regimeReport: RegimeAnalysisReport, tracks: RegimeTrack[], ensembles: ScoredWeightSets[]): Overfitting {
  const window = { start: ctx.split.trainStart, end: ctx.split.trainEnd };
  const bars = Math.max(0, window.end - window.start - 1);
  const wanted = ctx.config.regime_analysis.pbo_blocks;
  const S = Math.floor(bars / wanted) >= MIN_BARS_PER_BLOCK ? wanted : null;
  const captured = ctx.config.parameter_discovery.capture_signals;
  const groups = tracks.map((t) => regimeIndexes(t, window));
  const strategies = ctx.config.strategies.map((s) => s.name);
  const phase2: Ranker = { objective: compileObjective(regimeReport.objective), statistic: regimeReport.objective, minBars: regimeReport.min_bars, minTrades: regimeReport.min_trades };
  const sharpe: Ranker = { objective: compileObjective('sharpe'), statistic: 'sharpe', minBars: 0, minTrades: 0 };
  const cfg3 = ctx.config.ensemble_optimization;
  // phase 3 ranks weight sets by score then id, without the objective's tiebreak (analyzeEnsemble)
  const objective3 = compileObjective(cfg3.objective);
  const phase3: Ranker = { objective: { name: objective3.name, score: objective3.score }, statistic: cfg3.objective, minBars: cfg3.min_bars, minTrades: 0 };

  // per strategy: the trials in the run's id order, and their block summaries per classifier/regime and overall
  const byStrategy = new Map(strategies.map((s) => [s, perfs.filter((p) => p.strategy === s).sort((a, b) => compareIds(a.trial_id, b.trial_id))]));
  const trialBlocks = new Map<string, { overall: CandidateBlocks | null; regimes: Array<Array<CandidateBlocks | null>> }>();
  if (S !== null && captured) {
    const positions = new Float64Array(ctx.bars.close.length);
    const returns = new Float64Array(bars);
    for (const p of perfs) {
      const events: SignalEvents = readSignalEvents(ctx.paths.trialSignals(p.trial_id, ctx.config.parameter_discovery.signal_format)).events;
      positionsFromEvents(events, ctx.bars.close.length, window, positions);
      trialBlocks.set(p.trial_id, summarise(ctx, positions, window, returns, groups, S));
    }
  }

  const entries: PboEntry[] = [];
  const missing = S === null
    ? `the training window's ${bars} returns are too few for ${wanted} blocks of ${MIN_BARS_PER_BLOCK}`
    : !captured ? 'phase 1 kept no signals (parameter_discovery.capture_signals: false), so no returns to split' : null;
  tracks.forEach((track, ti) => {
    track.names.forEach((regime, ri) => {
      const m = groups[ti]![ri]!.length;
      for (const s of strategies) {
        const trials = byStrategy.get(s)!;
        const run = regimeReport.classifiers[track.classifier]?.[regime]?.[s];
        const skipped = run?.skipped ? `the run selected nothing on this regime's bars (${run.skipped})` : null;
        entries.push(pboEntry(
          { key: `selection/${track.classifier}/${regime}/${s}`, kind: 'selection', classifier: track.classifier, regime, strategy: s, ranked: `the ${trials.length} trials of ${s}`, bars: regimeBars(m, regime, track.classifier), bar_count: m },
          phase2, ctx.barsPerYear, S, missing ?? skipped ?? tooFew(m, S!), () => trials.map((t) => trialBlocks.get(t.trial_id)!.regimes[ti]![ri]!),
        ));
      }
    });
  });
  for (const e of ensembles) {
    const c = e.regime.classifier;
    const ti = tracks.findIndex((t) => t.classifier === c);
    const sets = [...e.sets].sort((a, b) => compareIds(a.id, b.id));
    // each weight set's returns, replayed once, summarised for every regime
    const blocks = S === null || !captured || ti < 0 ? null : replayedBlocks(ctx, e, sets, window, groups[ti]!, S);
    e.regime.names.forEach((regime, ri) => {
      const m = ti < 0 ? 0 : groups[ti]![ri]!.length;
      const fallback = e.report.regimes[regime]?.fallback;
      entries.push(pboEntry(
        { key: `ensemble/${c}/${regime}`, kind: 'ensemble', classifier: c, regime, strategy: null, ranked: `the ${sets.length} weight sets the ${cfg3.algorithm} search scored for ${c}`, bars: regimeBars(m, regime, c), bar_count: m },
        phase3, ctx.barsPerYear, S, missing ?? (fallback ? `the run selected nothing on this regime's bars (${fallback})` : null) ?? tooFew(m, S!), () => blocks!.map((b) => b[ri]!),
      ));
    });
  }
  for (const s of strategies) {
    const trials = byStrategy.get(s)!;
    entries.push(pboEntry(
      { key: `strategy/${s}`, kind: 'strategy', classifier: null, regime: null, strategy: s, ranked: `the ${trials.length} trials of ${s}`, bars: `all ${bars} returns of the training window`, bar_count: bars },
      sharpe, ctx.barsPerYear, S, missing, () => trials.map((t) => trialBlocks.get(t.trial_id)!.overall!),
    ));
  }
  entries.push(pboEntry(
    { key: 'all_trials', kind: 'all_trials', classifier: null, regime: null, strategy: null, ranked: `all ${perfs.length} trials`, bars: `all ${bars} returns of the training window`, bar_count: bars },
    sharpe, ctx.barsPerYear, S, missing, () => strategies.flatMap((s) => byStrategy.get(s)!.map((t) => trialBlocks.get(t.trial_id)!.overall!)),
  ));
  return { version: OVERFITTING_VERSION, window, blocks: S, entries };
}

type EntryHead = Pick<PboEntry, 'key' | 'kind' | 'classifier' | 'regime' | 'strategy' | 'ranked' | 'bars' | 'bar_count'>;

function pboEntry(head: EntryHead, ranker: Ranker, barsPerYear: number, S: number | null, reason: string | null, candidates: () => CandidateBlocks[]): PboEntry {
  const base = { ...head, statistic: ranker.statistic, min_bars: ranker.minBars, min_trades: ranker.minTrades };
  if (reason !== null || S === null) return { ...base, result: null, reason: reason ?? 'no blocks' };
  const list = candidates();
  if (list.length < 2) return { ...base, result: null, reason: `${list.length} candidate: CSCV ranks at least 2` };
  const result = probabilityOfBacktestOverfitting(list, { blocks: S, objective: ranker.objective, barsPerYear, minBars: ranker.minBars, minTrades: ranker.minTrades });
  const filters = ranker.minBars || ranker.minTrades ? ` after the filters (each half held to min_bars ${Math.ceil(ranker.minBars / 2)}, min_trades ${Math.ceil(ranker.minTrades / 2)})` : '';
  return { ...base, result, reason: result ? null : `no split left 2 candidates in sample and another out of sample${filters}` };
}

const regimeBars = (m: number, regime: string, classifier: string) => `the ${m} training-window returns whose position was taken in regime ${regime} of ${classifier}`;
const tooFew = (m: number, S: number) => (Math.floor(m / S) < MIN_BARS_PER_BLOCK ? `${m} returns in this regime: fewer than ${MIN_BARS_PER_BLOCK} per block for ${S} blocks` : null);

/** Per regime of a track, the indexes (t − start − 1) of the window's returns attributed to it: label[t − 1] (DESIGN §5). */
function regimeIndexes(track: RegimeTrack, window: { start: number; end: number }): Int32Array[] {
  const count = new Int32Array(track.names.length);
  for (let t = window.start + 1; t < window.end; t++) if (track.labels[t - 1] !== NO_REGIME) count[track.labels[t - 1]!]!++;
  const out = Array.from(count, (n) => new Int32Array(n));
  const fill = new Int32Array(track.names.length);
  for (let t = window.start + 1; t < window.end; t++) {
    const k = track.labels[t - 1]!;
    if (k !== NO_REGIME) out[k]![fill[k]!++] = t - window.start - 1;
  }
  return out;
}

/** A candidate's returns, trades and exposure over the window, summarised overall and per regime of every track. */
function summarise(ctx: RunContext, positions: Float64Array, window: { start: number; end: number }, returns: Float64Array, groups: Int32Array[][], S: number, overall = true) {
  windowReturns(ctx.bars.close, positions, window, ctx.config.costs, returns);
  const n = returns.length;
  const traded = new Uint8Array(n);
  const exposed = new Uint8Array(n);
  for (let j = 0; j < n; j++) {
    const t = window.start + 1 + j;
    traded[j] = positions[t] !== positions[t - 1] ? 1 : 0;
    exposed[j] = positions[t - 1] !== 0 ? 1 : 0;
  }
  return {
    overall: overall ? candidateBlocks({ returns, traded, exposed }, S) : null,
    regimes: groups.map((track) => track.map((idx) => (Math.floor(idx.length / S) < MIN_BARS_PER_BLOCK ? null : candidateBlocks(gather(idx, returns, traded, exposed), S)))),
  };
}

function gather(idx: Int32Array, returns: Float64Array, traded: Uint8Array, exposed: Uint8Array) {
  const r = new Float64Array(idx.length), tr = new Uint8Array(idx.length), ex = new Uint8Array(idx.length);
  idx.forEach((j, i) => ((r[i] = returns[j]!), (tr[i] = traded[j]!), (ex[i] = exposed[j]!)));
  return { returns: r, traded: tr, exposed: ex };
}

/** Every weight set replayed as phase 3 scored it (the same weights in every regime), summarised per regime. */
function replayedBlocks(ctx: RunContext, e: ScoredWeightSets, sets: ScoredWeightSets['sets'], window: { start: number; end: number }, groups: Int32Array[], S: number) {
  const prepared = prepareReplay({ ...e.batch, weightSets: [] });
  const positions = new Float64Array(ctx.bars.close.length);
  const returns = new Float64Array(Math.max(0, window.end - window.start - 1));
  const strategies = e.batch.legs.map((l) => l.strategy);
  return sets.map((s) => {
    replayPositions(prepared, weightVectors(e.regime, strategies, s.weights), positions);
    // weight sets have no overall line: their regimes only
    return summarise(ctx, positions, window, returns, [groups], S, false).regimes[0]!;
  });
}
