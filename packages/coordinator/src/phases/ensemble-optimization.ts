import {
  canonicalJson,
  EnsembleTrialSchema,
  isContinuous,
  iterateGrid,
  parsePluginOptions,
  readJsonFile,
  RegimeAnalysisReportSchema,
  RegimeOptimalParamsSchema,
  regimenError,
  sha256,
  writeJsonAtomic,
  type Candidate,
  type EnsembleTrial,
  type EnsembleWeights,
  type SearchOutcome,
  type SignalEvents,
} from '@regimen/core';
import { buildLegs, replayBatch } from '@regimen/backtester';
import { readSignalEvents } from '@regimen/data';
import { analyzeEnsemble, compileObjective, ensembleScores, weightSpace, withBudget } from '@regimen/optimizer';
import { phaseBudget } from '../search.js';
import { join } from 'node:path';
import { readTrainTrack } from '../classifiers.js';
import { checkInterrupted, timed, timedAsync, type PhaseOutput, type RunContext } from '../context.js';
import { overfittingReport, type ScoredWeightSets } from '../overfitting.js';
import { trialPerformances } from '../trial-performances.js';
import { existsSync, readdirSync, rmSync } from 'node:fs';

/**
 * Phase 3: weight sets are scored by replaying the signals saved in phase 1 — no indicator is
 * recomputed. Every weight set is replayed with the same weights in every regime; its per-regime
 * breakdown scores it for each regime at once. One search runs per regime (ask/tell), so a
 * genetic search evolves each regime's weights on that regime's own score. Each search runs under
 * the phase's budget (max_trials, patience on its regime's score, timeout), asked 64 weight sets
 * at a time whatever the worker count; the warm start below is not counted.
 */
