import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEngine, localExecutor, runFullBacktest, type Executor, type TrialJob } from '@regimen/backtester';
import { predictSpeedup, type SpeedupCosts, type SpeedupPrediction } from '@regimen/coordinator';
import type { BarColumns, TrialSpec } from '@regimen/core';
import { embeddedDataPath, readMarketSeries, universeColumns } from '@regimen/data';
import { redact, redisExecutor, startLocalRedis, type LocalRedis, type RedisExecutor, type RedisOverheads } from '@regimen/executor-redis';
import type { BenchOptions } from './options.js';
import { benchRegimes, now } from './workload.js';
import { benchWorkflow, repo, runWorkflowChild } from './workflow-suite.js';
import { startWorkers, stopWorkers } from './distributed-suite.js';

/**
 * `regimen bench speedup`: what the Redis executor costs per batch, per trial and per series, a
 * speedup model built from those costs (@regimen/coordinator's predictSpeedup), and the model
 * checked against real phase-1 runs of a universe through 1, 2 and 4 `regimen worker` processes.
 *
 * The workload is phase 1 of the Dow universe as the coordinator runs it: each series' two
 * strategies (the seed's momentum and mean reversion, 300 trials each) asked in chunks of
 * max(64·W·4, 256), as many series in flight as workers, every trial's signal and performance
 * files written by the coordinator from the rows that come back.
 *
 * Costs, each measured here:
 * - a batch on a worker (w_b) and on the coordinator (c_b): 200 one-trial batches on 500 bars
 *   through the first worker count of the list (1 by default) — the wall time per batch, and this
 *   process's CPU per batch;
 * - a trial's kernel (k): the workers' own backtest seconds per trial, in that first run;
 * - a trial's rows (c_r): the coordinator's seconds fetching and decoding them;
 * - a trial file (c_f): seconds writing it, on the coordinator's pool threads (`--workers`);
 * - a series (c_s): publishing its market data and labels;
 * - a series' analysis (a): `--analysis-series` series end to end, one at a time, on the local pool.
 * Every cost is a wall-clock timer: on a loaded machine it includes the time its thread waited.
 */
export interface SpeedupBenchResult {
  suite: 'speedup';
  prices: string;
  redis: string;
  series: number;
  bars_per_series: number;
  trials_per_series: number;
  /** cores of this machine, shared by the coordinator and the workers */
  cores: number;
  /** the coordinator's own pool threads (--workers), which write the trial files */
  coordinator_threads: number;
  tiny_batches: { batches: number; seconds: number; coordinator_cpu_seconds: number; worker_cpu_seconds: number; redis_cpu_seconds: number; worker: RedisOverheads['worker'] };
  costs: SpeedupCosts;
  /** per worker count: measured wall seconds of the phase-1 run, the model's prediction, and where the time went */
  runs: Array<{
    workers: number; seconds: number; predicted: SpeedupPrediction; local_pool_seconds: number; coordinator_cpu_seconds: number; overheads: RedisOverheads;
    /** CPU seconds the worker processes used (from /proc), and the cores the run got: (coordinator + workers CPU) / wall */
    worker_cpu_seconds: number; redis_cpu_seconds: number; batches: number; cores_obtained: number;
    /** the model's prediction on the cores the run got (its work over them, or a tighter bound) */
    predicted_on_cores_obtained: SpeedupPrediction;
  }>;
  /** the coordinator's seconds per series outside phase 1's trials (fits, analysis, ensemble search with its PBO, validation), from `analysis.series` series run end to end one at a time on the local pool */
  analysis: { series: number; seconds_per_series: number; phases: Record<string, number> } | null;
  /** the model for the issue's case (500 series × 10 folds × 10,000 trials), workers on machines of their own */
  projection: {
    series: number; folds: number; trials: number;
    /** a trial's kernel with 10 folds scored (one thread, the Dow series' training window cut in 10) */
    trial_seconds: number;
    analysis_seconds_per_series_fold: number;
    /** phase 1 alone; then with the analysis on the coordinator (today); then with it as tasks on the workers (issue 23 item 2) */
    rows: SpeedupPrediction[]; with_analysis: SpeedupPrediction[]; analysis_on_workers: SpeedupPrediction[];
  };
}

