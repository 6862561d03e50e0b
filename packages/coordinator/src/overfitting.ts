import {
  NO_REGIME,
  OVERFITTING_VERSION,
  regimenError,
  type EnsembleReport,
  type Overfitting,
  type PboEntry,
  type PboResult,
  type RegimeAnalysisReport,
  type RegimeTrack,
  type ReplayBatch,
  type SignalEvents,
  type TaskPool,
  type TrialPerformance,
} from '@regimen/core';
import { fileURLToPath } from 'node:url';
import { readSignalEvents } from '@regimen/data';
import { sharedCopy, weightVectors } from '@regimen/backtester';
import { prepareReplay } from '@regimen/kernel';
import { compareIds } from '@regimen/optimizer';
import { runPool } from './classifier-run.js';
import type { RunContext } from './context.js';
import { runPboTask, type PboTask, type PboTaskEntry, type WeightSetCandidates } from './pbo-task.js';

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
  /** the objective as written (compileObjective), run in the task */
  objective: string;
  /** rank ties by the objective's tiebreak */
  tiebreak: boolean;
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
 * The returns, their block summaries and the CSCV run as tasks on the executor's workers
 * (pbo-task.ts): one per strategy (its selection entries and its line), one for all_trials, one
 * per classifier × regime of the weight sets; each result depends on its task alone.
 */
