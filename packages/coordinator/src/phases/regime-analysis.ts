import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { PARETO_FRONTS_FILE, writeJsonAtomic } from '@regimen/core';
import { analyzeRegimes, parameterSurface } from '@regimen/optimizer';
import { readModel, readTrainTrack } from '../classifiers.js';
import { timedAsync, type PhaseOutput, type RunContext } from '../context.js';
import { overfittingReport } from '../overfitting.js';
import { trialPerformances } from '../trial-performances.js';

/** Phase 2: the optimizer reads every trial's results and writes the best parameters per regime. */
export async function regimeAnalysis(ctx: RunContext): Promise<PhaseOutput> {
  const cfg = ctx.config.regime_analysis;
  const perfs = trialPerformances(ctx);
  const classifiers = ctx.config.classifiers.map((c) => ({ name: c.name, regimes: readModel(ctx, c.name).regimes }));
  const { optimal, report, fronts } = analyzeRegimes(perfs, {
    classifiers,
    strategies: ctx.config.strategies.map((s) => s.name),
    objective: cfg.objective,
    metrics: cfg.metrics,
    min_bars: cfg.min_bars,
    min_trades: cfg.min_trades,
    runners_up: cfg.runners_up,
    bars_per_year: ctx.barsPerYear,
    ...(cfg.pareto ? { pareto: cfg.pareto } : {}),
  });
  const reportPath = ctx.paths.regimeReport;
  const surfacePath = ctx.paths.parameterSurface;
  writeJsonAtomic(ctx.paths.regimeOptimalParams, optimal);
  writeJsonAtomic(reportPath, report);
  writeJsonAtomic(surfacePath, parameterSurface(perfs));
  // several objectives: every regime's Pareto front; without them no front of an earlier config lingers
  const frontsPath = join(ctx.paths.analysis, PARETO_FRONTS_FILE);
  if (fronts) writeJsonAtomic(frontsPath, fronts);
  else rmSync(frontsPath, { force: true });
  // without a phase 3 the PBO of these winners is written here (phase 3 writes it with its weights' otherwise)
  const alone = !ctx.config.phases.includes('ensemble_optimization');
  if (alone) {
    const tracks = ctx.config.classifiers.map((c) => readTrainTrack(ctx, c.name));
    writeJsonAtomic(ctx.paths.overfitting, await timedAsync(ctx, 'overfitting', () => overfittingReport(ctx, perfs, report, tracks, [])));
  }
  return { outputs: [ctx.paths.regimeOptimalParams, reportPath, surfacePath, ...(alone ? [ctx.paths.overfitting] : []), ...(fronts ? [frontsPath] : [])], counts: { trials: perfs.length, classifiers: classifiers.length } };
}

export function regimeAnalysisInputs(ctx: RunContext): string[] {
  return [ctx.paths.trials, ...ctx.config.classifiers.flatMap((c) => [ctx.paths.classifierModel(c.name), ctx.paths.regimeLabels(c.name, 'train')])];
}
