import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Queue, QueueEvents } from 'bullmq';
import { distributedBatchSize, formBatches, type BatchDone, type EngineName, type Executor, type TrialJob } from '@regimen/backtester';
import { regimenError, type RegimeTrack, type ReplayRow, type ScoreWindow, type TrialRow, type TrialSpec } from '@regimen/core';
import { connect, parseRedisUrl } from './connection.js';
import { FailureSchema, JobReturnSchema, keys, PROTOCOL, QUEUE_PREFIX, REGIMEN_VERSION, type JobData, type JobReturn, type PluginRef, type RunManifest } from './protocol.js';
import { publisher, type PublishStats } from './publish.js';
import { decodeReplayRows, decodeTrialRows, layoutOf as layout } from './rows.js';
import { moduleRef } from './compat.js';
import { decodeResult, encodeTask, UnportableTask } from './task-codec.js';
import { openRunLink } from './run-link.js';
import { rollCall } from './roll-call.js';
import { atMost } from './deadline.js';
import { writeFilesModule, type WriteFilesTask, type WrittenFiles } from './write-files-task.js';

/**
 * The distributed executor (DESIGN §7): batches of trials and replay weight sets become BullMQ
 * jobs in a queue of this run's own, `regimen worker` processes anywhere run them, and their rows
 * come back here, where runFullBacktest commits them exactly as it commits the local pool's
 * rows (`written: false`: the coordinator stays the only writer of the workspace).
 *
 * A job carries parameters and the hashes of the data it needs, never code; the data is
 * published once (publish.ts). A batch whose processing throws is retried once (BullMQ
 * attempts: 2), like a batch in the local pool; a batch whose worker dies is handed to another
 * worker by BullMQ's stalled-job check. A batch's rows are taken once: a second completion
 * (a worker thought dead that finished after all) finds no one waiting and is dropped.
 *
 * Module tasks (runTask: a plugin's own work such as the HMM's restarts, and the coordinator's
 * per-series stages) go to the workers too: the module by its package and path (compat.ts
 * moduleRef: each worker imports its own installation of it), the task as structured-clone bytes
 * with its large arrays published once by hash (task-codec.ts). A module outside any package
 * cannot be found on another machine: its tasks, and small replays, run on `local`.
 */
export interface RedisExecutorOptions {
  url: string;
  /** where the URL came from (default `--executor`; `workflow.executor`), for messages */
  field?: string;
  /** names the run's queue (with a random suffix) */
  workflowId: string;
  /** the command that continues the run after a loss of Redis, for the one-line message */
  resumeHint: string;
  engine: EngineName;
  local: Executor;
  /** plugins whose code runs in workers (workers must have the same package and version) */
  plugins?: PluginRef[];
  emit?: (message: string) => void;
  /** replays below this many weight sets × bars run on `local` (default 4,000,000, as the local pool's own threshold) */
  inlineReplayWork?: number;
  /** refusals and no attached worker for this long stop the run with the refusal (default 10 s) */
  refusalGraceMs?: number;
  heartbeatMs?: number;
  /** a trial batch's least bar-trials (default MIN_BATCH_BAR_TRIALS; 0: batch_size alone, as the local pool — `regimen bench speedup` measures a batch's own cost so) */
  minBatchBarTrials?: number;
  /** the Regimen version the run asks of workers (default: this one; tests give another) */
  regimenVersion?: string;
}

/**
 * Where a distributed run's time went, summed over its batches (`regimen bench speedup` reads
 * it; cheap: a clock read per step). Coordinator seconds are wall time of this process's steps;
 * worker seconds are what the workers reported.
 */
export interface RedisOverheads {
  publish: PublishStats;
  /** jobs queued and the seconds spent queueing them (BullMQ addBulk) */
  enqueue: { jobs: number; seconds: number };
  /** from a job queued to its completion heard here, summed over jobs */
  waited_seconds: number;
  /** result rows fetched from Redis: bytes and seconds */
  rows: { batches: number; bytes: number; seconds: number };
  /** rows decoded (Arrow IPC) and checked against the batch asked */
  decode_seconds: number;
  /** the caller's onBatch (the trial files, when this process writes them): seconds */
  commit_seconds: number;
  /** trial files written on the coordinator's pool threads: seconds summed over the threads */
  file_seconds: number;
  /** as the workers reported them: batches, trials, the kernel's seconds and each batch's own costs */
  worker: { batches: number; trials: number; backtest: number; fetch: number; encode: number; store: number; total: number };
}

