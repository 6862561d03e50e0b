import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  readJsonFile,
  regimenError,
  stopsRun,
  TrialPerformanceSchema,
  workspacePaths,
  writeJsonAtomic,
  type FailedTrials,
  type FoldWindow,
  type RegimeTrack,
  type SearchOutcome,
  type TrialPerformance,
  type TrialSpec,
  type Candidate,
  type Evaluated,
} from '@regimen/core';
import { localExecutor, runFullBacktest, type FullOutputs, type TrialJob } from '@regimen/backtester';
import { readSignalEvents, writeTrialsTable } from '@regimen/data';
import { strategyDefinition } from '@regimen/kernel';
import { compileObjective, regimeScores } from '@regimen/optimizer';
import { fitClassifiers } from '../classifiers.js';
import { addStage, checkInterrupted, timed, timedAsync, type PhaseOutput, type RunContext, type RunEvent } from '../context.js';
import { makeTrial } from '../trials.js';
import { strategySearch } from '../search.js';

/**
 * Phase 1: fit classifiers on the training window only, let the optimizer expand each strategy's
 * space (ask/tell, so a genetic search goes generation by generation), run every trial in `full`
 * mode and save its signals and its performance on the training window, broken down by every
 * classifier.
 *
 * Every fold of a walk-forward (one, for a single split) has its own classifiers and its own
 * search per strategy — a fold's trials and scores never depend on another fold's data. A trial is
 * computed once for all the folds that ask it: its positions do not depend on the fold, so one pass
 * of the kernel scores it on every fold's window with that fold's regimes (TrialBatch.folds), its
 * signals are written once, and each fold gets its own performance file.
 *
 * Each trial is committed as it finishes (signals, then its performance files, all atomic). On
 * --resume a trial whose files are on disk and valid is not run again; since trial ids are derived
 * from strategy and parameters and the searches are seeded, the resumed run asks the same trials.
 *
 * Every search runs under the phase's budget (search.ts) and is told each trial's score per
 * classifier × regime (the regime analysis' objective with its filters) in the order it asked
 * them. A patience stop inside a round drops the round's later trials — their files too — so the
 * trials kept are the same whatever the worker count (which sets the round's size).
 */
