import { availableParallelism, hostname } from 'node:os';
import { Worker, UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { failureData, localExecutor, type EngineName, type Executor } from '@regimen/backtester';
import { isRegimenError, regimenError } from '@regimen/core';
import { connect, isAuthError, parseRedisUrl } from './connection.js';
import { refusal, resolveTaskModule } from './compat.js';
import { encodeResult } from './task-codec.js';
import { atMost } from './deadline.js';
import { jobDataSource, weightVectors } from './job-data.js';
import { JobDataSchema, keys, ORPHAN_TTL_S, QUEUE_PREFIX, REGIMEN_VERSION, RunManifestSchema, type JobData, type JobReturn, type RunManifest, type WorkerStatus } from './protocol.js';
import { encodeReplayRows, encodeTrialRows } from './rows.js';

/**
 * `regimen worker`: a long-running process that finds live runs in Redis, checks it can run
 * their jobs (same protocol, Regimen version and worker plugins; else it refuses the run with
 * one line, which the coordinator shows), and runs their trial and replay batches on a local
 * pool of `concurrency` threads with the WebAssembly engine, `concurrency` batches at a time.
 *
 * Stalled jobs: BullMQ holds a lock per running job, renewed every lockSeconds/2 from this
 * process's event loop (the batches run on pool threads, so it stays free). A worker that dies
 * stops renewing; every stalledSeconds some live worker moves jobs whose lock expired back to
 * the queue, at most maxStalled times per job (then it fails, and the run with it).
 */
export interface WorkerOptions {
  url: string;
  /** batches at a time, each on its own thread (default: the cores here) */
  concurrency?: number;
  /** where plugins named by runs are installed (default: the working directory) */
  pluginsFrom?: string;
  lockSeconds?: number;
  stalledSeconds?: number;
  maxStalled?: number;
  /** how often the worker looks for runs (ms) */
  pollMs?: number;
  log?: (line: string) => void;
  /** the Regimen version this worker claims (default: its own; tests give another) */
  version?: string;
}

export interface RegimenWorker {
  readonly id: string;
  /** batches in hand right now */
  busy(): number;
  /** finish the batches in hand, take no more, leave */
  stop(): Promise<void>;
  /** hand the batches in hand back to their queues now, and leave */
  abort(): Promise<void>;
  /** resolves when the worker has left */
  readonly stopped: Promise<void>;
}

const DEFAULTS = { lockSeconds: 30, stalledSeconds: 30, maxStalled: 1, pollMs: 500 };
let started = 0;

export async function startWorker(o: WorkerOptions): Promise<RegimenWorker> {
  const target = parseRedisUrl(o.url, '--redis');
  const concurrency = Math.max(1, Math.floor(o.concurrency ?? availableParallelism()));
  const lockMs = (o.lockSeconds ?? DEFAULTS.lockSeconds) * 1000;
  const stalledMs = (o.stalledSeconds ?? DEFAULTS.stalledSeconds) * 1000;
  const maxStalled = o.maxStalled ?? DEFAULTS.maxStalled;
  const pluginsFrom = o.pluginsFrom ?? process.cwd();
  const version = o.version ?? REGIMEN_VERSION;
  const log = o.log ?? (() => {});
  const id = `${hostname()}:${process.pid}${started++ ? `:${started}` : ''}`;
  const redis = connect(target, `regimen-worker:${id}`);
  await firstContact(redis, target.display, log);

  const source = jobDataSource(redis);
  // one pool per engine and set of strategy plugins (a run's plugins are loaded by name from here)
  const locals = new Map<string, Executor>();
  const localFor = (engine: EngineName, plugins: RunManifest['plugins']) => {
    const key = JSON.stringify([engine, plugins.map((p) => p.name)]);
    let l = locals.get(key);
    if (!l) {
      const strategyPlugins = plugins.map((p) => ({ spec: p.name, from: pluginsFrom }));
      // batches in hand may be of as many markets (the series of a universe, several runs): keep each
      locals.set(key, (l = localExecutor({ workers: concurrency, engine, dataSets: concurrency + 1, ...(strategyPlugins.length ? { strategyPlugins } : {}) })));
    }
    return l;
  };
  const attached = new Map<string, { worker: Worker; connection: Redis }>();
  const refused = new Set<string>();
  const inHand = new Map<string, { job: Job; token?: string }>();
  let stopping = false;
  // set when the batches in hand went back to the queue: whatever becomes of them here is not said
  let handingBack = false;

  const status = (state: WorkerStatus['state'], reason?: string): string =>
    JSON.stringify({ id, host: hostname(), pid: process.pid, regimen: version, concurrency, state, ...(reason ? { reason } : {}), seen: Date.now() } satisfies WorkerStatus);

  type Executed = { bytes: Uint8Array; rows: number; seconds: JobReturn['seconds']; fetch: number; encode: number };
  const execute = async (run: string, manifest: RunManifest, data: JobData): Promise<Executed> => {
    const local = localFor(data.engine, manifest.plugins);
    // where a batch's time goes beyond its backtests (`regimen bench speedup` reads it)
    const t0 = performance.now();
    if (data.kind === 'task') {
      const file = resolveTaskModule(data.module, manifest, pluginsFrom, version);
      // a module the task names (a classifier plugin to fit) is this worker's own installation of it, same version
      const task = await source.task(run, data, (ref) => resolveTaskModule(ref, manifest, pluginsFrom, version));
      const fetched = performance.now();
      const value = await local.runTask!(file, task);
      const ran = performance.now();
      const bytes = encodeResult(value);
      return { bytes, rows: 0, seconds: { backtest: (ran - fetched) / 1000, files: 0 }, fetch: (fetched - t0) / 1000, encode: (performance.now() - ran) / 1000 };
    }
    if (data.kind === 'trials') {
      const { bars, regimes, folds } = await source.trials(run, data);
      const fetched = performance.now();
      let seconds = { backtest: 0, files: 0 };
      const job = { bars, regimes, window: data.window, trials: data.trials, costs: data.costs, barsPerYear: data.barsPerYear, captureSignals: data.captureSignals, wholeBatch: true, ...(folds ? { folds } : {}) };
      const rows = await local.run(job, (d) => {
        if (d.seconds) seconds = d.seconds;
      }).catch(unwrapRetry);
      const tracks = folds ? folds[0]!.regimes : regimes;
      const t1 = performance.now();
      const bytes = encodeTrialRows(rows, tracks, folds?.map((f) => f.regimes));
      return { bytes, rows: rows.length, seconds, fetch: (fetched - t0) / 1000, encode: (performance.now() - t1) / 1000 };
    }
    const shared = await source.replay(run, data);
    const fetched = performance.now();
    const rows = await local.replay({ ...shared, weightSets: weightVectors(data, shared.regime.names.length) }).catch(unwrapRetry);
    const t1 = performance.now();
    const bytes = encodeReplayRows(rows, shared.breakdown);
    return { bytes, rows: rows.length, seconds: { backtest: (t1 - fetched) / 1000, files: 0 }, fetch: (fetched - t0) / 1000, encode: (performance.now() - t1) / 1000 };
  };

  const processor = (run: string, manifest: RunManifest) => async (job: Job, token?: string): Promise<JobReturn> => {
    const key = `${run}/${job.id}`;
    inHand.set(key, { job, token });
    try {
      const parsed = JobDataSchema.safeParse(job.data);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw Object.assign(new UnrecoverableError(`malformed job ${job.id}: ${issue.path.join('.')}: ${issue.message}`), { field: issue.path.join('.') });
      }
      const cpu0 = threadsCpuSeconds();
      const t0 = performance.now();
      const out = await execute(run, manifest, parsed.data);
      // the process's CPU over the job: exact with one job at a time, shared out among them otherwise
      const cpu = (threadsCpuSeconds() - cpu0) / Math.max(1, inHand.size);
      if (handingBack) return abandoned();
      const t1 = performance.now();
      await redis.set(keys.result(run, job.id!), Buffer.from(out.bytes.buffer, out.bytes.byteOffset, out.bytes.byteLength), 'EX', ORPHAN_TTL_S);
      const t2 = performance.now();
      const overhead = { fetch: out.fetch, encode: out.encode, store: (t2 - t1) / 1000, total: (t2 - t0) / 1000 };
      return { rows: out.rows, bytes: out.bytes.byteLength, worker: id, seconds: out.seconds, overhead, cpu };
    } catch (e) {
      if (handingBack) return abandoned();
      // the code, field and value travel beside BullMQ's plain failedReason
      const failure = { ...failureData(e), ...(e instanceof UnrecoverableError ? { code: 'internal' as const } : {}) };
      await redis.set(keys.failure(run, job.id!), JSON.stringify(failure), 'EX', ORPHAN_TTL_S).catch(() => {});
      throw e instanceof Error ? e : new Error(String(e));
    } finally {
      inHand.delete(key);
    }
  };

  const attach = (run: string, manifest: RunManifest) => {
    const connection = connect(target, `regimen-worker:${id}:${run}`);
    const worker = new Worker(run, processor(run, manifest), {
      connection,
      prefix: QUEUE_PREFIX,
      concurrency,
      lockDuration: lockMs,
      stalledInterval: stalledMs,
      maxStalledCount: maxStalled,
    });
    worker.on('failed', (job, err) => log(`batch ${job?.id ?? '?'} of run ${run} failed: ${err.message}`));
    worker.on('error', (e) => logOnce(`run ${run}: ${e.message}`));
    attached.set(run, { worker, connection });
    log(`attached to run ${run} (workflow ${manifest.workflow}, coordinator ${manifest.coordinator.host}:${manifest.coordinator.pid})`);
  };
  const detach = async (run: string, why: string) => {
    const a = attached.get(run);
    if (!a) return;
    attached.delete(run);
    // its coordinator is gone: nobody waits for the batches in hand, and a Redis that lost the
    // run's keys may never let BullMQ settle them; the connection goes whatever close() does,
    // or it would keep this process alive after it stopped
    try {
      await atMost(a.worker.close(true), 2000);
    } finally {
      a.connection.disconnect();
    }
    log(`left run ${run}: ${why}`);
  };

  const said = new Set<string>();
  const logOnce = (line: string) => {
    if (said.has(line)) return;
    said.add(line);
    log(line);
  };

  const look = async () => {
    const runs = await redis.zrange(keys.runs, 0, -1);
    for (const run of refused) if (!runs.includes(run)) refused.delete(run);
    for (const run of runs) {
      if (stopping || attached.has(run) || refused.has(run)) continue;
      const [text, alive] = await Promise.all([redis.get(keys.run(run)), redis.exists(keys.alive(run))]);
      if (text === null || alive === 0) continue;
      const verdict = judge(text, pluginsFrom, version);
      if ('reason' in verdict) {
        refused.add(run);
        await redis.hset(keys.workers(run), id, status('refused', verdict.reason));
        log(`refused run ${run}: ${verdict.reason}`);
      } else attach(run, verdict.manifest);
    }
    for (const run of [...attached.keys()]) {
      if ((await redis.exists(keys.alive(run))) === 0) await detach(run, 'its coordinator is gone');
      else await redis.hset(keys.workers(run), id, status(stopping ? 'stopping' : 'attached'));
    }
    said.clear();
  };

  // one look at a time: with Redis away a look waits for it, and ticks meanwhile are skipped
  let looking: Promise<void> | undefined;
  const timer = setInterval(() => {
    looking ??= look()
      .catch((e: unknown) => logOnce(`cannot look for runs: ${(e as Error).message}`))
      .finally(() => (looking = undefined));
  }, o.pollMs ?? DEFAULTS.pollMs);
  redis.on('error', (e: Error) => logOnce(`Redis at ${target.display}: ${e.message}; retrying`));
  await look();

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => (resolveStopped = r));
  const leave = async (handBack: boolean) => {
    stopping = true;
    clearInterval(timer);
    // a Redis that is gone would hold each step forever: every one is bounded
    if (looking) await atMost(looking, 2000);
    if (handBack) {
      handingBack = true;
      // back to the queue at once, for another worker: no waiting for the lock to expire
      await atMost(Promise.allSettled([...inHand.values()].map(({ job, token }) => job.moveToWait(token))), 5000);
    }
    await Promise.allSettled([...attached.entries()].map(async ([run, a]) => {
      await atMost(redis.hset(keys.workers(run), id, status('stopping')), 2000);
      // graceful: wait for the batches in hand; a graceful close in progress is not forced by close(true)
      if (handBack) await atMost(a.worker.close(true), 2000);
      else await a.worker.close();
      a.connection.disconnect();
      await atMost(redis.hdel(keys.workers(run), id), 2000);
    }));
    await Promise.allSettled([...locals.values()].map((l) => l.close()));
    redis.disconnect();
    log(handBack ? 'stopped; the batches in hand went back to their queues' : 'stopped after finishing the batches in hand');
    resolveStopped();
  };
  let graceful: Promise<void> | undefined;
  let hard: Promise<void> | undefined;
  return {
    id,
    busy: () => inHand.size,
    stop: () => (graceful ??= leave(false)),
    abort: () => (hard ??= leave(true)),
    stopped,
  };
}

