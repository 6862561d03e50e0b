import { distributedBatchSize } from '@regimen/backtester';

/**
 * How long a run takes on W workers — a bottleneck (Amdahl-style) model of the distributed
 * executor, from measured costs. It lives beside the coordinator because it models the
 * coordinator's own schedule (phase 1's rounds, the batches it forms, its one main thread), and
 * `regimen run --dry-run` uses it; the numbers it needs come from `regimen bench speedup`.
 *
 * The run: S series (a universe; 1 for one series), each with T trials split among its
 * strategies, scored on F folds. Phase 1 asks each strategy's search in chunks of
 * max(batch_size · W · 4, 256) trials (parameter-discovery.ts) and each chunk becomes batches of
 * min(b, ⌈chunk / 2W'⌉) trials (formBatches), where b = max(batch_size, ⌈10⁶ / (bars · F)⌉) (the
 * Redis executor's distributedBatchSize: a batch of a short series carries at least 10⁶
 * bar-trials) and W' = ⌈W / J⌉ the workers' share of each of the J jobs in flight (a universe's
 * series side by side) — that is the granularity: a batch is the unit a worker takes, and a
 * worker runs one at a time (`--concurrency 1` per process).
 *
 * Work on the workers:            Wk = n·k + B·w_b + S·F·t_task
 * In Redis:                        R  = B·r_b
 * On the coordinator's main thread: C  = B·c_b + n·c_r + S·c_s + S·F·a
 * On its file threads (Tf of them): Fw = n·(1 + F)·c_f   (on the main thread, added to C, when Tf = 0)
 * where n = S·T trials, B the batches, k the kernel seconds of one trial (all folds), w_b a
 * batch's cost on a worker beyond its trials (take the job, fetch data, encode and store the
 * rows, complete), c_b a batch's cost on the coordinator (enqueue, hear the completion), c_r a
 * trial's rows fetched and decoded there, c_f one trial file (signals, or one fold's
 * performance) written by the coordinator, c_s a series' own setup (publish its market and
 * labels), a the coordinator seconds of a series × fold outside phase 1 (fits, analysis,
 * ensemble search, validation: its main thread today) and t_task that of the same stages run as
 * tasks on workers (0 today).
 *
 * The costs are CPU seconds (`regimen bench speedup` reads each process's CPU, Redis's from its
 * INFO): wall-clock timers on a shared machine count the time a thread waited for a core, and
 * summed over processes that share cores they count it several times.
 *
 * Wall time is the largest of four bounds (the series in flight overlap one series' analysis
 * with another's trials, so the coordinator's and the workers' work proceed side by side):
 *   the coordinator:  C
 *   its file threads: Fw / Tf
 *   the workers:      ⌈B / min(W, P)⌉ rounds × (b̄·k + w_b) + S·F·t_task / min(W, P) + F·a
 *                     (the last series' analysis cannot overlap anything; W worker processes on
 *                     P cores run min(W, P) batches at a time: 4 workers on 2 cores are 2)
 *   the cores:        (C + Fw + Wk + R) / P   when coordinator, workers and Redis share P cores
 *                     (P = ∞ apart; on a machine others use too, P is the cores the run gets)
 * and the speedup on W workers is T(1) / T(W) on the same kind of machine; no W passes
 * T(1) / max(C, Fw / Tf) (Amdahl's limit: the coordinator's part does not divide).
 */
export interface SpeedupCosts {
  /** k: worker seconds of one trial's kernel, every fold scored */
  trial_seconds: number;
  /** w_b: worker seconds per batch beyond its trials' kernel */
  worker_batch_seconds: number;
  /** r_b: Redis server seconds per batch (its queue moves, the rows stored and fetched) */
  redis_batch_seconds: number;
  /** c_b: coordinator seconds per batch */
  coordinator_batch_seconds: number;
  /** c_r: coordinator (main thread) seconds per trial: its rows fetched and decoded */
  coordinator_trial_seconds: number;
  /** c_f: coordinator seconds per trial file (a trial writes 1 + F: its signals, a performance file per fold) */
  coordinator_file_seconds: number;
  /** c_s: coordinator seconds per series before its trials (publishing its data) */
  coordinator_series_seconds: number;
  /** a: coordinator seconds per series × fold outside phase 1 */
  coordinator_analysis_seconds: number;
  /** t_task: worker seconds per series × fold of stages run as tasks (0 while they run on the coordinator) */
  worker_analysis_seconds: number;
}

export interface SpeedupWorkload {
  series: number;
  /** trials of each strategy of one series (the same for every series) */
  strategy_trials: number[];
  folds: number;
  /** phase 1's batch_size (default 64) */
  batch_size?: number;
  /** bars a trial is scored to (its window's end): batches of short series are made larger, as the Redis executor makes them; absent: batch_size alone */
  bars?: number;
  /** trial jobs in flight at once, sharing the workers (default min(series, workers): a universe's series side by side) */
  in_flight?: number;
}

export interface SpeedupPrediction {
  workers: number;
  /** cores coordinator and workers share (Infinity: every worker and the coordinator has its own) */
  cores: number;
  batches: number;
  /** mean trials per batch */
  batch_trials: number;
  /** main-thread seconds, file-thread seconds (summed), worker seconds, Redis seconds */
  coordinator_seconds: number;
  file_seconds: number;
  worker_seconds: number;
  redis_seconds: number;
  /** the four bounds and which one sets the time */
  bounds: { coordinator: number; files: number; workers: number; cores: number };
  bound: 'coordinator' | 'files' | 'workers' | 'cores';
  seconds: number;
  /** T(1) / T(W), T(1) on the same machine shape with one worker */
  speedup: number;
  /** Amdahl's limit: T(1) / max(C, Fw / Tf), the speedup over one worker that no number of workers passes */
  limit: number;
}