export async function ensembleOptimization(ctx: RunContext): Promise<PhaseOutput> {
  const cfg = ctx.config.ensemble_optimization;
  const optimal = readJsonFile(ctx.paths.regimeOptimalParams, RegimeOptimalParamsSchema);
  const strategies = ctx.config.strategies.map((s) => s.name);
  const objective = compileObjective(cfg.objective);
  const plugin = ctx.registry.optimizer(cfg.algorithm);
  const options = parsePluginOptions(plugin, cfg.algorithm_options, 'workflow.phases.ensemble_optimization.config.algorithm_options');
  const budget = phaseBudget(ctx.config, 'ensemble_optimization', ctx.configPath);
  const outcomes: Record<string, SearchOutcome> = {};
  const space = weightSpace(strategies, { values: cfg.weight_space as never, sum_to_one: cfg.sum_to_one, min_weight: cfg.min_weight, where: 'workflow.phases.ensemble_optimization.config.weight_space' });
  const tracks = ctx.config.classifiers.map((c) => readTrainTrack(ctx, c.name));
  const window = { start: ctx.split.trainStart, end: ctx.split.trainEnd };

  if (!ctx.resume) {
    for (const f of readdirSync(ctx.paths.performance)) if (/^ensemble_trial_.*\.json$/.test(f)) rmSync(join(ctx.paths.performance, f), { force: true });
  }
  const weights: EnsembleWeights = {};
  const reports: Record<string, unknown> = {};
  const scored: ScoredWeightSets[] = [];
  const outputs: string[] = [];
  let evaluated = 0;
  // each winner's signal file is read once, however many classifiers pick it
  const signals = new Map<string, SignalEvents>();
  const eventsOf = (id: string) => {
    let e = signals.get(id);
    if (!e) signals.set(id, (e = readSignalEvents(ctx.paths.trialSignals(id, ctx.config.parameter_discovery.signal_format)).events));
    return e;
  };
  for (const regime of tracks) {
    const c = regime.classifier;
    const winners = optimal[c];
    if (!winners) throw regimenError({ code: 'workspace', file: ctx.paths.regimeOptimalParams, field: c, message: 'no entry for this classifier' });
    const searches = regime.names.map((name) => ({ name, search: withBudget(plugin.create(space, options, ctx.rng.fork(`ensemble:${c}:${name}`)), budget) }));
    const trials = new Map<string, EnsembleTrial>();
    const input = { close: ctx.bars.close, window, regime, breakdown: tracks, strategies, winners, costs: ctx.config.costs, barsPerYear: ctx.barsPerYear };
    const legs = buildLegs(regime, strategies, winners, eventsOf);

    const evaluate = async (cands: Candidate[]) => {
      const fresh = new Map<string, Candidate>();
      for (const cand of cands) {
        const id = ensembleId(c, cand);
        if (trials.has(id) || fresh.has(id)) continue;
        const kept = ctx.resume ? committedEnsembleTrial(ctx, id) : null;
        if (kept) trials.set(id, kept);
        else fresh.set(id, cand);
      }
      const sets = [...fresh.values()].map((cand) => Object.fromEntries(strategies.map((s) => [s, Number(cand[s] ?? 0)])));
      const rows = sets.length ? await timedAsync(ctx, 'replay', () => ctx.executor.replay(replayBatch(input, legs, sets))) : [];
      timed(ctx, 'files', () => [...fresh.keys()].forEach((id, i) => {
        const row = rows[i]!;
        const scores = ensembleScores(row.regimes[c], objective, cfg.min_bars);
        const trial: EnsembleTrial = { ensemble_trial_id: id, classifier: c, weights: sets[i]!, split: 'train', bars: window.end - window.start, metrics: row.metrics, regimes: row.regimes, scores };
        writeJsonAtomic(ctx.paths.ensembleTrial(id), trial, { durable: false }); // re-validated on resume
        trials.set(id, trial);
      }));
      evaluated += sets.length;
      ctx.emit({ type: 'progress', phase: 'ensemble_optimization', done: evaluated, total: undefined });
    };

    // A search other than the grid starts from the configured weight grid: its points are scored
    // first, so the result is never worse per regime than the grid the config names.
    if (plugin.name !== 'grid' && !space.dimensions.some(isContinuous)) {
      const start: Candidate[] = [];
      for (const cand of iterateGrid(space)) if (start.push(cand) >= WARM_START_MAX) break;
      await evaluate(start);
    }

    for (let active = searches.filter((s) => !s.search.done); active.length > 0; active = active.filter((s) => !s.search.done)) {
      checkInterrupted(ctx);
      const asked = active.map((s) => ({ s, candidates: s.search.ask(64) }));
      if (asked.every((a) => a.candidates.length === 0)) break;
      await evaluate(asked.flatMap((a) => a.candidates));
      for (const a of asked) {
        a.s.search.tell(a.candidates.map((cand) => ({ candidate: cand, score: trials.get(ensembleId(c, cand))!.scores[a.s.name] ?? Number.NaN })));
      }
    }
    for (const { name, search } of searches) {
      const stoppedBy = search.stoppedBy ?? 'exhausted';
      outcomes[`${c}/${name}`] = { algorithm: plugin.name, trials: search.kept, stopped_by: stoppedBy, reproducible: stoppedBy !== 'timeout', budget };
      if (stoppedBy === 'timeout') ctx.emit({ type: 'info', message: `ensemble ${c}/${name}: the weight search stopped at its timeout after ${search.kept} weight sets — not reproducible (max_trials is); recorded in checkpoints/ensemble_optimization.json` });
    }
    for (const t of trials.values()) outputs.push(ctx.paths.ensembleTrial(t.ensemble_trial_id));
    const sorted = [...trials.values()].sort((a, b) => (a.ensemble_trial_id < b.ensemble_trial_id ? -1 : 1));
    const analysis = analyzeEnsemble(sorted, { classifier: c, regimes: regime.names, strategies, evaluationOrder: [...trials.keys()] });
    weights[c] = analysis.weights;
    reports[c] = analysis.report;
    const { weightSets: _none, ...batch } = replayBatch(input, legs, []);
    scored.push({ regime, batch, sets: sorted.map((t) => ({ id: t.ensemble_trial_id, weights: t.weights })), report: analysis.report });
  }
  // the PBO of both selections (phase 2's winners, these weights) needs the weight sets scored here
  const perfs = trialPerformances(ctx);
  const regimeReport = readJsonFile(ctx.paths.regimeReport, RegimeAnalysisReportSchema);
  writeJsonAtomic(ctx.paths.overfitting, await timedAsync(ctx, 'overfitting', () => overfittingReport(ctx, perfs, regimeReport, tracks, scored)));
  const reportPath = join(ctx.paths.analysis, 'ensemble_report.json');
  writeJsonAtomic(reportPath, reports);
  writeJsonAtomic(ctx.paths.ensembleWeights, weights);
  return { outputs: [ctx.paths.ensembleWeights, reportPath, ctx.paths.overfitting, ...outputs], counts: { weight_sets: evaluated, classifiers: tracks.length }, ...(Object.keys(budget).length ? { search: outcomes } : {}) };
}

const WARM_START_MAX = 10_000;

/** An ensemble trial an interrupted run already wrote (valid), or null. */
function committedEnsembleTrial(ctx: RunContext, id: string): EnsembleTrial | null {
  const p = ctx.paths.ensembleTrial(id);
  if (!existsSync(p)) return null;
  try {
    return readJsonFile(p, EnsembleTrialSchema);
  } catch {
    return null;
  }
}

/** `<classifier>-<8 hex>` of the weight vector, stable across runs. */
function ensembleId(classifier: string, weights: Candidate): string {
  return `${classifier}-${sha256(canonicalJson(weights)).slice(0, 8)}`;
}

export function ensembleInputs(ctx: RunContext): string[] {
  // the regime report: phase 2's objective and filters, which the PBO of its winners ranks by
  return [ctx.paths.regimeOptimalParams, ctx.paths.regimeReport, ctx.paths.trials, ...ctx.config.classifiers.map((c) => ctx.paths.regimeLabels(c.name, 'train'))];
}
