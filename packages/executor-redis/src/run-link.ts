import type { Redis } from 'ioredis';
import { regimenError, type RegimenError } from '@regimen/core';
import { connect, isAuthError, type RedisTarget } from './connection.js';
import { keys, ORPHAN_TTL_S, QUEUE_PREFIX, RunManifestSchema, WorkerStatusSchema, type RunManifest, type WorkerStatus } from './protocol.js';
import { Queue } from 'bullmq';
import { atMost, withTimeout } from './deadline.js';

/**
 * The coordinator's presence in Redis for one run: it announces the run (workers discover it in
 * `regimen:runs`), keeps a heartbeat, watches the workers' statuses, and watches Redis itself.
 *
 * Redis unreachable: the run waits up to `target.waitMs`, then `lost` rejects with one line
 * saying how to resume. Redis back without the run's keys (restarted without persistence): the
 * queue and its jobs are gone, so `lost` rejects at once. Finished trials are on disk either
 * way, committed by the coordinator as they came.
 */
export interface RunLink {
  readonly redis: Redis;
  /** rejects (code `unavailable`) when Redis is lost for good; never resolves */
  readonly lost: Promise<never>;
  /** `work`, or the loss of Redis, whichever comes first */
  guard<T>(work: Promise<T>): Promise<T>;
  /** worker statuses as of the last heartbeat (attached workers seen lately, and refusals) */
  workers(): WorkerStatus[];
  /** throws the loss of Redis if Redis no longer has this run (it restarted empty) */
  verify(): Promise<void>;
  /** keep a key of the run alive as long as the run (blobs) */
  keep(key: string): void;
  /** withdraw the run and delete every key of it */
  close(): Promise<void>;
}

export interface RunLinkOptions {
  /** where the URL came from (`--executor`, `workflow.executor`), for messages */
  field: string;
  /** how a user continues the run after a loss (a command line) */
  resumeHint: string;
  emit: (message: string) => void;
  heartbeatMs?: number;
}

/** a worker not heard from for this long is taken for gone */
const WORKER_SILENCE_MS = 15_000;
const ALIVE_TTL_MS = 30_000;
const BEAT_TIMEOUT_MS = 5000;

export async function openRunLink(target: RedisTarget, manifest: RunManifest, opts: RunLinkOptions): Promise<RunLink> {
  const redis = connect(target, `regimen-coordinator:${manifest.run}`);
  const heartbeatMs = opts.heartbeatMs ?? 1000;
  let fail!: (e: RegimenError) => void;
  const lost = new Promise<never>((_, reject) => (fail = reject));
  lost.catch(() => {}); // observed by guard(); an unobserved rejection must not crash the process
  let failed: RegimenError | undefined;
  const stop = (e: RegimenError) => {
    if (failed) return;
    failed = e;
    fail(e);
  };
  const gone = (why: string) =>
    regimenError({ code: 'unavailable', field: opts.field, value: target.display, message: `${why}; finished trials are kept — continue with: ${opts.resumeHint}` });

  const lostRun = () => gone("Redis lost this run's queue (restarted without persistence?)");

  await firstContact(redis, target, opts.field);
  const run = manifest.run;
  await collectOrphans(redis);
  await redis
    .multi()
    .set(keys.run(run), JSON.stringify(RunManifestSchema.parse(manifest)), 'EX', ORPHAN_TTL_S)
    .set(keys.alive(run), String(Date.now()), 'PX', ALIVE_TTL_MS)
    .zadd(keys.runs, Date.now(), run)
    .exec();

  const kept = new Set<string>([keys.run(run), keys.workers(run)]);
  let statuses: WorkerStatus[] = [];
  const heard = new Map<string, { seen: number; at: number }>();
  let lostSince: number | undefined;
  let lastError = '';
  // the connection's own complaint (ECONNREFUSED…) says more than a command's timeout
  let refusedBy = '';
  redis.on('error', (e: Error) => (refusedBy = e.message));
  redis.on('ready', () => (refusedBy = ''));
  const beat = async () => {
    try {
      // a connection known to be down fails the beat at once, not after the command's timeout
      if (redis.status !== 'ready') throw new Error(refusedBy || `connection ${redis.status}`);
      const tx = redis.multi().exists(keys.run(run)).set(keys.alive(run), String(Date.now()), 'PX', ALIVE_TTL_MS).hgetall(keys.workers(run));
      for (const k of kept) tx.expire(k, ORPHAN_TTL_S);
      const sent = Date.now();
      const res = await withTimeout(tx.exec(), BEAT_TIMEOUT_MS).catch((e: unknown) => {
        // late because this process was busy (a long synchronous step), not because Redis was
        if (Date.now() - sent > 1.5 * BEAT_TIMEOUT_MS) return 'busy' as const;
        throw e;
      });
      if (res === 'busy') return;
      if (!res || res.some(([err]) => err)) throw res?.find(([err]) => err)?.[0] ?? new Error('transaction aborted');
      if (res[0]![1] === 0) return stop(lostRun());
      if (lostSince !== undefined) opts.emit(`Redis at ${target.display} is back`);
      lostSince = undefined;
      statuses = parseStatuses(res[2]![1] as Record<string, string>);
      // a worker is alive while its `seen` keeps changing, by this clock (hosts' clocks may differ)
      const now = Date.now();
      for (const st of statuses) {
        const prev = heard.get(st.id);
        if (!prev || prev.seen !== st.seen) heard.set(st.id, { seen: st.seen, at: now });
      }
    } catch (e) {
      lastError = refusedBy || (e as Error).message;
      if (lostSince === undefined) {
        lostSince = Date.now();
        opts.emit(`Redis at ${target.display} is unreachable (${lastError}); waiting up to ${target.waitMs / 1000} s`);
      } else if (Date.now() - lostSince >= target.waitMs) {
        stop(gone(`Redis was unreachable for ${target.waitMs / 1000} s (${lastError})`));
      }
    }
  };
  let beating = false;
  const timer = setInterval(() => {
    if (beating || failed) return;
    beating = true;
    void beat().finally(() => (beating = false));
  }, heartbeatMs);
  await beat();

  return {
    redis,
    lost,
    guard: (work) => Promise.race([work, lost]),
    workers: () => statuses.filter((s) => s.state === 'refused' || Date.now() - (heard.get(s.id)?.at ?? 0) < WORKER_SILENCE_MS),
    async verify() {
      if (failed) throw failed;
      if ((await Promise.race([redis.exists(keys.run(run)), lost])) === 0) {
        stop(lostRun());
        throw failed;
      }
    },
    keep: (key) => void kept.add(key),
    async close() {
      clearInterval(timer);
      if (!failed) {
        // best effort: a Redis that is gone keeps nothing anyway, and orphans expire
        await atMost(removeRun(redis, run), 10_000);
      }
      redis.disconnect();
    },
  };
}