/** CPU seconds of this process so far, every thread's (user + system) */
function threadsCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * A batch handed back settles never: BullMQ must neither complete nor fail it on this worker's
 * word (another worker has it now), and a forced close does not wait for it.
 */
const abandoned = () => new Promise<never>(() => {});

/** The local pool's own retry says "batch of trials … failed twice: cause"; the coordinator names the batch itself. */
function unwrapRetry(e: unknown): never {
  throw isRegimenError(e) && isRegimenError(e.cause) ? e.cause : e;
}

const ManifestHead = z.object({ protocol: z.number(), regimen: z.string() }).passthrough();

/** May this worker run the jobs of the run whose manifest is `text`? */
function judge(text: string, pluginsFrom: string, version: string): { manifest: RunManifest } | { reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { reason: 'its manifest in Redis is not JSON' };
  }
  const head = ManifestHead.safeParse(raw);
  if (!head.success) return { reason: 'its manifest in Redis is not one Regimen wrote' };
  const parsed = RunManifestSchema.safeParse(raw);
  // a manifest of another protocol may have another shape: the protocol decides first
  const reason = refusal({ protocol: head.data.protocol, regimen: head.data.regimen, plugins: parsed.success ? parsed.data.plugins : [] }, pluginsFrom, version);
  if (reason) return { reason };
  if (!parsed.success) return { reason: `its manifest in Redis is malformed (${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message})` };
  return { manifest: parsed.data };
}

/** A worker waits for Redis as long as it takes (it is a daemon), but wrong credentials end it. */
async function firstContact(redis: Redis, display: string, log: (line: string) => void): Promise<void> {
  let told = false;
  for (;;) {
    try {
      await redis.ping();
      return;
    } catch (e) {
      if (isAuthError(e)) {
        redis.disconnect();
        throw regimenError({ code: 'usage', field: '--redis', value: display, message: `Redis refused the credentials (${(e as Error).message}); give user:password in the URL or REGIMEN_REDIS_USERNAME/REGIMEN_REDIS_PASSWORD` });
      }
      if (!told) log(`waiting for Redis at ${display} (${(e as Error).message})`);
      told = true;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
