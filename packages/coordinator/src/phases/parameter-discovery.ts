import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  parsePluginOptions,
  readJsonFile,
  regimenError,
  TrialPerformanceSchema,
  writeJsonAtomic,
  type FailedTrials,
  type Search,
  type TrialPerformance,
  type TrialSpec,
} from '@regimen/core';
import { localExecutor, runFullBacktest, type FullOutputs, type TrialJob } from '@regimen/backtester';
import { readSignalEvents, writeTrialsTable } from '@regimen/data';
import { strategyDefinition } from '@regimen/kernel';
import { assertSatisfiable, buildSearchSpace, compileObjective } from '@regimen/optimizer';
import { fitClassifiers } from '../classifiers.js';
import { checkInterrupted, type PhaseOutput, type RunContext } from '../context.js';
import { makeTrial } from '../trials.js';

/**
 * Phase 1: fit classifiers on the training split, let the optimizer expand each strategy's space
 * (ask/tell, so a genetic search goes generation by generation), run every trial in `full` mode on
 * the training window and save its signals and performance broken down by every classifier.
 *
 * Each trial is committed as it finishes (signals, then its performance file, both atomic). On
 * --resume a trial whose files are on disk and valid is not run again; since trial ids are derived
 * from strategy and parameters and the search is seeded, the resumed run asks the same trials.
 */
export async function parameterDiscovery(ctx: RunContext): Promise<PhaseOutput> {
  const cfg = ctx.config.parameter_discovery;
  if (!ctx.resume) clearTrialFiles(ctx);
  const tracks = await fitClassifiers(ctx);
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
  const failed: FailedTrials['failed'] = [];
  const seen = new Set<string>();
  const scoreById = new Map<string, number>();
  const chunk = Math.max(cfg.batch_size * Math.max(1, ctx.executor.workers) * 4, 256);
  const job: Omit<TrialJob, 'trials'> = {
    bars: ctx.bars,
    window: { start: 0, end: ctx.split.trainEnd },
    regimes: tracks,
    costs: ctx.config.costs,
    barsPerYear: ctx.barsPerYear,
    captureSignals: cfg.capture_signals,
    batchSize: cfg.batch_size,
  };
  const progress = () => ctx.emit({ type: 'progress', phase: 'parameter_discovery', done: perfs.length + failed.length, total: estimate });
  const outputs: FullOutputs = {
    performance: ctx.paths.trialPerformance,
    signals: cfg.capture_signals ? (id: string) => ctx.paths.trialSignals(id, cfg.signal_format) : null,
    signalFormat: cfg.signal_format,
    split: 'train',
    relativeTo: (p: string) => relative(ctx.paths.base, p),
    onTrialWritten: (perf) => {
      perfs.push(perf);
      scoreById.set(perf.trial_id, objective.score(perf.metrics));
      progress();
      checkInterrupted(ctx);
    },
  };

  for (let active = searches.filter((x) => !x.search.done); active.length > 0; active = active.filter((x) => !x.search.done)) {
    let asked = 0;
    for (const { s, search } of active) {
      checkInterrupted(ctx);
      const candidates = search.ask(chunk);
      asked += candidates.length;
      if (candidates.length === 0) continue;
      const trials = candidates.map((c) => makeTrial(s, c, ctx.configPath));
      const fresh = trials.filter((t) => !seen.has(t.trial_id) && (seen.add(t.trial_id), true));
      assertLongEnough(ctx, s.name, fresh);
      all.push(...fresh);
      const todo: TrialSpec[] = [];
      for (const t of fresh) {
        const kept = ctx.resume ? committedResult(ctx, t) : null;
        if (kept) {
          perfs.push(kept);
          scoreById.set(kept.trial_id, objective.score(kept.metrics));
          progress();
        } else todo.push(t);
      }
      if (todo.length) await runTrials(ctx, { ...job, trials: todo }, outputs, failed);
      search.tell(trials.map((t, i) => ({ candidate: candidates[i]!, score: scoreById.get(t.trial_id) ?? Number.NaN })));
    }
    if (asked === 0) break;
  }
  if (all.length === 0) throw regimenError({ code: 'config', file: ctx.configPath, field: 'workflow.strategies', message: 'the parameter spaces produced no trials (check constraints)' });

  // trials.json lists what has results, in the order asked (independent of worker timing)
  const failedIds = new Set(failed.map((f) => f.trial_id));
  const done = all.filter((t) => !failedIds.has(t.trial_id));
  if (done.length === 0) throw regimenError({ code: 'internal', file: ctx.paths.performance, message: `every trial failed; first: ${failed[0]?.error}` });
  const byId = new Map(perfs.map((p) => [p.trial_id, p]));
  const ordered = done.map((t) => byId.get(t.trial_id)!);
  writeJsonAtomic(ctx.paths.trials, { trials: done });
  writeTrialsTable(ctx.paths.trialsTable, ordered.map((p) => ({ trial_id: p.trial_id, strategy: p.strategy, type: p.type, params: p.params, metrics: p.metrics })));
  const failedPath = join(ctx.paths.performance, 'failed_trials.json');
  if (failed.length) writeJsonAtomic(failedPath, { failed });
  return {
    outputs: [ctx.paths.trials, ctx.paths.trialsTable, ...(failed.length ? [failedPath] : []), ...ordered.map((p) => ctx.paths.trialPerformance(p.trial_id))],
    counts: { trials: done.length, failed: failed.length, classifiers: tracks.length, train_bars: ctx.split.trainEnd },
  };
}

