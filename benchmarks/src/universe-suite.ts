import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { localExecutor, runFullBacktest } from '@regimen/backtester';
import { ManifestSchema, readJsonFile, TrialsFileSchema, UniverseResultsSchema, workspacePaths } from '@regimen/core';
import { embeddedDataPath, readMarketSeries, universeColumns } from '@regimen/data';
import type { BenchOptions } from './options.js';
import { benchWorkflow, phaseTotals, repo, runChecks, runWorkflowChild, type WorkflowPhase } from './workflow-suite.js';
import { benchRegimes, median, now } from './workload.js';

export interface UniverseBenchResult {
  suite: 'universe';
  prices: string;
  series: number;
  bars_per_series: number;
  /** trials of each series (the same grid for all) */
  trials: number;
  workers: number;
  /** the universe end to end, series several at a time (one per worker, the default) */
  parallel: { seconds: number; runs: number[]; phases: WorkflowPhase[]; peak_rss_bytes: number };
  /**
   * of the parallel run (its median run): CPU seconds of the coordinator's main thread and of the
   * whole process (the pool's threads included), and the main thread's share (aim ≤ 10 %)
   */
  coordinator_cpu: { main_seconds: number | null; process_seconds: number; share: number | null };
  /** the same universe with one series at a time */
  one_at_a_time: { seconds: number; runs: number[] };
  /** every series' trials on the pool, its training window, positions and files as phase 1 writes them (no fits, no other phase) */
  trials_with_files_seconds: number;
  /** every series' trials on the pool, no signals, no files: the kernel's share */
  trials_kernel_seconds: number;
  /** parallel / trials with files, parallel / kernel only */
  ratio_to_trials: number;
  ratio_to_kernel: number;
  proofs_passed: boolean;
  sign_tests: Record<string, string>;
}

/** The seed's strategies over a grid big enough for the trials to matter: 30 lookbacks × 10 thresholds each (600 trials). */
const GRID = { lookback: { min: 5, max: 150, step: 5 }, threshold: { min: 0, max: 0.0045, step: 0.0005 } };

/**
 * A 30-series daily universe (the embedded Dow Jones 30 closes, `columns: all`, or `--prices FILE`
 * with several price columns) run by the seed workflow with 600 trials a series, end to end in a
 * child process: with series several at a time (the default) and one at a time. Against it, the
 * same trials of every series on the same pool, with the signal and performance files phase 1
 * writes and with the kernel alone — what the universe would cost if fits, analysis, ensembles
 * and validation were free.
 */
