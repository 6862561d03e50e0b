import { relative } from 'node:path';
import { parsePluginOptions, regimenError, writeJsonAtomic, type Search, type TrialPerformance, type TrialSpec } from '@regimen/core';
import { runFullBacktest } from '@regimen/backtester';
import { writeTrialsTable } from '@regimen/data';
import { strategyDefinition } from "@regimen/kernel";
import { assertSatisfiable, buildSearchSpace, compileObjective } from '@regimen/optimizer';
import { fitClassifiers } from '../classifiers.js';
import type { PhaseOutput, RunContext } from '../context.js';
import { makeTrial } from '../trials.js';

/**
 * Phase 1: fit classifiers on the training split, let the optimizer expand each strategy's space
 * (ask/tell, so a genetic search goes generation by generation), run every trial in `full` mode on
 * the training window and save its signals and performance broken down by every classifier.
 */
export async function parameterDiscovery(ctx: RunContext): Promise<PhaseOutput> {
  const cfg = ctx.config.parameter_discovery;
  const tracks = fitClassifiers(ctx);
  const objective = compileObjective(cfg.objective);
  const plugin = ctx.registry.optimizer(cfg.algorithm);
  const options = parsePluginOptions(plugin, cfg.algorithm_options, 'workflow.phases.parameter_discovery.config.algorithm_options');

  const searches = ctx.config.strategies.map((s) => {
    const where = `workflow.strategies.${s.name}`;
    const space = buildSearchSpace(s.parameter_space, { constraints: s.constraints, where });
    assertSatisfiable(space, where);
    return { s, search: plugin.create(space, options, ctx.rng.fork('phase1:' + s.name)) as Search };
  });
  const estimate = searches.reduce<number | undefined>((sum, x) => {
    const e = x.search.estimate();
    return sum === undefined || e === undefined ? undefined : sum + e;
  }, 0);

  const all: TrialSpec[] = [];
  const perfs: TrialPerformance[] = [];
  const seen = new Set<string>();
  const scoreById = new Map<string, number>();
  const chunk = Math.max(cfg.batch_size * Math.max(1, ctx.executor.workers) * 4, 256);
  const job = { bars: ctx.bars, window: { start: 0, end: ctx.split.trainEnd }, regimes: tracks, costs: ctx.config.costs, barsPerYear: ctx.barsPerYear, captureSignals: cfg.capture_signals, batchSize: cfg.batch_size };
  const outputs = {
    performance: ctx.paths.trialPerformance,
    signals: cfg.capture_signals ? (id: string) => ctx.paths.trialSignals(id, cfg.signal_format) : null,
    signalFormat: cfg.signal_format,
    split: 'train' as const,
    relativeTo: (p: string) => relative(ctx.paths.base, p),
    onTrialWritten: () => ctx.emit({ type: 'progress', phase: 'parameter_discovery', done: perfs.length + ++written, total: estimate }),
  };
  let written = 0;

  for (let active = searches.filter((x) => !x.search.done); active.length > 0; active = active.filter((x) => !x.search.done)) {
    let asked = 0;
    for (const { s, search } of active) {
      const candidates = search.ask(chunk);
      asked += candidates.length;
      if (candidates.length === 0) continue;
      const trials = candidates.map((c) => makeTrial(s, c, ctx.configPath));
      const fresh = trials.filter((t) => !seen.has(t.trial_id) && (seen.add(t.trial_id), true));
      const warm = Math.max(...fresh.map((t) => strategyDefinition(t.type).warmup(t.params as never)), 0);
      if (warm + 2 > ctx.split.trainEnd) {
        const worst = fresh.find((t) => strategyDefinition(t.type).warmup(t.params as never) === warm)!;
        throw regimenError({ code: 'data', file: ctx.config.data.path, field: `workflow.strategies.${s.name}`, value: worst.params, message: `the training split has ${ctx.split.trainEnd} bars; these parameters need at least ${warm + 2}` });
      }
      written = 0;
      const done = fresh.length ? await runFullBacktest({ ...job, trials: fresh }, ctx.executor, outputs) : [];
      all.push(...fresh);
      perfs.push(...done);
      for (const p of done) scoreById.set(p.trial_id, objective.score(p.metrics));
      search.tell(trials.map((t, i) => ({ candidate: candidates[i]!, score: scoreById.get(t.trial_id) ?? Number.NaN })));
    }
    if (asked === 0) break;
  }
  if (all.length === 0) throw regimenError({ code: 'config', file: ctx.configPath, field: 'workflow.strategies', message: 'the parameter spaces produced no trials (check constraints)' });

  writeJsonAtomic(ctx.paths.trials, { trials: all });
  writeTrialsTable(ctx.paths.trialsTable, perfs.map((p) => ({ trial_id: p.trial_id, strategy: p.strategy, type: p.type, params: p.params, metrics: p.metrics })));
  return {
    outputs: [ctx.paths.trials, ctx.paths.trialsTable, ...perfs.map((p) => ctx.paths.trialPerformance(p.trial_id))],
    counts: { trials: all.length, classifiers: tracks.length, train_bars: ctx.split.trainEnd },
  };
}