/**
 * Run trials; when a batch fails (after the executor's retry) `on_error: skip` runs its trials
 * one by one in-process to record exactly which fail and why, and goes on.
 */
async function runTrials(ctx: RunContext, job: TrialJob, outputs: FullOutputs, failed: FailedTrials['failed']): Promise<void> {
  try {
    await runFullBacktest(job, ctx.executor, outputs);
  } catch (e) {
    if ((e as { code?: string }).code === 'interrupted') throw e;
    if (ctx.config.parameter_discovery.on_error !== 'skip') {
      throw regimenError({ code: 'internal', field: 'workflow.phases.parameter_discovery', message: `a trial failed: ${(e as Error).message} (set on_error: skip to record failures and go on)`, cause: e });
    }
    const inline = localExecutor({ workers: 0, engine: ctx.executor.engine });
    for (const t of job.trials) {
      if (existsSync(ctx.paths.trialPerformance(t.trial_id))) continue;
      try {
        await runFullBacktest({ ...job, trials: [t] }, inline, outputs);
      } catch (err) {
        if ((err as { code?: string }).code === 'interrupted') throw err;
        failed.push({ trial_id: t.trial_id, strategy: t.strategy, params: t.params, error: (err as Error).message });
        ctx.emit({ type: 'info', message: `trial ${t.trial_id} failed: ${(err as Error).message}` });
      }
    }
  }
}

function assertLongEnough(ctx: RunContext, strategy: string, trials: TrialSpec[]): void {
  let worst: TrialSpec | undefined;
  let warm = 0;
  for (const t of trials) {
    const w = strategyDefinition(t.type).warmup(t.params as never);
    if (w > warm) (warm = w), (worst = t);
  }
  if (worst && warm + 2 > ctx.split.trainEnd) {
    throw regimenError({ code: 'data', file: ctx.config.data.path, field: `workflow.strategies.${strategy}`, value: worst.params, message: `the training split has ${ctx.split.trainEnd} bars; these parameters need at least ${warm + 2}` });
  }
}

/** A trial an interrupted run already committed: its performance file valid, its signals there. */
function committedResult(ctx: RunContext, t: TrialSpec): TrialPerformance | null {
  const perfPath = ctx.paths.trialPerformance(t.trial_id);
  if (!existsSync(perfPath)) return null;
  const cfg = ctx.config.parameter_discovery;
  try {
    // both files are read back: they were written without fsync, so after an OS crash either may be cut
    if (cfg.capture_signals && readSignalEvents(ctx.paths.trialSignals(t.trial_id, cfg.signal_format)).trial_id !== t.trial_id) return null;
    const p = readJsonFile(perfPath, TrialPerformanceSchema);
    return p.trial_id === t.trial_id ? p : null;
  } catch {
    return null; // edited into a bad shape: run it again
  }
}

/** A fresh phase 1 starts from empty trial folders, so no result of another config lingers. */
function clearTrialFiles(ctx: RunContext): void {
  for (const dir of [ctx.paths.performance, ctx.paths.signals]) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) {
      if (/^(trial_.*\.(json|arrow|jsonl)|trials\.arrow|failed_trials\.json)$/.test(f)) rmSync(join(dir, f), { force: true });
    }
  }
}