export async function universeSuite(o: BenchOptions): Promise<UniverseBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'regimen-universe-'));
  try {
    const data = o.prices ? resolve(o.prices) : embeddedDataPath('dowjones30_daily_close.csv');
    const seed = readFileSync(repo('examples/seed-workflow.yaml'), 'utf8');
    const file = join(dir, 'universe.yaml');
    const ws = join(dir, 'universe');
    writeFileSync(file, benchWorkflow(seed, data, ws, (doc) => {
      doc.setIn(['workflow', 'data', 'columns'], 'all');
      doc.setIn(['workflow', 'phases', 0, 'config', 'parameter_space'], doc.createNode(GRID));
    }));
    const parallel = runWorkflowChild(file, o.workers, o.repeat);
    const sequential = runWorkflowChild(file, o.workers, o.repeat, 1);
    const manifest = readJsonFile(workspacePaths(ws).manifest, ManifestSchema);
    const series = manifest.universe!.series;
    const proofs = series.map((s) => runChecks(join(ws, s.workspace)));
    const results = readJsonFile(workspacePaths(ws).universeResults, UniverseResultsSchema);

    // the same trials of every series on one pool, as phase 1 runs them (training window, two regime tracks)
    const trials = readJsonFile(workspacePaths(join(ws, series[0]!.workspace)).trials, TrialsFileSchema).trials;
    const markets = await readMarketSeries(data, universeColumns(data, 'all').map((c) => c.column));
    const jobs = markets.map((m, i) => ({
      bars: m.bars, window: { start: 0, end: series[i]!.split.train_bars }, trials, regimes: benchRegimes(m.bars.close),
      costs: { fee: 0.0005, slippage: 0 }, barsPerYear: 252, captureSignals: true,
    }));
    const executor = localExecutor({ workers: o.workers, engine: o.engine });
    const withFiles: number[] = [];
    const kernel: number[] = [];
    try {
      await executor.run({ ...jobs[0]!, trials: trials.slice(0, 2 * o.workers), captureSignals: false }); // start the workers
      for (let r = 0; r < o.repeat; r++) {
        let t = now();
        for (const job of jobs) await executor.run({ ...job, captureSignals: false });
        kernel.push(now() - t);
        const out = mkdtempSync(join(dir, 'trials-'));
        t = now();
        for (const [i, job] of jobs.entries()) await runFullBacktest(job, executor, { workspace: join(out, String(i)), signalFormat: 'arrow', split: 'train' });
        withFiles.push(now() - t);
        rmSync(out, { recursive: true, force: true });
      }
    } finally {
      await executor.close();
    }
    const trialsSeconds = median(withFiles);
    const kernelSeconds = median(kernel);
    const p = results.comparisons;
    return {
      suite: 'universe',
      prices: o.prices ?? 'packages/data/embedded/dowjones30_daily_close.csv (columns: all)',
      series: series.length,
      bars_per_series: series[0]!.data_fingerprint.bars,
      trials: trials.length,
      workers: o.workers,
      parallel: { seconds: parallel.median.seconds, runs: parallel.runs, phases: phaseTotals(parallel.median.phases), peak_rss_bytes: parallel.peak_rss_bytes },
      coordinator_cpu: coordinatorShare(parallel.median.cpu),
      one_at_a_time: { seconds: sequential.median.seconds, runs: sequential.runs },
      trials_with_files_seconds: trialsSeconds,
      trials_kernel_seconds: kernelSeconds,
      ratio_to_trials: parallel.median.seconds / trialsSeconds,
      ratio_to_kernel: parallel.median.seconds / kernelSeconds,
      proofs_passed: proofs.every((c) => c.look_ahead === true && c.transitions_verified === true),
      sign_tests: Object.fromEntries(Object.entries(p).map(([b, c]) => [b, `${c.wins}-${c.losses}-${c.ties} p=${c.p_value?.toFixed(3) ?? '–'}`])),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function coordinatorShare(cpu: { main_seconds: number | null; process_seconds: number } | undefined): UniverseBenchResult['coordinator_cpu'] {
  const main = cpu?.main_seconds ?? null;
  const total = cpu?.process_seconds ?? 0;
  return { main_seconds: main, process_seconds: total, share: main !== null && total > 0 ? main / total : null };
}

export function formatUniverseBench(r: UniverseBenchResult): string {
  const rows: Array<[string, number, string]> = [
    ['universe, series in parallel (end to end)', r.parallel.seconds, `runs ${r.parallel.runs.map((x) => x.toFixed(2)).join(', ')}`],
    ...r.parallel.phases.map((p): [string, number, string] => [`  ${p.phase} (summed over series)`, p.seconds, '']),
    ['universe, one series at a time', r.one_at_a_time.seconds, `${(r.one_at_a_time.seconds / r.parallel.seconds).toFixed(2)}× the parallel run`],
    ['its trials with their files (phase 1 without fits)', r.trials_with_files_seconds, `universe ${r.ratio_to_trials.toFixed(2)}× this`],
    ['its trials, kernel only', r.trials_kernel_seconds, `universe ${r.ratio_to_kernel.toFixed(2)}× this`],
  ];
  const w = Math.max(...rows.map((x) => x[0].length));
  return [
    `universe: ${r.series} series × ${r.bars_per_series} daily bars × ${r.trials} trials, ${r.workers} workers; ${r.prices}`,
    `${'what'.padEnd(w)}  seconds`,
    `${'-'.repeat(w)}  -------`,
    ...rows.map(([a, s, note]) => `${a.padEnd(w)}  ${s.toFixed(3).padStart(7)}  ${note}`),
    `coordinator's own share of the run's CPU: ${r.coordinator_cpu.share === null ? 'not measured (no /proc)' : `${(100 * r.coordinator_cpu.share).toFixed(1)} % (main thread ${r.coordinator_cpu.main_seconds!.toFixed(2)} s of ${r.coordinator_cpu.process_seconds.toFixed(2)} s, pool threads included; aim ≤ 10 %)`}`,
    `targets: end to end ≤ 2× its trials with files (${r.ratio_to_trials.toFixed(2)}×), ≤ 6× the kernel alone (${r.ratio_to_kernel.toFixed(2)}×)`,
    `proofs passed in every series: ${r.proofs_passed ? 'yes' : 'NO'}; sign tests (wins-losses-ties): ${Object.entries(r.sign_tests).map(([b, t]) => `${b} ${t}`).join(', ')}; peak RSS ${(r.parallel.peak_rss_bytes / 2 ** 20).toFixed(0)} MiB`,
  ].join('\n');
}