export async function parameterDiscovery(ctx: RunContext, folds: RunContext[] = [ctx]): Promise<PhaseOutput[]> {
  const cfg = ctx.config.parameter_discovery;
  if (!ctx.resume) clearTrialFiles(ctx, folds);
  const tracks = await fitFolds(ctx, folds);
  const objective = compileObjective(cfg.objective);
  const ra = ctx.config.regime_analysis;
  const perRegime = { objective: compileObjective(ra.objective), min_bars: ra.min_bars, min_trades: ra.min_trades };

  const strategies = ctx.config.strategies.map((s) => {
    const made = folds.map(() => strategySearch(ctx.config, ctx.registry, s, ctx.rng.fork('phase1:' + s.name), ctx.configPath));
    for (const message of made[0]!.notes) ctx.emit({ type: 'info', message });
    // per fold: the trial ids in the order the search asked them (repeats included), to cut at `kept`
    return { s, searches: made.map((m) => m.search), algorithm: made[0]!.algorithm, budget: made[0]!.budget, order: folds.map(() => [] as string[]) };
  });
  const estimate = strategies.reduce<number | undefined>((sum, x) => {
    const e = x.searches[0]!.estimate();
    return sum === undefined || e === undefined ? undefined : sum + e;
  }, 0);

  // per fold: the trials it asked (in order), their performance there, and their scores
  const asked = folds.map(() => [] as TrialSpec[]);
  const seen = folds.map(() => new Set<string>());
  const perfs = folds.map(() => new Map<string, TrialPerformance>());
  const failed: FailedTrials['failed'] = [];
  const failedIds = new Set<string>();
  const computed = new Set<string>();
  const chunk = Math.max(cfg.batch_size * Math.max(1, ctx.executor.workers) * 4, 256);
  // signals cover every fold's training window, so one file per trial serves them all
  const capture = { start: Math.min(...folds.map((f) => f.split.trainStart)), end: Math.max(...folds.map((f) => f.split.trainEnd)) };
  const progress = () => ctx.emit({ type: 'progress', phase: 'parameter_discovery', done: computed.size + failed.length, total: estimate });
  const onTrial = (foldIds: number[]) => (trialPerfs: TrialPerformance[]) => {
    trialPerfs.forEach((p, i) => perfs[foldIds[i]!]!.set(p.trial_id, p));
    computed.add(trialPerfs[0]!.trial_id);
    progress();
    checkInterrupted(ctx);
  };

  // rounds: each strategy's searches asked in turn, so a genetic search goes generation by generation
  for (let more = true; more; ) {
    more = false;
    for (const { s, searches, order } of strategies) {
      const candidates = searches.map((search) => {
        checkInterrupted(ctx);
        return search.done ? [] : search.ask(chunk);
      });
      if (candidates.every((c) => c.length === 0)) continue;
      more = true;
      const trials = candidates.map((cs) => cs.map((c) => makeTrial(s, c, ctx.configPath)));
      // the folds that need each trial run now: not yet scored there, not kept from a run before
      const need = new Map<string, { trial: TrialSpec; folds: number[] }>();
      trials.forEach((ts, k) => {
        for (const t of ts) {
          order[k]!.push(t.trial_id);
          if (seen[k]!.has(t.trial_id)) continue;
          seen[k]!.add(t.trial_id);
          asked[k]!.push(t);
          const kept = ctx.resume ? committedResult(folds[k]!, t) : null;
          if (kept) {
            perfs[k]!.set(t.trial_id, kept);
            computed.add(t.trial_id);
            progress();
          } else if (!failedIds.has(t.trial_id)) {
            const n = need.get(t.trial_id) ?? { trial: t, folds: [] };
            n.folds.push(k);
            need.set(t.trial_id, n);
          }
        }
      });
      assertLongEnough(ctx, folds, s.name, [...need.values()].map((n) => n.trial));
      // one job per set of folds (a grid asks every fold the same trials: one job)
      const groups = new Map<string, { folds: number[]; trials: TrialSpec[] }>();
      for (const n of need.values()) {
        const key = n.folds.join(',');
        const g = groups.get(key) ?? { folds: n.folds, trials: [] };
        g.trials.push(n.trial);
        groups.set(key, g);
      }
      for (const g of groups.values()) {
        const fw: FoldWindow[] = g.folds.map((k) => ({ window: { start: folds[k]!.split.trainStart, end: folds[k]!.split.trainEnd }, regimes: tracks[k]! }));
        const job: TrialJob = {
          bars: ctx.bars, window: capture, trials: g.trials, regimes: [], folds: fw,
          costs: ctx.config.costs, barsPerYear: ctx.barsPerYear, captureSignals: cfg.capture_signals, batchSize: cfg.batch_size,
        };
        const outputs: FullOutputs = {
          workspace: ctx.paths.base,
          folds: g.folds.map((k) => folds[k]!.paths.base),
          signalFormat: cfg.capture_signals ? cfg.signal_format : null,
          split: 'train',
          onTrialWritten: onTrial(g.folds),
          onBatchSeconds: (sec) => {
            addStage(ctx, 'backtests_cpu', sec.backtest);
            addStage(ctx, 'files_cpu', sec.files);
          },
        };
        await timedAsync(ctx, 'trials', () => runTrials(ctx, job, outputs, failed, failedIds));
      }
      searches.forEach((search, k) => {
        if (candidates[k]!.length) search.tell(trials[k]!.map((t, i) => evaluated(candidates[k]![i]!, perfs[k]!.get(t.trial_id))));
      });
    }
  }
  function evaluated(candidate: Candidate, p: TrialPerformance | undefined): Evaluated {
    return p ? { candidate, score: objective.score(p.metrics), regimes: regimeScores(p, perRegime) } : { candidate, score: Number.NaN };
  }

  // what each fold keeps: every search's trials up to where its budget cut it
  const keptIds = folds.map((_, k) => new Set(strategies.flatMap((x) => x.order[k]!.slice(0, x.searches[k]!.kept))));
  dropUncounted(ctx, folds, asked, keptIds, perfs);
  const outcomes = folds.map((_, k) => Object.fromEntries(strategies.map((x): [string, SearchOutcome] => {
    const search = x.searches[k]!;
    const stoppedBy = search.stoppedBy ?? 'exhausted';
    return [x.s.name, { algorithm: x.algorithm, trials: new Set(x.order[k]!.slice(0, search.kept)).size, stopped_by: stoppedBy, reproducible: stoppedBy !== 'timeout', budget: x.budget }];
  })));
  for (const [name, o] of Object.entries(outcomes[0]!)) {
    if (o.stopped_by === 'timeout') ctx.emit({ type: 'info', message: `${name}: the search stopped at its timeout after ${o.trials} trials — how many fit depends on the machine, so this phase 1 is not reproducible (max_trials is); recorded in checkpoints/parameter_discovery.json` });
    else if (o.stopped_by === 'patience') ctx.emit({ type: 'info', message: `${name}: the search stopped after ${o.trials} trials: no classifier × regime best improved in the last ${o.budget.patience}` });
  }

  return folds.map((f, k) => {
    // trials.json lists what has results, strategy by strategy (config order), each in the order its
    // search asked them: rounds interleave strategies in chunks that grow with the worker count, so
    // the order asked across strategies is not the same for any worker count, each search's is
    const rank = new Map(ctx.config.strategies.map((s, i) => [s.name, i]));
    const done = asked[k]!.filter((t) => !failedIds.has(t.trial_id)).sort((a, b) => rank.get(a.strategy)! - rank.get(b.strategy)!);
    if (asked[k]!.length === 0) throw regimenError({ code: 'config', file: ctx.configPath, field: 'workflow.strategies', message: 'the parameter spaces produced no trials (check constraints)' });
    if (done.length === 0) throw regimenError({ code: 'internal', file: f.paths.performance, message: `every trial failed; first: ${failed[0]?.error}` });
    const ordered = done.map((t) => perfs[k]!.get(t.trial_id)!);
    const mine = failed.filter((x) => keptIds[k]!.has(x.trial_id));
    const failedPath = join(f.paths.performance, 'failed_trials.json');
    timed(ctx, 'tables', () => {
      writeJsonAtomic(f.paths.trials, { trials: done });
      writeTrialsTable(f.paths.trialsTable, ordered.map((p) => ({ trial_id: p.trial_id, strategy: p.strategy, type: p.type, params: p.params, metrics: p.metrics })));
      if (mine.length) writeJsonAtomic(failedPath, { failed: mine });
    });
    return {
      outputs: [f.paths.trials, f.paths.trialsTable, ...(mine.length ? [failedPath] : []), ...ordered.map((p) => f.paths.trialPerformance(p.trial_id))],
      counts: { trials: done.length, failed: mine.length, classifiers: tracks[k]!.length, train_bars: f.split.trainEnd - f.split.trainStart },
      search: outcomes[k]!,
    };
  });
}

