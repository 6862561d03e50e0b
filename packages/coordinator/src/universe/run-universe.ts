import { relative } from 'node:path';
import { rmSync } from 'node:fs';
import { isRegimenError, regimenError, type PhaseName } from '@regimen/core';
import type { Executor } from '@regimen/backtester';
import { claimWorkspace } from '@regimen/core';
import type { PreparedRun, PreparedSeries } from '../prepare.js';
import { runSeries, workspaceMode, type RunOptions, type RunResult } from '../run.js';
import { summarize } from '../summary.js';
import { openWorkspace } from '../workspace.js';
import { seriesComplete, writeUniverseResults } from './results.js';

/**
 * A universe: every series run as the workflow of one series (runSeries) in series/<name>/, with
 * today's layout, several at a time — by default one per worker — on one executor (the local
 * pool or a distributed one: the series' batches share its workers), so the
 * classifier fits, trials and files of some series fill the workers while others run their
 * analysis on this thread. Each series resumes on its own (a series not started yet starts).
 * The universe's results are written when every series has validated.
 */
export async function runUniverse(prepared: Extract<PreparedRun, { universe: object }>, opts: RunOptions, executor: Executor, inFlight: number): Promise<RunResult> {
  const { config, paths, text, originalConfig, universe } = prepared;
  const emit = opts.onEvent ?? (() => {});
  const lock = claimWorkspace(paths.base, (message) => emit({ type: 'info', message }), { force: opts.force });
  try {
    const { manifest } = openWorkspace(paths, {
      mode: workspaceMode(opts), force: opts.force ?? false, config, configPath: originalConfig, configText: text,
      fingerprint: universe.fingerprint, split: universe.split, barsPerYear: universe.barsPerYear,
      universe: { series: universe.series.map((s) => seriesEntry(paths.base, s)) },
    });
    // the results stand for every series' latest files: gone until every series has validated again
    for (const f of [paths.universeResults, paths.universeEquity]) rmSync(f, { force: true });
    // a failed series stops the others between trials (their finished work kept), as Ctrl-C does
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    opts.signal?.addEventListener('abort', onAbort);
    if (opts.signal?.aborted) stop.abort();
    // each series opens its own workspace; one not started before simply starts (`run`)
    const mode = opts.fromPhase || opts.onlyPhase ? 'reuse' : 'run';
    try {
      const runs = await inTurn(universe.series, inFlight, stop, (s) =>
        runSeries(s, executor, { ...opts, force: false, signal: stop.signal, onEvent: (e) => emit({ ...e, series: s.series!.name }) }, mode));
      if (universe.series.every(seriesComplete)) writeUniverseResults(paths, universe.series);
      const ran = new Set<PhaseName>(runs.flatMap((r) => r.ran));
      const skipped = [...new Set(runs.flatMap((r) => r.skipped))].filter((p) => !ran.has(p));
      return { manifest, config, ran: config.phases.filter((p) => ran.has(p)), skipped: config.phases.filter((p) => skipped.includes(p)), summary: summarize(paths, config), loadSeconds: prepared.loadSeconds };
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
  } finally {
    lock.release();
  }
}

/** What the universe's manifest records of a series. */
function seriesEntry(base: string, s: PreparedSeries) {
  return {
    name: s.series!.name,
    workspace: relative(base, s.paths.base),
    column: s.config.data.column,
    data_fingerprint: s.fingerprint,
    split: { train_bars: s.split.trainEnd, test_bars: s.market.bars.close.length - s.split.testStart, test_start: s.split.testStartTime },
    bars_per_year: s.barsPerYear,
  };
}

/**
 * Run `work` over the items in order, at most `width` at a time. After a failure (or an abort) no
 * further item starts; those running are awaited (they stop between trials), and the first real
 * error is thrown — else the interruption, when items were left unstarted.
 */
async function inTurn<T, R>(items: readonly T[], width: number, stop: AbortController, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  const errors: unknown[] = [];
  let next = 0;
  const lane = async () => {
    while (next < items.length && !stop.signal.aborted) {
      const i = next++;
      try {
        out[i] = await work(items[i]!);
      } catch (e) {
        errors.push(e);
        stop.abort();
      }
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  const real = errors.find((e) => !(isRegimenError(e) && e.code === 'interrupted'));
  if (real ?? errors[0]) throw real ?? errors[0];
  if (next < items.length) throw regimenError({ code: 'interrupted', message: 'interrupted; finished series, phases and trials are kept — continue with --resume' });
  return out;
}
