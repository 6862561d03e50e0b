import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtMissing, requireOrSkip } from '@regimen/plugin-testkit';
import { NO_REGIME, type RegimeTrack, type TrialSpec } from '@regimen/core';
import { loadMarketData } from '@regimen/data';
import { buildLegs, localExecutor, replayBatch, runFullBacktest, type BatchDone, type TrialJob } from '@regimen/backtester';
import { pluginRef } from './compat.js';
import { redisExecutor } from './redis-executor.js';
import { redisServerMissing, startLocalRedis, type LocalRedis } from './redis-server.js';
import { startWorker, type RegimenWorker } from './worker.js';

// workers run the backtester's built pool (dist/), which `npm ci` makes
const built = !requireOrSkip('the built backtester', builtMissing(new URL('../../backtester/dist/worker.js', import.meta.url)));
const missing = requireOrSkip('redis-server', redisServerMissing()) ? redisServerMissing() : null;
const skip = missing !== null || !built;
if (missing) console.warn(`skipping Redis executor tests: ${missing}`);

const nyse = loadMarketData('packages/data/embedded/nyse_composite_daily_close.csv');
const n = 4000;
const close = nyse.bars.close.slice(0, n);
const bars = { time: nyse.bars.time.slice(0, n), open: close, high: close, low: close, close };
const labels = Uint8Array.from({ length: n }, (_, t) => (t < 30 ? NO_REGIME : Math.floor(t / 150) % 3));
const tracks: RegimeTrack[] = [
  { classifier: 'hmm', names: ['bull', 'neutral', 'bear'], labels },
  { classifier: 'pattern', names: ['breakout', 'range'], labels: labels.map((l) => (l === NO_REGIME ? l : l % 2)) },
];
const trials: TrialSpec[] = Array.from({ length: 40 }, (_, i): TrialSpec => (i % 2
  ? { trial_id: `t${i}`, strategy: 'a', type: 'momentum', params: { lookback: 5 + i, threshold: 0.01, side: 'long_short' } }
  : { trial_id: `t${i}`, strategy: 'b', type: 'breakout', params: { lookback: 5 + i, side: 'long_only' } }));
const job: TrialJob = { bars, regimes: tracks, window: { start: 0, end: n }, trials, costs: { fee: 0.001, slippage: 0.0002 }, barsPerYear: 252, captureSignals: true, batchSize: 8 };