/** the projection's coordinator: a machine of 8 threads writing the trial files */
const PROJECTED_FILE_THREADS = 8;

/** The universe's grid: lookback 5…150 step 5 × threshold 0…0.0045 step 0.0005 for each of the seed's two strategy types. */
export function universeTrials(): TrialSpec[] {
  const out: TrialSpec[] = [];
  for (const [strategy, type] of [['strategy_1', 'momentum'], ['strategy_2', 'mean_reversion']] as const) {
    for (let lookback = 5; lookback <= 150; lookback += 5) {
      for (let i = 0; i < 10; i++) {
        const threshold = Number((i * 0.0005).toFixed(4));
        out.push({ trial_id: `${strategy}-${lookback}-${threshold}`, strategy, type, params: { lookback, threshold, side: 'long_only' } });
      }
    }
  }
  return out;
}

interface Series { name: string; bars: BarColumns }

/** Phase 1 of every series as the coordinator runs it: strategies in chunks, `inFlight` series at a time, files written through runFullBacktest. */
async function phase1(series: Series[], trials: TrialSpec[], executor: Executor, workers: number, dir: string): Promise<number> {
  const chunk = Math.max(64 * workers * 4, 256);
  const strategies = [...new Set(trials.map((t) => t.strategy))].map((s) => trials.filter((t) => t.strategy === s));
  let next = 0;
  const t0 = now();
  const lane = async () => {
    while (next < series.length) {
      const s = series[next++]!;
      const n = s.bars.close.length;
      const regimes = benchRegimes(s.bars.close);
      for (const own of strategies) {
        for (let from = 0; from < own.length; from += chunk) {
          const job: TrialJob = { bars: s.bars, regimes, window: { start: 0, end: Math.floor(0.7 * n) }, trials: own.slice(from, from + chunk), costs: { fee: 0.0005, slippage: 0 }, barsPerYear: 252, captureSignals: true, batchSize: 64 };
          await runFullBacktest(job, executor, { workspace: join(dir, s.name), signalFormat: 'arrow', split: 'train' });
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, series.length) }, lane));
  return now() - t0;
}