export async function overfittingReport(ctx: RunContext, perfs: TrialPerformance[], regimeReport: RegimeAnalysisReport, tracks: RegimeTrack[], ensembles: ScoredWeightSets[]): Promise<Overfitting> {
  const window = { start: ctx.split.trainStart, end: ctx.split.trainEnd };
  const bars = Math.max(0, window.end - window.start - 1);
  const wanted = ctx.config.regime_analysis.pbo_blocks;
  const S = Math.floor(bars / wanted) >= MIN_BARS_PER_BLOCK ? wanted : null;
  const captured = ctx.config.parameter_discovery.capture_signals;
  const groups = tracks.map((t) => regimeCounts(t, window));
  const strategies = ctx.config.strategies.map((s) => s.name);
  const phase2: Ranker = { objective: regimeReport.objective, tiebreak: true, statistic: regimeReport.objective, minBars: regimeReport.min_bars, minTrades: regimeReport.min_trades };
  const sharpe: Ranker = { objective: 'sharpe', tiebreak: true, statistic: 'sharpe', minBars: 0, minTrades: 0 };
  const cfg3 = ctx.config.ensemble_optimization;
  // phase 3 ranks weight sets by score then id, without the objective's tiebreak (analyzeEnsemble)
  const phase3: Ranker = { objective: cfg3.objective, tiebreak: false, statistic: cfg3.objective, minBars: cfg3.min_bars, minTrades: 0 };
  const pool = runPool(ctx.executor);
  const share = <T extends Float64Array | Uint8Array>(a: T): T => (pool ? sharedCopy(a) : a);

  // per strategy: the trials in the run's id order
  const byStrategy = new Map(strategies.map((s) => [s, perfs.filter((p) => p.strategy === s).sort((a, b) => compareIds(a.trial_id, b.trial_id))]));
  const runnable = S !== null && captured;
  const common = runnable ? { ...taskCommon(ctx.bars.close, window, S, ctx.config.costs, ctx.barsPerYear, share), engine: ctx.engine.name } : null;
  const labelsOf = runnable ? tracks.map((t) => share(t.labels.slice(window.start, window.end))) : [];
  const events = new Map<string, SignalEvents>();
  const eventsOf = (id: string) => {
    let e = events.get(id);
    if (!e) events.set(id, (e = readSignalEvents(ctx.paths.trialSignals(id, ctx.config.parameter_discovery.signal_format)).events));
    return e;
  };
  const tasks: PboTask[] = [];
  const planned: Planned[] = [];
  // an entry whose CSCV runs joins its candidates' task (a new one when `task` is null)
  const plan = (head: EntryHead, ranker: Ranker, reason: string | null, candidates: number, task: () => PboTask, entry: Omit<PboTaskEntry, 'objective' | 'tiebreak' | 'minBars' | 'minTrades'>) => {
    const p: Planned = { head, ranker, reason, candidates, at: null };
    if (reason === null && S !== null && candidates >= 2) {
      const t = task();
      p.at = [tasks.indexOf(t) < 0 ? tasks.push(t) - 1 : tasks.indexOf(t), t.entries.length];
      t.entries.push({ ...entry, objective: ranker.objective, tiebreak: ranker.tiebreak, minBars: ranker.minBars, minTrades: ranker.minTrades });
    }
    planned.push(p);
  };
  const missing = S === null
    ? `the training window's ${bars} returns are too few for ${wanted} blocks of ${MIN_BARS_PER_BLOCK}`
    : !captured ? 'phase 1 kept no signals (parameter_discovery.capture_signals: false), so no returns to split' : null;
  const trialTask = new Map<string, PboTask>();
  const ofTrials = (key: string, trials: TrialPerformance[]) => () => {
    let t = trialTask.get(key);
    if (!t) trialTask.set(key, (t = { ...common!, labels: labelsOf, candidates: { kind: 'trials', events: trials.map((x) => eventsOf(x.trial_id)) }, entries: [] }));
    return t;
  };
  tracks.forEach((track, ti) => {
    track.names.forEach((regime, ri) => {
      const m = groups[ti]![ri]!;
      for (const s of strategies) {
        const trials = byStrategy.get(s)!;
        const run = regimeReport.classifiers[track.classifier]?.[regime]?.[s];
        const skipped = run?.skipped ? `the run selected nothing on this regime's bars (${run.skipped})` : null;
        plan(
          { key: `selection/${track.classifier}/${regime}/${s}`, kind: 'selection', classifier: track.classifier, regime, strategy: s, ranked: `the ${trials.length} trials of ${s}`, bars: regimeBars(m, regime, track.classifier), bar_count: m },
          phase2, missing ?? skipped ?? tooFew(m, S!), trials.length, ofTrials(s, trials), { track: ti, regime: ri },
        );
      }
    });
  });
  for (const e of ensembles) {
    const c = e.regime.classifier;
    const ti = tracks.findIndex((t) => t.classifier === c);
    const sets = [...e.sets].sort((a, b) => compareIds(a.id, b.id));
    // the weight sets' legs and weights, made once for the classifier's regimes
    let candidates: WeightSetCandidates | undefined;
    e.regime.names.forEach((regime, ri) => {
      const m = ti < 0 ? 0 : groups[ti]![ri]!;
      const fallback = e.report.regimes[regime]?.fallback;
      plan(
        { key: `ensemble/${c}/${regime}`, kind: 'ensemble', classifier: c, regime, strategy: null, ranked: `the ${sets.length} weight sets the ${cfg3.algorithm} search scored for ${c}`, bars: regimeBars(m, regime, c), bar_count: m },
        phase3, missing ?? (fallback ? `the run selected nothing on this regime's bars (${fallback})` : null) ?? tooFew(m, S!), sets.length,
        () => ({ ...common!, labels: [labelsOf[ti]!], candidates: (candidates ??= weightSetCandidates(e, sets, window, share)), entries: [] }),
        { track: 0, regime: ri },
      );
    });
  }
  for (const s of strategies) {
    const trials = byStrategy.get(s)!;
    plan(
      { key: `strategy/${s}`, kind: 'strategy', classifier: null, regime: null, strategy: s, ranked: `the ${trials.length} trials of ${s}`, bars: `all ${bars} returns of the training window`, bar_count: bars },
      sharpe, missing, trials.length, ofTrials(s, trials), { track: null, regime: 0 },
    );
  }
  const all = strategies.flatMap((s) => byStrategy.get(s)!);
  plan(
    { key: 'all_trials', kind: 'all_trials', classifier: null, regime: null, strategy: null, ranked: `all ${perfs.length} trials`, bars: `all ${bars} returns of the training window`, bar_count: bars },
    sharpe, missing, all.length, ofTrials('', all), { track: null, regime: 0 },
  );
  const results = await runPboTasks(tasks, pool);
  const entries = planned.map((p) => pboEntry(p, p.at ? results[p.at[0]]![p.at[1]]! : null));
  return { version: OVERFITTING_VERSION, window, blocks: S, entries };
}

interface Planned {
  head: EntryHead;
  ranker: Ranker;
  reason: string | null;
  candidates: number;
  /** [task, entry of the task] when its CSCV ran */
  at: [number, number] | null;
}

/** dist/pbo-worker.js, also when this module runs from src/ under a test runner (workers run built code) */
function workerModule(): string {
  const here = import.meta.url;
  return fileURLToPath(new URL(/\/src\/[^/]+$/.test(here) ? '../dist/pbo-worker.js' : './pbo-worker.js', here));
}

/**
 * The tasks on the pool, the largest first so that the last to finish is a small one; without a
 * pool one by one here, each after a turn of the event loop (signals, timers). Results in task order.
 */