/**
 * Every fold's classifiers, several folds at a time (as many as the executor has workers). A fit
 * spreads its restarts over the workers, but its last ones (the finalists) leave workers idle, and
 * a fold's labelling runs on this thread: fitting folds side by side fills both gaps. Each fold's
 * fit depends only on its own window and its classifier's seed (forked by name), so the models and
 * labels are those of fitting the folds one by one; the folds' messages are emitted in fold order
 * when all are done, and the first failing fold's error is the one thrown. Stages: `label` sums
 * the labelling (on this thread), `fit` is the rest of the wall time.
 */
async function fitFolds(ctx: RunContext, folds: RunContext[]): Promise<RegimeTrack[][]> {
  if (folds.length === 1) return [await fitClassifiers(folds[0]!)];
  const t0 = performance.now();
  const own = folds.map((f) => {
    const events: RunEvent[] = [];
    return { events, ctx: { ...f, stages: {} as Record<string, number>, emit: (e: RunEvent) => void events.push(e) } satisfies RunContext };
  });
  const settled: Array<PromiseSettledResult<RegimeTrack[]>> = new Array(folds.length);
  let next = 0;
  const lane = async () => {
    for (let k = next++; k < folds.length; k = next++) {
      settled[k] = await fitClassifiers(own[k]!.ctx).then((value) => ({ status: 'fulfilled', value }) as const, (reason: unknown) => ({ status: 'rejected', reason }) as const);
    }
  };
  await Promise.all(Array.from({ length: Math.min(folds.length, Math.max(1, ctx.executor.workers)) }, lane));
  const label = own.reduce((sum, o) => sum + (o.ctx.stages.label ?? 0), 0);
  addStage(ctx, 'label', label);
  addStage(ctx, 'fit', (performance.now() - t0) / 1000 - label);
  for (const o of own) for (const e of o.events) ctx.emit(e);
  return settled.map((r) => {
    if (r.status === 'rejected') throw r.reason;
    return r.value;
  });
}