export interface RedisExecutor extends Executor {
  /** the costs so far (a copy) */
  overheads(): RedisOverheads;
}

const SETS_PER_PASS = 4;
const ATTEMPTS = 2;


type Outcome = { ok: JobReturn } | { failed: string };

const plain = (t: TrialSpec): TrialSpec => ({ trial_id: t.trial_id, strategy: t.strategy, type: t.type, params: t.params });

export async function redisExecutor(o: RedisExecutorOptions): Promise<RedisExecutor> {
  const field = o.field ?? '--executor';
  const target = parseRedisUrl(o.url, field);
  const emit = o.emit ?? (() => {});
  const run = `${o.workflowId.slice(0, 80)}-${randomBytes(6).toString('hex')}`;
  const manifest: RunManifest = {
    protocol: PROTOCOL,
    regimen: o.regimenVersion ?? REGIMEN_VERSION,
    run,
    workflow: o.workflowId,
    plugins: o.plugins ?? [],
    coordinator: { host: hostname(), pid: process.pid },
    created: new Date().toISOString(),
  };
  const link = await openRunLink(target, manifest, { field, resumeHint: o.resumeHint, emit, heartbeatMs: o.heartbeatMs });
  const queueConn = connect(target, `regimen-queue:${run}`);
  const eventsConn = connect(target, `regimen-events:${run}`);
  const queue = new Queue(run, {
    connection: queueConn,
    prefix: QUEUE_PREFIX,
    defaultJobOptions: { attempts: ATTEMPTS, removeOnComplete: true, removeOnFail: true },
    // completions are heard from the events stream: it must not be trimmed before they are read
    // (a phase keeps a few dozen batches in flight; this is room for thousands)
    streams: { events: { maxLen: 100_000 } },
  });
  // from the stream's start: the queue is new, and no event may slip by before the first read
  const events = new QueueEvents(run, { connection: eventsConn, prefix: QUEUE_PREFIX, lastEventId: '0' });
  const spent: RedisOverheads = {
    publish: { blobs: 0, bytes: 0, seconds: 0 }, enqueue: { jobs: 0, seconds: 0 }, waited_seconds: 0, rows: { batches: 0, bytes: 0, seconds: 0 },
    decode_seconds: 0, commit_seconds: 0, file_seconds: 0, worker: { batches: 0, trials: 0, backtest: 0, fetch: 0, encode: 0, store: 0, total: 0 },
  };
  const since = (t0: number) => (performance.now() - t0) / 1000;
  const pub = publisher(link, run, spent.publish);

  // one waiter per queued job; an outcome nobody waits for (a second completion) is dropped
  const waiting = new Map<string, (outcome: Outcome) => void>();
  events.on('completed', ({ jobId, returnvalue }) => waiting.get(jobId)?.({ ok: returnvalue as unknown as JobReturn }));
  events.on('failed', ({ jobId, failedReason }) => waiting.get(jobId)?.({ failed: failedReason }));
  events.on('stalled', ({ jobId }) => {
    if (waiting.has(jobId)) emit(`batch ${jobId} lost its worker; BullMQ put it back in the queue for another`);
  });
  // connection trouble: the run link decides when it is fatal (unheard, BullMQ prints each one)
  events.on('error', () => {});
  queue.on('error', () => {});

  const workers = rollCall(link, { busy: () => waiting.size > 0, emit, field, display: target.display, graceMs: o.refusalGraceMs ?? 10_000 });
  const halt = Promise.race([link.lost, workers.refused]);
  halt.catch(() => {});
  const guard = <T>(work: Promise<T>): Promise<T> => Promise.race([work, halt]);

  try {
    await guard(events.waitUntilReady());
  } catch (e) {
    workers.stop();
    await atMost(Promise.allSettled([events.close(), queue.close()]), 5000);
    queueConn.disconnect();
    eventsConn.disconnect();
    await link.close();
    throw e;
  }

  let seq = 0;
  /** Queue jobs; one promise per job for its outcome, already registered when the jobs exist. */
  const enqueue = async (kind: 't' | 'r' | 'k', datas: JobData[]): Promise<{ ids: string[]; outcomes: Array<Promise<Outcome>> }> => {
    const ids = datas.map(() => `${kind}${++seq}`);
    const t0 = performance.now();
    const outcomes = ids.map((id) => guard(new Promise<Outcome>((resolve) => waiting.set(id, resolve))).finally(() => {
      waiting.delete(id);
      spent.waited_seconds += since(t0);
    }));
    outcomes.forEach((p) => p.catch(() => {}));
    await guard(queue.addBulk(datas.map((data, i) => ({ name: data.kind, data, opts: { jobId: ids[i] } }))));
    spent.enqueue.jobs += ids.length;
    spent.enqueue.seconds += since(t0);
    return { ids, outcomes };
  };
  /** After a failure or Ctrl-C: jobs not started yet are withdrawn (running ones finish unheard). */
  const withdraw = async (ids: string[]) => {
    for (const id of ids) waiting.delete(id);
    await Promise.allSettled(ids.map((id) => queue.remove(id)));
  };
  /** the rows of a finished job (deleted from Redis once read), or its failure as a one-line error */
  const bytesOf = async (id: string, outcome: Outcome, what: string, field: string): Promise<{ bytes: Uint8Array; ret: JobReturn }> => {
    if ('failed' in outcome) {
      await link.verify(); // a batch that failed for want of data Redis lost: report the loss
      const text = await guard(link.redis.get(keys.failure(run, id)));
      void link.redis.unlink(keys.failure(run, id)).catch(() => {});
      const parsed = text === null ? undefined : FailureSchema.safeParse(JSON.parse(text));
      // no failure written: BullMQ failed the job itself, after its worker died once too often
      if (!parsed?.success) throw regimenError({ code: 'internal', field, message: `${what} failed: its worker stopped before finishing it, more often than the stalled-job limit allows (${outcome.failed})` });
      const cause = parsed.data;
      throw regimenError({ code: cause.code, field: cause.field ?? field, value: cause.value, message: `${what} failed twice: ${cause.message}` });
    }
    const ret = JobReturnSchema.parse(outcome.ok);
    tally(ret.worker, id.startsWith('t') ? 'trial' : id.startsWith('r') ? 'replay' : 'task');
    cpu.workers += ret.cpu ?? 0;
    const w = spent.worker;
    w.batches++;
    w.trials += ret.rows;
    w.backtest += ret.seconds.backtest;
    if (ret.overhead) for (const k of ['fetch', 'encode', 'store', 'total'] as const) w[k] += ret.overhead[k];
    const key = keys.result(run, id);
    const t0 = performance.now();
    const bytes = await guard(link.redis.getBuffer(key));
    spent.rows.seconds += since(t0);
    spent.rows.batches++;
    spent.rows.bytes += bytes?.byteLength ?? 0;
    void link.redis.unlink(key).catch(() => {});
    if (!bytes) {
      await link.verify(); // a Redis that restarted empty lost them: that is the error to report
      throw regimenError({ code: 'internal', field, message: `${what}: its rows are not in Redis (${key})` });
    }
    return { bytes, ret };
  };
  // batches per worker, said when the run ends: how the work spread
  const tallies = new Map<string, { trial: number; replay: number; task: number }>();
  const tally = (worker: string, kind: 'trial' | 'replay' | 'task') => {
    const t = tallies.get(worker) ?? { trial: 0, replay: 0, task: 0 };
    t[kind]++;
    tallies.set(worker, t);
  };
  const slots = workers.slots;
  // CPU seconds the workers reported for this run's jobs
  const cpu = { workers: 0 };

  const local = o.local;
  let jobsInFlight = 0;
  /** a trial job's batches through the workers, their rows committed in completion order (onBatch) */
  const runBatches = async (job: TrialJob, onBatch: ((done: BatchDone) => void | Promise<void>) | undefined, batches: ReturnType<typeof formBatches>): Promise<TrialRow[]> => {
    const rows: TrialRow[] = new Array(job.trials.length);
    const labels = (tracks: RegimeTrack[]) => Promise.all(tracks.map((t) => pub.labels(t)));
    const [market, regimes, foldRegimes] = await guard(Promise.all([pub.market(job.bars), labels(job.regimes), Promise.all((job.folds ?? []).map((f) => labels(f.regimes)))]));
    const window = (w: ScoreWindow) => ({ start: w.start, end: w.end });
    const folds = job.folds?.map((f, i) => ({ window: window(f.window), regimes: foldRegimes[i]! }));
    const base = {
      kind: 'trials' as const, engine: o.engine, market, regimes, window: window(job.window),
      costs: { fee: job.costs.fee, slippage: job.costs.slippage }, barsPerYear: job.barsPerYear, captureSignals: job.captureSignals,
      ...(folds ? { folds } : {}),
    };
    // a fold batch's rows carry fold 0's numbers as their own (the engines' rule)
    const tracks = layout(job.folds ? job.folds[0]!.regimes : job.regimes);
    const foldTracks = job.folds?.map((f) => layout(f.regimes));
    // the trial files: written on the coordinator's own pool threads, several batches at a time
    // (as the local pool's threads write theirs), when it has threads; else on this one by the caller
    const outputs = job.outputs && local.runTask && local.workers > 0 ? job.outputs : undefined;
    const writeFiles = (b: (typeof batches)[number], bytes: Uint8Array): Promise<WrittenFiles> => {
      const task: WriteFilesTask = {
        bytes, trials: b.trials.map(plain), tracks, signals: job.captureSignals, time: job.bars.time, window: window(job.window), outputs: outputs!,
        ...(foldTracks ? { folds: foldTracks, foldWindows: job.folds!.map((f) => window(f.window)) } : {}),
      };
      return local.runTask!<WrittenFiles>(writeFilesModule(), task);
    };
    const { ids, outcomes } = await enqueue('t', batches.map((b) => ({ ...base, trials: b.trials.map(plain) })));
    let failed = false;
    // onBatch calls are chained so files are committed one batch at a time, in completion order
    let commit: Promise<void> = Promise.resolve();
    try {
      await Promise.all(
        batches.map(async (b, i) => {
          try {
            const what = `batch of trials ${b.trials.map((t) => t.trial_id).join(', ')}`;
            const { bytes, ret } = await bytesOf(ids[i]!, await outcomes[i]!, what, 'trials');
            if (failed) return;
            // the files written on a pool thread, which decoded the rows for them and gives them back
            // without their signals (as the local pool's written rows): no second decode here
            const written = outputs ? await guard(writeFiles(b, bytes)) : undefined;
            const t0 = performance.now();
            const out = written?.rows ?? decodeTrialRows(bytes, { trialIds: b.trials.map((t) => t.trial_id), tracks, signals: job.captureSignals, ...(foldTracks ? { folds: foldTracks } : {}) });
            spent.decode_seconds += since(t0);
            b.indices.forEach((idx, k) => (rows[idx] = out[k]!));
            const files = written?.seconds ?? 0;
            spent.file_seconds += files;
            if (failed) return;
            if (onBatch) {
              const seconds = { backtest: ret.seconds.backtest, files: ret.seconds.files + files };
              commit = commit.then(async () => {
                const t1 = performance.now();
                await onBatch({ indices: b.indices, rows: out, written: written !== undefined, seconds });
                spent.commit_seconds += since(t1);
              });
              await guard(commit);
            }
            // on disk now: a long phase does not keep every trial's events in memory
            if (job.outputs) for (const r of out) delete r.signals;
          } catch (e) {
            failed = true;
            throw e;
          }
        }),
      );
      await commit;
    } catch (e) {
      await withdraw(ids);
      throw e;
    }
    return rows;
  };

  return {
    overheads: () => structuredClone(spent),
    get workers() {
      return slots();
    },
    engine: o.engine,
    get taskWorkers() {
      return slots();
    },
    workerCpuSeconds: () => cpu.workers,
    async runTask<R>(module: string, task: unknown): Promise<R> {
      const ref = moduleRef(module);
      if (!ref) {
        if (!local.runTask) throw regimenError({ code: 'internal', field: 'module', value: module, message: 'a module outside any package cannot run on remote workers, and the local executor runs no tasks' });
        return local.runTask<R>(module, task);
      }
      let bytes: Uint8Array;
      try {
        bytes = await guard(encodeTask(task, (view) => pub.array(view)));
      } catch (e) {
        // it names a module no worker could install (a plugin that is a lone file): the coordinator's pool runs it
        if (e instanceof UnportableTask && local.runTask) return local.runTask<R>(module, task);
        throw e;
      }
      const sha = await guard(pub.bytes(bytes));
      const { ids, outcomes } = await enqueue('k', [{ kind: 'task', engine: o.engine, module: ref, task: sha }]);
      try {
        const { bytes: result } = await bytesOf(ids[0]!, await outcomes[0]!, `task of ${ref.specifier ?? `${ref.package}/${ref.path}`}`, 'task');
        return decodeResult(result) as R;
      } catch (e) {
        await withdraw(ids);
        throw e;
      }
    },
    async run(job, onBatch) {
      const rows: TrialRow[] = new Array(job.trials.length);
      if (job.trials.length === 0) return rows;
      const bars = Math.max(job.window.end, ...(job.folds ?? []).map((f) => f.window.end));
      const size = distributedBatchSize(job.batchSize ?? 64, bars, job.folds?.length ?? 1, o.minBatchBarTrials);
      const batches = formBatches(job.trials, size, Math.max(1, Math.ceil(slots() / ++jobsInFlight)));
      try {
        return await runBatches(job, onBatch, batches);
      } finally {
        jobsInFlight--;
      }
    },
    async replay(batch) {
      const sets = batch.weightSets.length;
      const span = batch.window.end - batch.window.start;
      if (sets <= SETS_PER_PASS || sets * span < (o.inlineReplayWork ?? 4_000_000)) return o.local.replay(batch);
      const [close, regime, ...breakdown] = await guard(Promise.all([pub.series(batch.close), pub.labels(batch.regime), ...batch.breakdown.map((t) => pub.labels(t))]));
      const legs = await guard(Promise.all(batch.legs.map(async (l) => ({ strategy: l.strategy, byRegime: await Promise.all(l.byRegime.map((e) => (e ? pub.events(e) : null))) }))));
      const parts = Math.min(slots(), Math.ceil(sets / SETS_PER_PASS));
      const size = Math.ceil(sets / parts / SETS_PER_PASS) * SETS_PER_PASS;
      const chunks: Array<{ from: number; to: number }> = [];
      for (let from = 0; from < sets; from += size) chunks.push({ from, to: Math.min(sets, from + size) });
      const base = {
        kind: 'replay' as const, engine: o.engine, close: close!, regime: regime!, breakdown, legs,
        window: { start: batch.window.start, end: batch.window.end }, costs: { fee: batch.costs.fee, slippage: batch.costs.slippage }, barsPerYear: batch.barsPerYear,
      };
      const tracks = layout(batch.breakdown);
      const { ids, outcomes } = await enqueue('r', chunks.map((c) => ({ ...base, weightSets: batch.weightSets.slice(c.from, c.to).map((set) => set.map((w) => Array.from(w))) })));
      try {
        const parts = await Promise.all(
          chunks.map(async (c, i) => {
            const { bytes } = await bytesOf(ids[i]!, await outcomes[i]!, `replay of weight sets ${c.from}–${c.to - 1}`, 'weight_sets');
            const t0 = performance.now();
            const out = decodeReplayRows(bytes, { count: c.to - c.from, tracks });
            spent.decode_seconds += since(t0);
            return out;
          }),
        );
        return parts.flat() as ReplayRow[];
      } catch (e) {
        await withdraw(ids);
        throw e;
      }
    },
    async close() {
      workers.stop();
      if (tallies.size) {
        emit(`batches run by worker: ${[...tallies].map(([w, t]) => `${w} ${t.trial} trial, ${t.replay} replay and ${t.task} task`).join(', ')}`);
        // the coordinator's share of the run's CPU: its process against what the workers reported
        const own = process.cpuUsage();
        const mine = (own.user + own.system) / 1e6;
        emit(`CPU: the workers ${cpu.workers.toFixed(1)} s, this process ${mine.toFixed(1)} s (${((100 * mine) / Math.max(1e-9, mine + cpu.workers)).toFixed(1)} % of both)`);
      }
      waiting.clear();
      await atMost(Promise.allSettled([events.close(), queue.close()]), 5000);
      queueConn.disconnect();
      eventsConn.disconnect();
      await link.close();
      await o.local.close();
    },
  };
}