async function runPboTasks(tasks: PboTask[], pool: TaskPool | undefined): Promise<Array<Array<PboResult | null>>> {
  const work = (t: PboTask) => t.entries.length * (t.candidates.kind === 'trials' ? t.candidates.events.length : t.candidates.weights.length) * (t.end - t.start);
  const order = tasks.map((_, i) => i).sort((a, b) => work(tasks[b]!) - work(tasks[a]!) || a - b);
  const out = new Array<Array<PboResult | null>>(tasks.length);
  if (pool) {
    await Promise.all(order.map(async (i) => (out[i] = await pool.run<Array<PboResult | null>>(workerModule(), tasks[i]))));
    return out;
  }
  for (const i of order) {
    await new Promise<void>((r) => setImmediate(r));
    out[i] = runPboTask(tasks[i]!);
  }
  return out;
}

/** What every task of the window shares: its bars' growth, the costs, S and the bars per year. */
export function taskCommon(close: Float64Array, window: { start: number; end: number }, S: number, costs: { fee: number; slippage: number }, barsPerYear: number, share: <T extends Float64Array>(a: T) => T = (a) => a): Omit<PboTask, 'labels' | 'candidates' | 'entries'> {
  const growth = new Float64Array(Math.max(0, window.end - window.start - 1));
  for (let t = window.start + 1; t < window.end; t++) growth[t - window.start - 1] = close[t]! / close[t - 1]! - 1;
  return { start: window.start, end: window.end, growth: share(growth), cost: costs.fee + costs.slippage, blocks: S, barsPerYear };
}

/** Phase 3's legs as one series per strategy (the leg of each bar's regime, 0 where none) and every set's weights. */
export function weightSetCandidates(e: Pick<ScoredWeightSets, 'regime' | 'batch'>, sets: ScoredWeightSets['sets'], window: { start: number; end: number }, share: <T extends Float64Array>(a: T) => T = (a) => a): WeightSetCandidates {
  const { legPositions } = prepareReplay({ ...e.batch, weightSets: [] });
  const labels = e.regime.labels;
  const legs = legPositions.map((byRegime) => {
    const out = new Float64Array(window.end - window.start);
    for (let t = window.start; t < window.end; t++) {
      const k = labels[t]!;
      if (k !== NO_REGIME) out[t - window.start] = byRegime[k]?.[t] ?? 0;
    }
    return share(out);
  });
  const strategies = e.batch.legs.map((l) => l.strategy);
  const K = e.regime.names.length, L = strategies.length;
  const weights = new Float64Array(sets.length * K * L);
  sets.forEach((s, i) => weightVectors(e.regime, strategies, s.weights).forEach((w, k) => weights.set(w, (i * K + k) * L)));
  return { kind: 'weight-sets', track: 0, legs, weights, regimes: K };
}

type EntryHead = Pick<PboEntry, 'key' | 'kind' | 'classifier' | 'regime' | 'strategy' | 'ranked' | 'bars' | 'bar_count'>;

function pboEntry(p: Planned, result: PboResult | null): PboEntry {
  const { head, ranker, reason } = p;
  const base = { ...head, statistic: ranker.statistic, min_bars: ranker.minBars, min_trades: ranker.minTrades };
  if (reason !== null) return { ...base, result: null, reason };
  if (p.candidates < 2) return { ...base, result: null, reason: `${p.candidates} candidate: CSCV ranks at least 2` };
  const filters = ranker.minBars || ranker.minTrades ? ` after the filters (each half held to min_bars ${Math.ceil(ranker.minBars / 2)}, min_trades ${Math.ceil(ranker.minTrades / 2)})` : '';
  return { ...base, result, reason: result ? null : `no split left 2 candidates in sample and another out of sample${filters}` };
}

const regimeBars = (m: number, regime: string, classifier: string) => `the ${m} training-window returns whose position was taken in regime ${regime} of ${classifier}`;
const tooFew = (m: number, S: number) => (Math.floor(m / S) < MIN_BARS_PER_BLOCK ? `${m} returns in this regime: fewer than ${MIN_BARS_PER_BLOCK} per block for ${S} blocks` : null);

/** Per regime of a track, the number of the window's returns attributed to it: label[t − 1] (DESIGN §5). */
function regimeCounts(track: RegimeTrack, window: { start: number; end: number }): number[] {
  const count = new Array<number>(track.names.length).fill(0);
  for (let t = window.start + 1; t < window.end; t++) if (track.labels[t - 1] !== NO_REGIME) count[track.labels[t - 1]!]!++;
  return count;
}