/**
 * Run trials; when a batch fails (after the executor's retry) `on_error: skip` runs its trials
 * one by one in-process to record exactly which fail and why, and goes on.
 */
async function runTrials(ctx: RunContext, job: TrialJob, outputs: FullOutputs, failed: FailedTrials['failed'], failedIds: Set<string>): Promise<void> {
  try {
    await runFullBacktest(job, ctx.executor, outputs);
  } catch (e) {
    if (stopsRun(e)) throw e;
    if (ctx.config.parameter_discovery.on_error !== 'skip') {
      throw regimenError({ code: 'internal', field: 'workflow.phases.parameter_discovery', message: `a trial failed: ${(e as Error).message} (set on_error: skip to record failures and go on)`, cause: e });
    }
    const inline = localExecutor({ workers: 0, engine: ctx.executor.engine });
    const fold0 = workspacePaths(outputs.folds?.[0] ?? outputs.workspace);
    for (const t of job.trials) {
      if (existsSync(fold0.trialPerformance(t.trial_id))) continue;
      try {
        await runFullBacktest({ ...job, trials: [t] }, inline, outputs);
      } catch (err) {
        if (stopsRun(err)) throw err;
        failed.push({ trial_id: t.trial_id, strategy: t.strategy, params: t.params, error: (err as Error).message });
        failedIds.add(t.trial_id);
        ctx.emit({ type: 'info', message: `trial ${t.trial_id} failed: ${(err as Error).message}` });
      }
    }
  }
}

function assertLongEnough(ctx: RunContext, folds: RunContext[], strategy: string, trials: TrialSpec[]): void {
  let worst: TrialSpec | undefined;
  let warm = 0;
  for (const t of trials) {
    const w = strategyDefinition(t.type).warmup(t.params as never);
    if (w > warm) (warm = w), (worst = t);
  }
  // indicators warm up on any bars before a window (history, not look-ahead): what a window needs
  // is a position inside it, so the bound is its end
  const end = Math.min(...folds.map((f) => f.split.trainEnd));
  if (worst && warm + 2 > end) {
    throw regimenError({ code: 'data', file: ctx.config.data.path, field: `workflow.strategies.${strategy}`, value: worst.params, message: `the training split has ${end} bars; these parameters need at least ${warm + 2}` });
  }
}

/** A trial an interrupted run already committed in this fold: its performance file valid, its signals there. */
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

/**
 * Only the trials each fold's searches kept are results: a round run past a budget's stop
 * (patience cuts inside a round), or trials an interrupted run had computed beyond where the
 * resumed search stopped, leave the fold's list and their files go (signals when no fold keeps
 * the trial) — so the workspace is the same whatever the worker count and however often resumed.
 */
function dropUncounted(ctx: RunContext, folds: RunContext[], asked: TrialSpec[][], keptIds: Set<string>[], perfs: Map<string, TrialPerformance>[]): void {
  const keptAnywhere = new Set(keptIds.flatMap((ids) => [...ids]));
  const sweep = (dir: string, keep: Set<string>) => {
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir)) {
      const m = /^trial_(.+)\.(json|arrow|jsonl)$/.exec(f);
      if (m && !keep.has(m[1]!)) rmSync(join(dir, f), { force: true });
    }
  };
  folds.forEach((f, k) => {
    asked[k] = asked[k]!.filter((t) => keptIds[k]!.has(t.trial_id));
    for (const id of perfs[k]!.keys()) if (!keptIds[k]!.has(id)) perfs[k]!.delete(id);
    sweep(f.paths.performance, keptIds[k]!);
  });
  sweep(ctx.paths.signals, keptAnywhere);
}

/** A fresh phase 1 starts from empty trial folders, so no result of another config lingers. */
function clearTrialFiles(ctx: RunContext, folds: RunContext[]): void {
  for (const dir of [ctx.paths.signals, ...folds.map((f) => f.paths.performance)]) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) {
      if (/^(trial_.*\.(json|arrow|jsonl)|trials\.arrow|failed_trials\.json)$/.test(f)) rmSync(join(dir, f), { force: true });
    }
  }
}