/** user + system CPU seconds of a process, from /proc (Linux); 0 where there is none */
function processCpu(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** One trial's kernel scored on 10 folds (the training window cut in 10 rolling windows), one thread. */
async function tenFoldTrialSeconds(s: Series, trials: TrialSpec[], engineName: BenchOptions['engine']): Promise<number> {
  const engine = await loadEngine(engineName);
  const n = Math.floor(0.7 * s.bars.close.length);
  const step = Math.floor(n / 10);
  const folds = Array.from({ length: 10 }, (_, i) => ({ window: { start: i * step, end: Math.min(n, i * step + 3 * step) }, regimes: benchRegimes(s.bars.close) }));
  const sample = trials.filter((_, i) => i % 15 === 0);
  const job = { bars: s.bars, window: { start: 0, end: n }, trials: sample, regimes: [], folds, costs: { fee: 0.0005, slippage: 0 }, barsPerYear: 252, captureSignals: true };
  engine.runTrials({ ...job, trials: sample.slice(0, 2) }); // compiled and warm
  const t = now();
  engine.runTrials(job);
  return (now() - t) / sample.length;
}

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const diff = (a: RedisOverheads, b: RedisOverheads): RedisOverheads => {
  const sub = <T extends Record<string, number>>(x: T, y: T): T => Object.fromEntries(Object.keys(x).map((k) => [k, x[k]! - y[k]!])) as T;
  return {
    publish: sub(a.publish as unknown as Record<string, number>, b.publish as unknown as Record<string, number>) as unknown as RedisOverheads['publish'],
    enqueue: sub(a.enqueue, b.enqueue), waited_seconds: a.waited_seconds - b.waited_seconds, rows: sub(a.rows, b.rows),
    decode_seconds: a.decode_seconds - b.decode_seconds, commit_seconds: a.commit_seconds - b.commit_seconds, file_seconds: a.file_seconds - b.file_seconds, worker: sub(a.worker, b.worker),
  };
};

/**
 * What a series costs the coordinator beyond its phase-1 trials: the seed workflow on the
 * universe's first `count` series, one at a time, with the local pool; every phase's seconds
 * except phase 1's `trials` stage, per series.
 */
function measureAnalysis(data: string, columns: string[], workers: number, dir: string): NonNullable<SpeedupBenchResult['analysis']> {
  const file = join(dir, 'analysis.yaml');
  writeFileSync(file, benchWorkflow(readFileSync(repo('examples/seed-workflow.yaml'), 'utf8'), data, join(dir, 'analysis'), (doc) => {
    doc.setIn(['workflow', 'data', 'columns'], doc.createNode(columns));
    doc.setIn(['workflow', 'phases', 0, 'config', 'parameter_space'], doc.createNode({ lookback: { min: 5, max: 150, step: 5 }, threshold: { min: 0, max: 0.0045, step: 0.0005 } }));
  }));
  const run = runWorkflowChild(file, workers, 1, 1).median;
  const phases: Record<string, number> = {};
  for (const p of run.phases) {
    const own = p.phase === 'parameter_discovery' ? p.seconds - (p.stages.trials ?? 0) : p.seconds;
    phases[p.phase] = (phases[p.phase] ?? 0) + own / columns.length;
  }
  return { series: columns.length, seconds_per_series: Object.values(phases).reduce((a, b) => a + b, 0), phases };
}

export async function speedupSuite(o: BenchOptions): Promise<SpeedupBenchResult> {
  const data = o.prices ?? embeddedDataPath('dowjones30_daily_close.csv');
  const columns = universeColumns(data, 'all').map((c) => c.column).slice(0, o.series ?? 30);
  const series: Series[] = (await readMarketSeries(data, columns)).map((m, i) => ({ name: columns[i]!, bars: m.bars }));
  const trials = universeTrials();
  const counts = o.workersList ?? [1, 2, 4];
  const cores = availableParallelism();
  const dir = mkdtempSync(join(tmpdir(), 'regimen-speedup-'));
  let server: LocalRedis | undefined;
  const url = o.redis ?? (server = await startLocalRedis()).url;
  const runs: SpeedupBenchResult['runs'] = [];
  let tiny: SpeedupBenchResult['tiny_batches'] | undefined;
  let costs: SpeedupCosts | undefined;
  let analysis: SpeedupBenchResult['analysis'] = null;
  try {
    if (o.analysisSeries > 0) analysis = measureAnalysis(data, columns.slice(0, o.analysisSeries), o.workers, dir);
    for (const w of counts) {
      const procs = await startWorkers(url, w);
      let ex: RedisExecutor | undefined;
      try {
        // the coordinator's own pool, as `regimen run --workers N --executor` has it: it writes the trial files
        ex = await redisExecutor({ url, workflowId: `bench-speedup-${w}`, resumeHint: '-', engine: o.engine, local: localExecutor({ workers: o.workers, engine: o.engine }) });
        // every worker's pool thread started, the first series' data fetched
        const first = series[0]!;
        await ex.run({ bars: first.bars, regimes: benchRegimes(first.bars.close), window: { start: 0, end: 500 }, trials: trials.slice(0, 2 * w), costs: { fee: 0, slippage: 0 }, barsPerYear: 252, captureSignals: false, batchSize: 1 });
        if (!tiny) {
          // 200 one-trial batches on 500 bars: the kernel is nothing, what is left is a batch's own
          // cost — CPU seconds of this process, the worker processes and Redis, per batch. Batches of
          // one trial, as the config says (minBatchBarTrials 0: the executor would make them one)
          const one = await redisExecutor({ url, workflowId: `bench-speedup-tiny-${w}`, resumeHint: '-', engine: o.engine, local: localExecutor({ workers: o.workers, engine: o.engine }), minBatchBarTrials: 0 });
          try {
            const bars = { ...first.bars, close: first.bars.close.subarray(0, 500) };
            const small: TrialJob = { bars: { time: first.bars.time.subarray(0, 500), open: bars.close, high: bars.close, low: bars.close, close: bars.close }, regimes: benchRegimes(bars.close), window: { start: 0, end: 500 }, trials: trials.slice(0, 200), costs: { fee: 0, slippage: 0 }, barsPerYear: 252, captureSignals: false, batchSize: 1 };
            await one.run({ ...small, trials: small.trials.slice(0, 4) });
            const before = one.overheads();
            const [t, c, wc, rc] = [now(), cpu(), procs.reduce((a, p) => a + processCpu(p.pid), 0), processCpu(server?.pid)];
            await one.run(small);
            tiny = {
              batches: 200, seconds: now() - t, coordinator_cpu_seconds: cpu() - c, worker_cpu_seconds: procs.reduce((a, p) => a + processCpu(p.pid), 0) - wc,
              redis_cpu_seconds: processCpu(server?.pid) - rc, worker: diff(one.overheads(), before).worker,
            };
          } finally {
            await one.close();
          }
        }
        const before = ex.overheads();
        const c0 = cpu();
        const w0 = procs.reduce((a, p) => a + processCpu(p.pid), 0);
        const r0 = processCpu(server?.pid);
        const seconds = await phase1(series, trials, ex, w, join(dir, `redis-${w}`));
        const coordinatorCpu = cpu() - c0;
        const workerCpu = procs.reduce((a, p) => a + processCpu(p.pid), 0) - w0;
        const redisCpu = processCpu(server?.pid) - r0;
        const spent = diff(ex.overheads(), before);
        if (!costs) {
          // CPU seconds, not wall: on a shared machine a timer counts the waits for a core too
          const files = spent.worker.trials * 2; // signals + one performance file (one fold)
          const batches = spent.worker.batches;
          const [wb, cb] = [tiny.worker_cpu_seconds / tiny.batches, tiny.coordinator_cpu_seconds / tiny.batches];
          costs = {
            trial_seconds: Math.max(0, workerCpu - batches * wb) / spent.worker.trials,
            worker_batch_seconds: wb,
            redis_batch_seconds: tiny.redis_cpu_seconds / tiny.batches,
            coordinator_batch_seconds: cb,
            // the rows are decoded by the file-writing task: their cost is in the files'
            coordinator_trial_seconds: 0,
            // the coordinator's CPU beyond its batches and publishing: its pool threads decoding rows and writing files
            coordinator_file_seconds: Math.max(0, coordinatorCpu - batches * cb - spent.publish.seconds) / files,
            coordinator_series_seconds: spent.publish.seconds / series.length,
            coordinator_analysis_seconds: 0,
            worker_analysis_seconds: 0,
          };
        }
        await ex.close();
        ex = undefined;
        // the same phase 1 on the local pool of as many threads, for scale
        const local = localExecutor({ workers: w, engine: o.engine });
        let localSeconds: number;
        try {
          await local.run({ bars: first.bars, regimes: benchRegimes(first.bars.close), window: { start: 0, end: 500 }, trials: trials.slice(0, 2 * w), costs: { fee: 0, slippage: 0 }, barsPerYear: 252, captureSignals: false, batchSize: 1 });
          localSeconds = await phase1(series, trials, local, w, join(dir, `local-${w}`));
        } finally {
          await local.close();
        }
        const perStrategy = [...new Set(trials.map((t) => t.strategy))].map((k) => trials.filter((t) => t.strategy === k).length);
        const work = { series: series.length, strategy_trials: perStrategy, folds: 1, bars: Math.floor(0.7 * first.bars.close.length) };
        const obtained = (coordinatorCpu + workerCpu + redisCpu) / seconds;
        runs.push({
          workers: w, seconds, predicted: predictSpeedup(work, costs, w, { cores, file_threads: o.workers }), local_pool_seconds: localSeconds, coordinator_cpu_seconds: coordinatorCpu, overheads: spent,
          worker_cpu_seconds: workerCpu, redis_cpu_seconds: redisCpu, batches: spent.worker.batches, cores_obtained: obtained, predicted_on_cores_obtained: predictSpeedup(work, costs, w, { cores: obtained, file_threads: o.workers }),
        });
      } finally {
        await ex?.close();
        await stopWorkers(procs);
        rmSync(join(dir, `redis-${w}`), { recursive: true, force: true });
        rmSync(join(dir, `local-${w}`), { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server?.stop();
  }
  const c = { ...costs!, trial_seconds: await tenFoldTrialSeconds(series[0]!, trials, o.engine) };
  // the issue's case: 500 series × 10 folds × 10,000 trials (two strategies of 5,000), each worker and the coordinator on cores of their own
  const projectionWork = { series: 500, strategy_trials: [5000, 5000], folds: 10 };
  // a walk-forward runs the analysis once per fold: per series × fold, as measured on one split
  const perFold = analysis?.seconds_per_series ?? 0;
  const widths = [1, 8, 32, 128];
  return {
    suite: 'speedup',
    prices: o.prices ?? 'packages/data/embedded/dowjones30_daily_close.csv',
    redis: server ? `redis-server ${server.url} (started here)` : redact(url),
    series: series.length,
    bars_per_series: series[0]!.bars.close.length,
    trials_per_series: trials.length,
    cores,
    coordinator_threads: o.workers,
    tiny_batches: tiny!,
    costs: costs!,
    runs,
    projection: {
      series: 500, folds: 10, trials: 10_000, trial_seconds: c.trial_seconds, analysis_seconds_per_series_fold: perFold,
      analysis_on_workers: widths.map((w) => predictSpeedup(projectionWork, { ...c, worker_analysis_seconds: perFold }, w, { file_threads: PROJECTED_FILE_THREADS })),
      rows: widths.map((w) => predictSpeedup(projectionWork, c, w, { file_threads: PROJECTED_FILE_THREADS })),
      with_analysis: widths.map((w) => predictSpeedup(projectionWork, { ...c, coordinator_analysis_seconds: perFold }, w, { file_threads: PROJECTED_FILE_THREADS })),
    },
    analysis,
  };
}

export function formatSpeedup(r: SpeedupBenchResult): string {
  const ms = (s: number) => `${(1000 * s).toFixed(3)} ms`;
  const c = r.costs;
  const t = r.tiny_batches;
  const lines = [
    `speedup: phase 1 of ${r.series} series × ${r.bars_per_series} bars × ${r.trials_per_series} trials through Redis (${r.redis}); ${r.cores} cores here`,
    'measured costs (the model\'s inputs)',
    `  a trial's kernel (k)                      ${ms(c.trial_seconds)}   the workers' CPU in the first phase-1 run beyond its batches' own, per trial`,
    `  a batch on a worker (w_b)                 ${ms(c.worker_batch_seconds)}   ${t.batches} one-trial batches through ${r.runs[0]?.workers ?? 1} worker(s): the worker processes' CPU per batch (wall ${ms(t.seconds / t.batches)}; in the worker's timers: fetch ${ms(t.worker.fetch / t.batches)}, encode ${ms(t.worker.encode / t.batches)}, store ${ms(t.worker.store / t.batches)}, whole processor ${ms(t.worker.total / t.batches)})`,
    `  a batch in Redis (r_b)                    ${ms(c.redis_batch_seconds)}   the redis-server's CPU per batch, same run`,
    `  a batch on the coordinator (c_b)          ${ms(c.coordinator_batch_seconds)}   this process's CPU per batch, same run (enqueue, completion, rows)`,
    `  a trial file on the coordinator (c_f)     ${ms(c.coordinator_file_seconds)}   this process's CPU in phase 1 beyond its batches and publishing, per file (its pool threads decode the rows and write signals and one fold's performance)`,
    `  a series' data published (c_s)            ${ms(c.coordinator_series_seconds)}   market + 2 label tracks, encoded, hashed, stored`,
    ...(r.analysis ? [`  a series' analysis (a)                   ${r.analysis.seconds_per_series.toFixed(2)} s     the coordinator's seconds per series beyond phase 1's trials (${Object.entries(r.analysis.phases).map(([p, x]) => `${p} ${x.toFixed(2)}`).join(', ')}), ${r.analysis.series} series one at a time`] : []),
        'model vs measured (phase 1 here: coordinator and workers share this machine\'s cores)',
    `  ${'workers'.padEnd(8)} ${'measured'.padStart(9)} ${'predicted'.padStart(10)} ${'bound'.padStart(12)} ${'batches'.padStart(8)} ${'CPU: coord.'.padStart(12)} ${'workers'.padStart(8)} ${'Redis'.padStart(7)} ${'model'.padStart(8)} ${'cores got'.padStart(10)} ${'predicted on them'.padStart(18)} ${'local pool'.padStart(11)}`,
    ...r.runs.map((x) => {
      const p = x.predicted;
      const work = p.coordinator_seconds + p.file_seconds + p.worker_seconds + p.redis_seconds;
      return `  ${String(x.workers).padEnd(8)} ${x.seconds.toFixed(2).padStart(8)}s ${p.seconds.toFixed(2).padStart(9)}s ${p.bound.padStart(12)} ${`${x.batches}/${p.batches}`.padStart(8)} ${x.coordinator_cpu_seconds.toFixed(1).padStart(11)}s ${x.worker_cpu_seconds.toFixed(1).padStart(7)}s ${x.redis_cpu_seconds.toFixed(1).padStart(6)}s ${work.toFixed(1).padStart(7)}s ${x.cores_obtained.toFixed(2).padStart(10)} ${x.predicted_on_cores_obtained.seconds.toFixed(2).padStart(17)}s ${x.local_pool_seconds.toFixed(2).padStart(10)}s`;
    }),
    `  (predicted: on the ${r.cores} cores at full speed; batches: run / model; CPU "model": the work the model counts, coordinator + files + workers + Redis; cores got: measured CPU of all three / wall)`,
    `projection: ${r.projection.series} series × ${r.projection.folds} folds × ${r.projection.trials} trials; a trial's kernel on 10 folds ${(1000 * r.projection.trial_seconds).toFixed(3)} ms; each worker on a core of its own, the coordinator on its own with ${PROJECTED_FILE_THREADS} file threads`,
    `  ${'workers'.padEnd(8)} | ${'phase 1 only'.padEnd(33)} | ${`+ analysis ${r.projection.analysis_seconds_per_series_fold.toFixed(1)} s/series×fold on the coordinator`.padEnd(50)} | as tasks on the workers`,
    ...r.projection.rows.map((p, i) => `  ${String(p.workers).padEnd(8)} | ${cell(p).padEnd(33)} | ${cell(r.projection.with_analysis[i]!).padEnd(50)} | ${cell(r.projection.analysis_on_workers[i]!)}`),
  ];
  return lines.join('\n');
}

const cell = (p: SpeedupPrediction) => `${hours(p.seconds)} ×${p.speedup.toFixed(1)} (${p.bound}; limit ${p.limit.toFixed(1)})`;
const hours = (s: number) => (s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 60 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`);
