import type { Command } from 'commander';
import { dryRun, runWorkflow, type DryRunReport, type RunSummary } from '@regimen/coordinator';
import { formatError, type PhaseName, type WalkForwardResults } from '@regimen/core';
import { workspaceWarnings, writeReport, type Warning, type WrittenReport } from '@regimen/report';
import { METRIC_HEADER, metricCells, num, paramsText, table } from '../format.js';
import { distributedExecutors } from '../executors.js';
import { progressReporter } from '../progress.js';
import { formatUniverse } from '../universe-format.js';
import { intOption } from './options.js';
import { formatReportLine, formatWarnings } from './report.js';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a workflow (or resume the run in a workspace folder): parameter discovery, regime analysis, ensemble optimization, validation')
    .argument('<workflow>', 'a workflow YAML file (see examples/), or a workspace folder to resume')
    .option('--out <dir>', 'workspace folder (overrides output_dir)')
    .option('--workers <n>', 'worker threads for backtests (0 = in-process); with --dry-run --executor URL, the remote workers to estimate for', intOption('--workers'))
    .option('--executor <url>', 'where backtests run: local (default), or redis://HOST:PORT (rediss:// for TLS) whose `regimen worker` processes run them; wins over the workflow\'s executor:')
    .option('--engine <name>', 'wasm (WebAssembly kernel) or js (the TypeScript reference, for debugging)', 'wasm')
    .option('--resume', 'require an earlier run to continue (running the same config into its workspace resumes it anyway)')
    .option('--force', 'start over in a workspace that already holds a run, or write into a non-empty folder that is not a workspace')
    .option('--from-phase <phase>', 'run this phase and the later ones, reusing earlier phases\' files')
    .option('--only-phase <phase>', 'run only this phase, reusing earlier phases\' files')
    .option('--exhaustive', 'check look-ahead and switching at every bar of validation (default: at sampled cuts; costs one backtest per bar)')
    .option('--dry-run', 'print the trial count and an estimate of time and disk, run nothing (with --executor URL: the speedup model\'s time on --workers remote workers)')
    .option('--no-report', 'do not write report.html at the workspace root when the run completes')
    .option('--quiet', 'no progress output')
    .option('--json', 'print the run summary as JSON')
    .action(async (file: string, o: { out?: string; workers?: number; executor?: string; engine: string; resume?: boolean; force?: boolean; fromPhase?: string; onlyPhase?: string; dryRun?: boolean; report: boolean; quiet?: boolean; json?: boolean; exhaustive?: boolean }) => {
      if (o.dryRun) {
        // the executor is checked (a bad URL is still bad input) but not used: calibration runs here
        const r = await dryRun(file, { outDir: o.out, workers: o.workers, engine: o.engine as 'js' | 'wasm', executor: o.executor, executors: distributedExecutors });
        if (o.json) console.log(JSON.stringify(r, null, 2));
        else console.log(formatDryRun(r));
        return;
      }
      const progress = progressReporter({ quiet: Boolean(o.quiet || o.json) });
      // first Ctrl-C: stop after the trial in hand (everything finished is kept); second: now
      const stop = new AbortController();
      const onSigint = () => {
        if (stop.signal.aborted) process.exit(130);
        process.stderr.write('\nstopping after the current trial… (Ctrl-C again to quit now)\n');
        stop.abort();
      };
      process.on('SIGINT', onSigint);
      try {
        const r = await runWorkflow(file, {
          outDir: o.out,
          workers: o.workers,
          engine: o.engine as 'js' | 'wasm',
          resume: o.resume,
          force: o.force,
          fromPhase: o.fromPhase as PhaseName | undefined,
          onlyPhase: o.onlyPhase as PhaseName | undefined,
          onEvent: progress.onEvent,
          signal: stop.signal,
          executor: o.executor,
          executors: distributedExecutors,
          exhaustive: o.exhaustive,
        });
        progress.stop();
        const { report, warnings } = await reportOf(r.summary.workspace, o.report);
        if (o.json) {
          // a universe's top page compares the series; `reports` lists each series' own page
          const reports = r.manifest.universe ? { reports: report ? report.series.map((p) => p.path) : [] } : {};
          console.log(JSON.stringify({ ...r.summary, ran: r.ran, skipped: r.skipped, warnings, report: report ? report.path : null, ...reports }, null, 2));
        } else console.log(formatSummary(r.summary, r.config.validation.classifier, warnings) + (report ? `\n${formatReportLine(report)}` : ''));
      } finally {
        process.off('SIGINT', onSigint);
        progress.stop();
      }
    });
}

/**
 * After a completed run: report.html (unless --no-report) and the warnings, both read from the
 * workspace's files by @regimen/report, so the page and the summary show the same warnings. A
 * report that cannot be written does not undo a finished run: it is said on stderr.
 */