describe.skipIf(skip)('the Redis executor', () => {
  let redis: LocalRedis;
  const workers: RegimenWorker[] = [];
  const opts = (over: Partial<Parameters<typeof redisExecutor>[0]> = {}) => ({
    url: redis.url, workflowId: 'wf_test', resumeHint: 'regimen run ws --resume', engine: 'wasm' as const,
    local: localExecutor({ workers: 0, engine: 'wasm' }), heartbeatMs: 200, ...over,
  });

  let redisClient: Redis;
  beforeAll(async () => {
    redis = await startLocalRedis();
    redisClient = new Redis(redis.port, '127.0.0.1');
    for (let i = 0; i < 2; i++) workers.push(await startWorker({ url: redis.url, concurrency: 1, pollMs: 100 }));
  });
  afterAll(async () => {
    redisClient?.disconnect();
    await Promise.all(workers.map((w) => w.stop()));
    await redis?.stop();
  });

  it('gives the local pool\'s rows, batch by batch, and the same replay rows', async () => {
    const want = await localExecutor({ workers: 0, engine: 'wasm' }).run(job);
    const ex = await redisExecutor(opts({ inlineReplayWork: 0 }));
    try {
      const seen: BatchDone[] = [];
      const got = await ex.run(job, (d) => void seen.push(d));
      expect(JSON.stringify(got)).toBe(JSON.stringify(want));
      got.forEach((r, i) => expect(r.signals).toEqual(want[i]!.signals));
      expect(seen.every((d) => !d.written && d.rows.length === d.indices.length)).toBe(true);
      expect(seen.flatMap((d) => d.indices).sort((a, b) => a - b)).toEqual(trials.map((_, i) => i));
      expect(ex.workers).toBe(2);

      const winners = Object.fromEntries(tracks[0]!.names.map((name, k) => [name, { a: { params: {}, trial_id: `t${2 * k + 1}`, metric: 'sharpe', score: 0 }, b: { params: {}, trial_id: `t${2 * k}`, metric: 'sharpe', score: 0 } }]));
      const events = new Map(want.map((r) => [r.trial_id, r.signals!]));
      const legs = buildLegs(tracks[0]!, ['a', 'b'], winners, (id) => events.get(id)!);
      const input = { close, window: { start: 0, end: n }, regime: tracks[0]!, breakdown: tracks, strategies: ['a', 'b'], winners, costs: job.costs, barsPerYear: 252 };
      const sets = Array.from({ length: 23 }, (_, i) => ({ a: i / 22, b: 1 - i / 22 }));
      const local = await localExecutor({ workers: 0, engine: 'wasm' }).replay(replayBatch(input, legs, sets));
      expect(JSON.stringify(await ex.replay(replayBatch(input, legs, sets)))).toBe(JSON.stringify(local));
    } finally {
      await ex.close();
    }
  });

  it('scores a walk-forward batch on every fold with its own tracks, as the local pool does', async () => {
    // two folds sharing one track object (sent once) and one of their own
    const other: RegimeTrack = { classifier: 'hmm', names: ['up', 'down'], labels: labels.map((l) => (l === NO_REGIME ? l : l % 2)) };
    const foldJob: TrialJob = {
      ...job, regimes: [], window: { start: 200, end: n },
      folds: [{ window: { start: 200, end: 2500 }, regimes: tracks }, { window: { start: 1500, end: n }, regimes: [other, tracks[1]!] }],
    };
    const want = await localExecutor({ workers: 0, engine: 'wasm' }).run(foldJob);
    const ex = await redisExecutor(opts());
    try {
      const got = await ex.run(foldJob);
      expect(got[0]!.folds).toHaveLength(2);
      // key by key first: a failure names the row and key, not a megabyte of JSON
      got.forEach((r, i) => expect(Object.keys(r)).toEqual(Object.keys(want[i]!)));
      got.forEach((r, i) => expect(JSON.stringify(r.folds)).toBe(JSON.stringify(want[i]!.folds)));
      expect(JSON.stringify(got) === JSON.stringify(want)).toBe(true);
    } finally {
      await ex.close();
    }
  });

  it('writes the trial files on the coordinator\'s pool threads, byte for byte the local pool\'s, folds too', async () => {
    const foldJob: TrialJob = { ...job, regimes: [], window: { start: 200, end: n }, folds: [{ window: { start: 200, end: 2500 }, regimes: tracks }, { window: { start: 1500, end: n }, regimes: tracks }] };
    const files = (dir: string) => {
      const out = new Map<string, string>();
      const walk = (d: string) => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          if (e.isDirectory()) walk(join(d, e.name));
          else out.set(join(d, e.name).slice(dir.length), readFileSync(join(d, e.name)).toString('base64'));
        }
      };
      walk(dir);
      return out;
    };
    const root = mkdtempSync(join(tmpdir(), 'regimen-redis-files-'));
    const outputs = (side: string, folds: boolean) => ({ workspace: join(root, side), signalFormat: 'arrow' as const, split: 'train' as const, ...(folds ? { folds: [join(root, side, 'f0'), join(root, side, 'f1')] } : {}) });
    const pool = localExecutor({ workers: 1, engine: 'wasm' });
    const ex = await redisExecutor(opts({ local: pool }));
    try {
      for (const [name, j] of [['split', job], ['folds', foldJob]] as const) {
        const folds = name === 'folds';
        const local = localExecutor({ workers: 0, engine: 'wasm' });
        const want = await runFullBacktest(j, local, outputs(`${name}-local`, folds));
        await local.close();
        const before = ex.overheads().file_seconds;
        const got = await runFullBacktest(j, ex, outputs(`${name}-redis`, folds));
        expect(JSON.stringify(got)).toBe(JSON.stringify(want));
        // the files were written on the pool's thread, not by runFullBacktest on this one
        expect(ex.overheads().file_seconds).toBeGreaterThan(before);
        const [a, b] = [files(join(root, `${name}-local`)), files(join(root, `${name}-redis`))];
        expect(a.size).toBe(j.trials.length * (folds ? 3 : 2));
        expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
        for (const [k, v] of a) expect(b.get(k), k).toBe(v);
      }
    } finally {
      await ex.close();
    }
  });

  it('runs a strategy plugin\'s trials on workers that load it by package name', async () => {
    const plugin = { spec: '@regimen/strategy-sma-cross', from: process.cwd() };
    const smaTrials: TrialSpec[] = [[3, 12], [5, 40], [10, 30]].map(([fast, slow]) => ({ trial_id: `s${fast}-${slow}`, strategy: 's', type: 'sma-cross', params: { fast, slow } }));
    const pluginJob = { ...job, trials: smaTrials };
    const want = await localExecutor({ workers: 0, engine: 'wasm', strategyPlugins: [plugin] }).run(pluginJob);
    const ex = await redisExecutor(opts({ plugins: [pluginRef(plugin.spec, plugin.from)] }));
    try {
      expect(JSON.stringify(await ex.run(pluginJob))).toBe(JSON.stringify(want));
    } finally {
      await ex.close();
    }
  });

  it('runs plugins\' module tasks (HMM restarts) on the coordinator\'s own pool, not over Redis', async () => {
    const module = join(mkdtempSync(join(tmpdir(), 'regimen-task-')), 'square.mjs');
    writeFileSync(module, `import { threadId } from 'node:worker_threads';\nexport default async (t) => ({ square: t.x * t.x, threadId });\n`);
    const ex = await redisExecutor(opts());
    try {
      expect(ex.taskWorkers).toBe(0);
      expect(await ex.runTask!<{ square: number; threadId: number }>(module, { x: 7 })).toEqual({ square: 49, threadId: 0 });
    } finally {
      await ex.close();
    }
  });

  it('keeps two runs on one Redis apart', async () => {
    const [x, y] = await Promise.all([redisExecutor(opts()), redisExecutor(opts())]);
    try {
      const half = { ...job, captureSignals: false };
      const [a, b] = await Promise.all([x.run({ ...half, trials: trials.slice(0, 20) }), y.run({ ...half, trials: trials.slice(20) })]);
      expect(a.map((r) => r.trial_id)).toEqual(trials.slice(0, 20).map((t) => t.trial_id));
      expect(b.map((r) => r.trial_id)).toEqual(trials.slice(20).map((t) => t.trial_id));
    } finally {
      await Promise.all([x.close(), y.close()]);
    }
  });

  it('stops at Ctrl-C between batches, withdrawing the batches not started, and drops a second completion', async () => {
    const ex = await redisExecutor(opts());
    try {
      const stop = Object.assign(new Error('interrupted; finished trials are kept'), { code: 'interrupted' });
      const seen: number[][] = [];
      const err = await ex.run({ ...job, batchSize: 2 }, (d) => {
        seen.push(d.indices);
        throw stop;
      }).catch((e: unknown) => e);
      expect(err).toBe(stop);
      expect(seen).toHaveLength(1);
      const [run] = await redisClient.zrange('regimen:runs', 0, -1);
      // what had not started is gone from the queue (a batch in a worker's hands may still finish)
      expect(await redisClient.llen(`regimen:q:${run}:wait`)).toBe(0);

      // a completion of a batch already taken (a worker thought dead finishing after all) is ignored
      await redisClient.xadd(`regimen:q:${run}:events`, '*', 'event', 'completed', 'jobId', 't1', 'returnvalue', JSON.stringify({ rows: 2, bytes: 1, worker: 'ghost', seconds: { backtest: 0, files: 0 } }));
      const counted: number[] = [];
      const rows = await ex.run({ ...job, captureSignals: false }, (d) => void counted.push(...d.indices));
      expect(counted.sort((a, b) => a - b)).toEqual(trials.map((_, i) => i));
      expect(rows.map((r) => r.trial_id)).toEqual(trials.map((t) => t.trial_id));
    } finally {
      await ex.close();
    }
  });

  it('fails a batch that fails twice with the worker\'s error, its code and field kept', async () => {
    const ex = await redisExecutor(opts());
    try {
      const bad: TrialSpec = { trial_id: 'bad-rsi', strategy: 'a', type: 'rsi', params: { lower: 80, upper: 20 } };
      const err = await ex.run({ ...job, trials: [bad] }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'config', message: expect.stringMatching(/^batch of trials bad-rsi failed twice: .*lower/) });
      expect((err as Error).message.match(/failed twice/g)).toHaveLength(1);
    } finally {
      await ex.close();
    }
  });

  it('stops with one line when every worker refuses the run, naming what differs', async () => {
    const lines: string[] = [];
    const ex = await redisExecutor(opts({ regimenVersion: '9.9.9', refusalGraceMs: 300, emit: (m) => lines.push(m) }));
    try {
      const err = await ex.run(job).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'usage', message: expect.stringMatching(/^worker \S+ refused the run: it has Regimen 0\.1\.0, the run needs 9\.9\.9/) });
      expect(lines.some((l) => /refused this run: it has Regimen/.test(l))).toBe(true);
    } finally {
      await ex.close();
    }
    const ex2 = await redisExecutor(opts({ plugins: [{ spec: './strategies', name: 'regimen-strategy-nowhere', version: '1.2.0' }], refusalGraceMs: 300 }));
    try {
      const err = await ex2.run(job).catch((e: unknown) => e);
      expect((err as Error).message).toMatch(/refused the run: it lacks plugin regimen-strategy-nowhere@1\.2\.0 \(named in the workflow as \.\/strategies/);
    } finally {
      await ex2.close();
    }
  });
});