function parseStatuses(hash: Record<string, string>): WorkerStatus[] {
  const out: WorkerStatus[] = [];
  for (const text of Object.values(hash ?? {})) {
    try {
      out.push(WorkerStatusSchema.parse(JSON.parse(text)));
    } catch {
      // a status written by another protocol version: that worker refuses on its own
    }
  }
  return out;
}

/** Wait for Redis up to the bounded wait; wrong credentials fail at once. */
async function firstContact(redis: Redis, target: RedisTarget, field: string): Promise<void> {
  const t0 = Date.now();
  let last = 'no answer';
  for (;;) {
    try {
      await withTimeout(redis.ping(), 2000);
      return;
    } catch (e) {
      last = (e as Error).message;
      if (isAuthError(e)) {
        redis.disconnect();
        throw regimenError({ code: 'usage', field, value: target.display, message: `Redis refused the credentials (${last}); give user:password in the URL or REGIMEN_REDIS_USERNAME/REGIMEN_REDIS_PASSWORD` });
      }
    }
    if (Date.now() - t0 >= target.waitMs) {
      redis.disconnect();
      throw regimenError({ code: 'unavailable', field, value: target.display, message: `cannot reach Redis (${last}) after ${target.waitMs / 1000} s; start it, or run without --executor` });
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Delete every key of a run and its queue. */
async function removeRun(redis: Redis, run: string): Promise<void> {
  await redis.zrem(keys.runs, run);
  const stream = redis.scanStream({ match: keys.pattern(run), count: 500 });
  for await (const batch of stream as AsyncIterable<string[]>) if (batch.length) await redis.unlink(...batch);
  await redis.unlink(keys.run(run));
  // connection options, not the client: a queue closes the connection it made itself
  const queue = new Queue(run, { connection: { ...redis.options, connectionName: 'regimen-cleanup' }, prefix: QUEUE_PREFIX });
  queue.on('error', () => {});
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
  }
}

/**
 * Runs whose manifest expired (no heartbeat for ORPHAN_TTL_S: their coordinator died) are
 * removed by the next coordinator, so an abandoned queue does not sit in Redis forever.
 */
async function collectOrphans(redis: Redis): Promise<void> {
  const runs = await redis.zrange(keys.runs, 0, -1);
  for (const run of runs) {
    if ((await redis.exists(keys.run(run))) === 0) await removeRun(redis, run).catch(() => {});
  }
}