async function reportOf(workspace: string, write: boolean): Promise<{ report: WrittenReport | null; warnings: Warning[] }> {
  if (!write) return { report: null, warnings: workspaceWarnings(workspace) };
  try {
    const report = await writeReport(workspace);
    return { report, warnings: report.warnings };
  } catch (e) {
    process.stderr.write(`report.html not written: ${formatError(e)}\n`);
    return { report: null, warnings: workspaceWarnings(workspace) };
  }
}

export function formatSummary(s: RunSummary, classifier: string, warnings: Warning[] = []): string {
  const out: string[] = [`\nWorkspace: ${s.workspace}`];
  if (s.walkForward || s.universe) {
    out.push(s.universe ? formatUniverse(s.universe) : formatWalkForward(s.walkForward!));
    const w = formatWarnings(warnings);
    if (w) out.push(w);
    return out.join('\n');
  }
  const optimal = s.optimal?.[classifier];
  if (optimal) {
    out.push(`\nBest parameters per regime (${classifier}, training split):`);
    const rows: string[][] = [];
    for (const [regime, byStrategy] of Object.entries(optimal)) {
      for (const [strategy, e] of Object.entries(byStrategy)) rows.push([regime, strategy, paramsText(e.params), `${e.metric} ${num(e.score)}`]);
    }
    out.push(table(['regime', 'strategy', 'params', 'score'], rows));
  }
  const weights = s.weights?.[classifier];
  if (weights) {
    out.push(`\nEnsemble weights (${classifier}):`);
    const strategies = Object.keys(Object.values(weights)[0] ?? {});
    out.push(table(['regime', ...strategies], Object.entries(weights).map(([r, w]) => [r, ...strategies.map((k) => num(w[k] ?? 0, 3))])));
  }
  const v = s.validation;
  if (v) {
    out.push(`\nValidation on the ${v.split} split (${v.first} → ${v.last}, ${v.bars} bars), regimes from ${v.classifier}:`);
    if (v.weights?.source === 'equal_regime_winners') out.push('weights: no ensemble_optimization phase, so each strategy\'s per-regime winner at equal weight');
    out.push(
      table(['', ...METRIC_HEADER], [
        ['adaptive', ...metricCells(v.adaptive.metrics)],
        [`best static (${v.baselines.best_static.strategy})`, ...metricCells(v.baselines.best_static.metrics)],
        ['equal weights', ...metricCells(v.baselines.equal_weights.metrics)],
        ['buy and hold', ...metricCells(v.baselines.buy_and_hold.metrics)],
        ...Object.entries(v.other_classifiers).map(([c, r]) => [`adaptive (${c})`, ...metricCells(r.metrics)]),
      ]),
    );
    const la = v.checks.look_ahead;
    out.push(
      `checks: ${v.transitions.length} regime transitions; switching verified: ${v.checks.transitions_verified === null ? 'not requested' : v.checks.transitions_verified ? `yes, checked at ${v.checks.transitions_checked} bars` : 'NO'}; ` +
        `look-ahead: ${la ? (la.passed ? `none found, checked at ${cutsText(la.cuts.length, v.bars)}` : 'DETECTED') : 'not run'}`,
    );
  }
  const w = formatWarnings(warnings);
  if (w) out.push(w);
  return out.join('\n');
}

/** How many cuts a sampled check looked at; "every bar" when it looked at all (--exhaustive). */
export function cutsText(cuts: number, bars: number): string {
  return cuts >= bars - 1 ? `every bar (${cuts} cuts)` : `${cuts} sampled cuts (--exhaustive: every bar)`;
}

/** A walk-forward's summary: each fold out of sample, then the folds stitched together. */
export function formatWalkForward(wf: WalkForwardResults): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const proof = (f: WalkForwardResults['folds'][number]) => (f.proofs.look_ahead === false || f.proofs.transitions_verified === false ? 'FAILED' : f.proofs.look_ahead ? 'ok' : 'not run');
  const rows = wf.folds.map((f) => [
    String(f.index),
    `${f.in_sample.first} → ${f.in_sample.last}`,
    `${f.out_of_sample.first} → ${f.out_of_sample.last}`,
    num(f.out_of_sample.adaptive.sharpe),
    pct(f.out_of_sample.adaptive.total_return),
    num(f.out_of_sample.best_static.sharpe),
    num(f.out_of_sample.equal_weights.sharpe),
    num(f.out_of_sample.buy_and_hold.sharpe),
    f.walk_forward_efficiency === null ? '–' : num(f.walk_forward_efficiency),
    proof(f),
  ]);
  const m = wf.stitched.metrics;
  return [
    `\nWalk-forward (${wf.scheme}, ${wf.folds.length} folds, gap ${wf.gap}), regimes from ${wf.classifier}; sharpe out of sample per fold:`,
    table(['fold', 'in sample', 'out of sample', 'adaptive', 'return', 'static', 'equal', 'hold', 'WFE', 'proofs'], rows),
    `(WFE per fold: out-of-sample cagr / in-sample cagr of the adaptive strategy; – where the in-sample cagr is ≤ 0, undefined)`,
    `\nStitched out of sample (${wf.stitched.first} → ${wf.stitched.last}, ${wf.stitched.bars} bars, ${wf.stitched.returns} returns — every fold's, and one at each hand-over):`,
    table(['', ...METRIC_HEADER], [
      ['adaptive', ...metricCells(m.adaptive)],
      ['best static', ...metricCells(m.best_static)],
      ['equal weights', ...metricCells(m.equal_weights)],
      ['buy and hold', ...metricCells(m.buy_and_hold)],
    ]),
    `walk-forward efficiency: ${wf.walk_forward_efficiency === null ? 'undefined (the pooled in-sample cagr is ≤ 0)' : num(wf.walk_forward_efficiency)} (stitched out-of-sample cagr ${pct(m.adaptive.cagr)} / the folds' pooled in-sample cagr ${pct(wf.in_sample_cagr)} of the adaptive strategy; docs/walk-forward.md)`,
  ].join('\n');
}

