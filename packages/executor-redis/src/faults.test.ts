import { afterEach, describe, expect, it } from 'vitest';
import { builtMissing, requireOrSkip } from '@regimen/plugin-testkit';
import type { TrialSpec } from '@regimen/core';
import { randomWalk } from '@regimen/kernel';
import { localExecutor, type Executor, type TrialJob } from '@regimen/backtester';
import { redisExecutor, type RedisExecutorOptions } from './redis-executor.js';
import { freePort, redisServerMissing, startLocalRedis, type LocalRedis } from './redis-server.js';
import { startWorker } from './worker.js';

const built = !requireOrSkip('the built backtester', builtMissing(new URL('../../backtester/dist/worker.js', import.meta.url)));
const missing = requireOrSkip('redis-server', redisServerMissing()) ? 'redis-server' : null;

const close = randomWalk(200_000, 3);
const bars = { time: Float64Array.from(close, (_, i) => i * 86_400_000), open: close, high: close, low: close, close };
const trials = (count: number, from = 0): TrialSpec[] =>
  Array.from({ length: count }, (_, i) => ({ trial_id: `s${from + i}`, strategy: 's', type: 'sma_crossover', params: { fast: 2 + ((from + i) % 40), slow: 50 + (from + i), side: 'long_short' } }));
const job = (t: TrialSpec[]): TrialJob => ({ bars, regimes: [], window: { start: 0, end: close.length }, trials: t, costs: { fee: 0.001, slippage: 0 }, barsPerYear: 252, captureSignals: false, batchSize: t.length });

async function until(what: string, ready: () => boolean, ms = 60_000): Promise<void> {
  for (const t0 = Date.now(); !ready(); await new Promise((r) => setTimeout(r, 5))) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
  }
}

describe.skipIf(missing !== null || !built)('faults', () => {
  const open: Array<{ close: () => Promise<void> }> = [];
  afterEach(async () => {
    for (const o of open.splice(0).reverse()) await o.close().catch(() => {});
  });
  const redisFor = async () => {
    const r = await startLocalRedis();
    open.push({ close: r.stop });
    return r;
  };
  const worker = async (redis: LocalRedis, over: Partial<Parameters<typeof startWorker>[0]> = {}) => {
    const w = await startWorker({ url: redis.url, concurrency: 1, pollMs: 50, ...over });
    open.push({ close: w.abort });
    return w;
  };
  const executor = async (url: string, over: Partial<RedisExecutorOptions> = {}): Promise<Executor> => {
    const ex = await redisExecutor({ url, workflowId: 'faults', resumeHint: 'regimen run ws --resume', engine: 'js', local: localExecutor({ workers: 0, engine: 'js' }), heartbeatMs: 100, ...over });
    open.push(ex);
    return ex;
  };

  it('stops a run whose Redis stays away longer than the wait, with the resume line (code unavailable)', async () => {
    const redis = await redisFor();
    await worker(redis);
    const ex = await executor(`${redis.url}?wait=1`);
    expect(await ex.run(job(trials(4)))).toHaveLength(4);
    await redis.kill();
    const err = await ex.run(job(trials(4, 10))).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unavailable', field: '--executor', message: expect.stringMatching(/^Redis was unreachable for 1 s \(.*ECONNREFUSED.*\); finished trials are kept — continue with: regimen run ws --resume$/) });
  });

  it('cannot start a run without Redis: one line after the wait', async () => {
    const port = await freePort();
    const err = await executor(`redis://127.0.0.1:${port}?wait=0.5`).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/^cannot reach Redis \(.*\) after 0\.5 s; start it, or run without --executor$/) });
  });

  it('keeps a worker through a Redis restart: it serves the next run', async () => {
    const redis = await redisFor();
    const w = await worker(redis);
    await redis.kill();
    await new Promise((r) => setTimeout(r, 300));
    await redis.start();
    const lines: string[] = [];
    const ex = await executor(redis.url, { emit: (m) => lines.push(m) });
    expect((await ex.run(job(trials(3)))).map((r) => r.trial_id)).toEqual(['s0', 's1', 's2']);
    await ex.close();
    expect(lines).toContain(`worker ${w.id} joined (1 at a time)`);
  });

  it('SIGTERM-like stop finishes the batch in hand; a second stop hands it back to another worker at once', async () => {
    const redis = await redisFor();
    const lines: string[] = [];
    const ex = await executor(redis.url, { emit: (m) => lines.push(m) });
    const want = JSON.stringify(await localExecutor({ workers: 0, engine: 'js' }).run(job(trials(48))));

    // graceful: the batch in hand is finished by the worker that has it (the run's other batch goes to b)
    const a = await worker(redis);
    const first = ex.run(job(trials(48)));
    await until('a batch in hand', () => a.busy() > 0);
    const b = await worker(redis);
    await a.stop();
    expect(JSON.stringify(await first)).toBe(want);

    // hand back: b's batch goes back to the queue now, not when its 30 s lock expires, and c runs it
    const second = ex.run(job(trials(48)));
    await until('a batch in hand', () => b.busy() > 0);
    const c = await worker(redis);
    await b.abort();
    expect(JSON.stringify(await second)).toBe(want);
    await ex.close();
    expect(lines.some((l) => /lost its worker/.test(l))).toBe(false);
    const tally = lines.find((l) => l.startsWith('batches run by worker:'))!;
    expect(tally).toContain(`${a.id} 1 trial`);
    expect(tally).toContain(`${b.id} 1 trial`);
    expect(tally).toContain(`${c.id} 2 trial`);
  }, 180_000);
});