/**
 * How many batches phase 1 forms of one strategy's T trials on W workers (its chunks, each cut by
 * formBatches), `inFlight` jobs sharing the workers; `bars` (and `folds`) as the Redis executor
 * sizes batches of short series, none for batch_size alone.
 */
export function phase1Batches(trials: number, workers: number, batchSize = 64, shape: { bars?: number; folds?: number; inFlight?: number } = {}): number {
  const w = Math.max(1, workers);
  const chunk = Math.max(batchSize * w * 4, 256);
  const most = shape.bars === undefined ? batchSize : distributedBatchSize(batchSize, shape.bars, shape.folds ?? 1);
  const share = Math.max(1, Math.ceil(w / Math.max(1, shape.inFlight ?? 1)));
  let batches = 0;
  for (let left = trials; left > 0; left -= chunk) {
    const n = Math.min(chunk, left);
    // formBatches: at least two batches per worker (its share), at most `most` trials each
    const size = Math.max(1, Math.min(most, Math.ceil(n / (share * 2))));
    batches += Math.ceil(n / size);
  }
  return batches;
}

/** Where the run is: cores shared by coordinator and workers (default: each on its own), the coordinator's file-writing threads (0: its main thread). */
export interface SpeedupMachine {
  cores?: number;
  file_threads?: number;
}

export function predictSpeedup(work: SpeedupWorkload, costs: SpeedupCosts, workers: number, machine: SpeedupMachine = {}): SpeedupPrediction {
  const at = (w: number) => wallTime(work, costs, w, machine.cores ?? Number.POSITIVE_INFINITY, machine.file_threads ?? 0);
  const one = at(1);
  const mine = at(workers);
  const serial = Math.max(mine.bounds.coordinator, mine.bounds.files);
  return { ...mine, speedup: one.seconds / mine.seconds, limit: serial > 0 ? one.seconds / serial : Number.POSITIVE_INFINITY };
}

function wallTime(work: SpeedupWorkload, c: SpeedupCosts, workers: number, cores: number, fileThreads: number): Omit<SpeedupPrediction, 'speedup' | 'limit'> {
  const S = work.series;
  const F = work.folds;
  const trials = work.strategy_trials.reduce((a, t) => a + t, 0);
  const n = S * trials;
  const shape = { bars: work.bars, folds: F, inFlight: work.in_flight ?? Math.min(S, workers) };
  const B = S * work.strategy_trials.reduce((a, t) => a + phase1Batches(t, workers, work.batch_size, shape), 0);
  const worker = n * c.trial_seconds + B * c.worker_batch_seconds + S * F * c.worker_analysis_seconds;
  const redis = B * c.redis_batch_seconds;
  // worker processes beyond the cores take turns on them
  const parallel = Math.min(workers, cores);
  const files = n * (1 + F) * c.coordinator_file_seconds;
  const coordinator = B * c.coordinator_batch_seconds + n * c.coordinator_trial_seconds + S * c.coordinator_series_seconds + S * F * c.coordinator_analysis_seconds + (fileThreads > 0 ? 0 : files);
  const perBatch = (n / B) * c.trial_seconds + c.worker_batch_seconds;
  const bounds = {
    coordinator,
    files: fileThreads > 0 ? files / fileThreads : 0,
    workers: Math.ceil(B / parallel) * perBatch + (S * F * c.worker_analysis_seconds) / parallel + F * c.coordinator_analysis_seconds,
    cores: (coordinator + (fileThreads > 0 ? files : 0) + worker + redis) / cores,
  };
  const bound = (Object.keys(bounds) as Array<keyof typeof bounds>).reduce((a, b) => (bounds[b] > bounds[a] ? b : a));
  return { workers, cores, batches: B, batch_trials: n / B, coordinator_seconds: coordinator, file_seconds: fileThreads > 0 ? files : 0, worker_seconds: worker, redis_seconds: redis, bounds, bound, seconds: bounds[bound] };
}

/**
 * The costs `regimen run --dry-run --executor URL` assumes, as `regimen bench speedup` measured
 * them (benchmarks/RESULTS.md, "How far it scales"): the Dow universe's phase 1 through Redis on
 * this project's 2-core machine. The kernel's cost is not taken from here (the dry run calibrates
 * it on the config's own data). The analysis after phase 1 is left out (0): it depends on the
 * config far more than on the executor (the seed workflow's on a Dow series is in RESULTS.md).
 */
export const MEASURED_COSTS: { source: string; costs: SpeedupCosts } = {
  source: 'regimen bench speedup --series 6, 2026-12-08, CPU seconds, 2 cores at load 7',
  costs: {
    trial_seconds: 0.00021,
    worker_batch_seconds: 0.0045,
    redis_batch_seconds: 0.0004,
    coordinator_batch_seconds: 0.0027,
    // decoded by the file-writing task since the rows stopped being decoded twice: in c_f
    coordinator_trial_seconds: 0,
    coordinator_file_seconds: 0.00073,
    coordinator_series_seconds: 0.0057,
    coordinator_analysis_seconds: 0,
    worker_analysis_seconds: 0,
  },
};