export function formatDryRun(r: DryRunReport): string {
  const mb = (b: number) => (b / 1e6).toFixed(b < 1e7 ? 2 : 0) + ' MB';
  const rows = r.strategies.map((s) => [
    s.name,
    s.type,
    s.algorithm,
    s.grid_points < 0 ? 'continuous' : String(s.grid_points),
    (s.at_most ? '≤ ' : '') + (s.exact ? '' : '≈') + String(s.trials),
    (1000 * s.seconds_per_trial).toFixed(2) + ' ms',
  ]);
  const b = r.budget;
  const budget = [
    b.max_trials !== undefined ? `max_trials ${b.max_trials}` : '',
    b.patience !== undefined ? `patience ${b.patience} (stop when no classifier × regime best improved for ${b.patience} trials)` : '',
    b.timeout_seconds !== undefined ? `timeout ${b.timeout_seconds} s (not reproducible: how many trials fit depends on the machine)` : '',
  ].filter(Boolean);
  return [
    ...(r.series.length ? [`A universe of ${r.series.length} series (${r.series.join(', ')}): each runs the trials below; the time per trial is measured on ${r.series[0]}.`] : []),
    r.folds > 1
      ? `Phase 1 plan for ${r.workspace} (a walk-forward of ${r.folds} folds: every trial computed once and scored on each fold):`
      : `Phase 1 plan for ${r.workspace} (${r.train_bars} training bars, ${r.test_bars} test bars):`,
    table(['strategy', 'type', 'algorithm', 'grid points', 'trials', 'per trial'], rows),
    ...(budget.length ? [`budget of each strategy's search: ${budget.join(' · ')}`] : []),
    ...r.notes,
    `total: ${r.strategies.some((s) => s.at_most) ? 'at most ' : ''}${r.trials} trials${r.folds > 1 ? ` × ${r.folds} folds` : ''}${r.series.length ? ` × ${r.series.length} series = ${r.total_trials}` : ''} · about ${r.seconds.toFixed(1)} s of backtests on ${r.workers} worker(s) (classifier fits not included)${b.timeout_seconds !== undefined ? ', capped by the timeout' : ''} · about ${mb(r.bytes)} of trial files`,
    ...(r.strategies.some((s) => !s.exact) ? ['≈: counted on a seeded sample of the grid against the constraints (the space is too large to enumerate), or for a continuous space how many trials fit in the timeout'] : []),
    ...(r.strategies.some((s) => s.at_most) ? ['≤: patience or the timeout may stop a search earlier'] : []),
    ...(r.distributed ? formatDistributedEstimate(r.distributed) : []),
  ].join('\n');
}

/** The speedup model's estimate for a distributed run (docs/distributed.md, "How far it scales"). */
export function formatDistributedEstimate(d: NonNullable<DryRunReport['distributed']>): string[] {
  const p = d.prediction;
  const t = (s: number) => (s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 60 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`);
  const limit = Number.isFinite(p.limit) ? `${p.limit.toFixed(1)}×` : 'none';
  return [
    `On ${d.executor} with ${p.workers} worker(s), by the speedup model: about ${t(p.seconds)} for phase 1 (${t(d.one_worker_seconds)} on one worker: ${p.speedup.toFixed(1)}×; no number of workers passes ${limit}), ` +
      `${p.batches} batches of ≈${p.batch_trials.toFixed(0)} trials; bound by ${boundText[p.bound]}.`,
    `  kernel ${(1000 * d.trial_seconds).toFixed(3)} ms a trial, calibrated here; per-batch, per-file and per-series costs from ${d.costs_from} (phase 1 only: fits and the analysis after it are not included).`,
  ];
}

const boundText: Record<NonNullable<DryRunReport['distributed']>['prediction']['bound'], string> = {
  coordinator: "the coordinator's main thread (queueing batches, decoding rows)",
  files: "the coordinator's threads writing the trial files",
  workers: 'the workers',
  cores: 'the cores',
};
