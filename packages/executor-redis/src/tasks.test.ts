import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtMissing, readCsvBars, realDataPath, requireOrSkip } from '@regimen/plugin-testkit';
import type { TaskPool } from '@regimen/core';
import { localExecutor, type Executor } from '@regimen/backtester';
import { fitHmm, HmmOptionsSchema } from '@regimen/classifier-hmm';
import { pluginRef } from './compat.js';
import { redisExecutor } from './redis-executor.js';
import { redisServerMissing, startLocalRedis, type LocalRedis } from './redis-server.js';
import { startWorker, type RegimenWorker } from './worker.js';

// workers run built modules (the backtester's pool, the HMM's restart worker), which `npm ci` makes
const built = !requireOrSkip('the built backtester and HMM', builtMissing(new URL('../../backtester/dist/worker.js', import.meta.url)) ?? builtMissing(new URL('../../../plugins/classifier-hmm/dist/restart-worker.js', import.meta.url)));
const missing = requireOrSkip('redis-server', redisServerMissing()) ? redisServerMissing() : null;

/**
 * A plugin package of the test's own, installed in a folder the workers are given (--plugins): its
 * task module sums a large array (published once, arriving in shared memory) and says where it ran.
 */
function taskPackage(): { from: string; module: string } {
  const from = mkdtempSync(join(tmpdir(), 'regimen-tasks-'));
  const dir = join(from, 'node_modules', 'regimen-task-fixture');
  mkdirSync(join(dir, 'lib'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'regimen-task-fixture', version: '1.2.3', type: 'module', main: 'index.js' }));
  writeFileSync(join(dir, 'index.js'), 'export default {};\n');
  writeFileSync(join(dir, 'lib', 'sum.js'), [
    "import { threadId } from 'node:worker_threads';",
    'export default async (t) => {',
    "  if (t.fail) throw Object.assign(new Error('no sum today'), { code: 'plugin' });",
    '  if (t.waitMs) await new Promise((r) => setTimeout(r, t.waitMs));',
    '  let sum = 0;',
    '  for (const v of t.values) sum += v;',
    '  return { sum, index: t.index, threadId, shared: t.values.buffer instanceof SharedArrayBuffer, small: t.small, kind: t.values.constructor.name };',
    '};',
  ].join('\n'));
  return { from, module: join(dir, 'lib', 'sum.js') };
}

describe.skipIf(missing !== null || !built)('module tasks on Redis workers', () => {
  let redis: LocalRedis;
  let client: Redis;
  const pkg = taskPackage();
  const workers: RegimenWorker[] = [];
  const open: Executor[] = [];
  const executor = async (over: Partial<Parameters<typeof redisExecutor>[0]> = {}) => {
    const ex = await redisExecutor({
      url: redis.url, workflowId: 'tasks', resumeHint: 'regimen run ws --resume', engine: 'wasm', local: localExecutor({ workers: 0, engine: 'wasm' }),
      heartbeatMs: 200, plugins: [pluginRef('regimen-task-fixture', pkg.from)], ...over,
    });
    open.push(ex);
    return ex;
  };
  beforeAll(async () => {
    redis = await startLocalRedis();
    client = new Redis(redis.port, '127.0.0.1');
    for (let i = 0; i < 2; i++) workers.push(await startWorker({ url: redis.url, concurrency: 2, pollMs: 50, pluginsFrom: pkg.from }));
  });
  afterAll(async () => {
    for (const ex of open) await ex.close().catch(() => {});
    client?.disconnect();
    await Promise.all(workers.map((w) => w.abort()));
    await redis?.stop();
  });

  it('runs a plugin package\'s task on a worker\'s pool thread, its large arrays published once and shared there', async () => {
    const ex = await executor();
    // a view on shared memory, as the HMM sends its features: copied into a blob, once for all tasks
    const values = new Float64Array(new SharedArrayBuffer(8 * 10_000));
    for (let i = 0; i < values.length; i++) values[i] = Math.sin(i) / 3;
    let want = 0;
    for (const v of values) want += v;
    const out = await Promise.all([0, 1, 2, 3].map((index) => ex.runTask!<Record<string, unknown>>(pkg.module, { values, index, small: Int32Array.of(1, 2, 3) })));
    out.forEach((o, index) => expect(o).toEqual({ sum: want, index, threadId: expect.any(Number), shared: true, small: Int32Array.of(1, 2, 3), kind: 'Float64Array' }));
    // on a pool thread of a worker, not on this thread (the coordinator's executor has no pool)
    expect(out.every((o) => (o.threadId as number) > 0)).toBe(true);
    const [run] = await client.zrange('regimen:runs', 0, -1);
    // the array once, and each task's own bytes
    expect(await client.keys(`regimen:run:${run}:blob:*`)).toHaveLength(5);
  });

  it('gives the HMM the same model with its restarts on Redis workers as on this thread', async () => {
    const ex = await executor();
    const nyse = readCsvBars(realDataPath('nyse_composite_daily_close.csv'), { limit: 3000 });
    const options = HmmOptionsSchema.parse({ states: 3, restarts: 4 });
    const modules: string[] = [];
    const pool: TaskPool = { workers: 4, run: (module, task) => (modules.push(module), ex.runTask!(module, task)) };
    const alone = JSON.stringify(await fitHmm(nyse, options, 7));
    expect(JSON.stringify(await fitHmm(nyse, options, 7, pool, 0))).toBe(alone);
    expect(modules[0]).toMatch(/classifier-hmm[\\/]dist[\\/]restart-worker\.js$/);
  });

  it('fails a task that throws twice with the worker\'s error', async () => {
    const ex = await executor();
    const err = await ex.runTask!(pkg.module, { values: new Float64Array(3), fail: true }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'internal', message: expect.stringMatching(/^task of regimen-task-fixture\/lib\/sum\.js failed twice: no sum today$/) });
  });

  it('refuses a task of a package that is not the run\'s, and runs a module outside any package on the coordinator', async () => {
    const ex = await executor({ plugins: [] });
    const err = await ex.runTask!(pkg.module, { values: new Float64Array(3) }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/a task's module is of package regimen-task-fixture, which is neither Regimen's nor a plugin of the run/);
    const loose = join(mkdtempSync(join(tmpdir(), 'regimen-loose-')), 'square.mjs');
    writeFileSync(loose, `import { threadId } from 'node:worker_threads';\nexport default async (t) => ({ square: t.x * t.x, threadId });\n`);
    expect(await ex.runTask!(loose, { x: 7 })).toEqual({ square: 49, threadId: 0 });
  });

  it('hands a task whose worker leaves mid-task to another worker: it is run again there', async () => {
    const extra = await startWorker({ url: redis.url, concurrency: 1, pollMs: 50, pluginsFrom: pkg.from });
    const lines: string[] = [];
    const ex = await executor({ emit: (m) => lines.push(m) });
    // the two workers of the suite stop taking work; the task can only go to `extra`
    const busy = [...workers];
    await Promise.all(busy.map((w) => w.stop()));
    workers.length = 0;
    const values = Float64Array.from({ length: 5000 }, (_, i) => i);
    const result = ex.runTask!<{ sum: number }>(pkg.module, { values, waitMs: 1500 });
    for (const t0 = Date.now(); extra.busy() === 0; await new Promise((r) => setTimeout(r, 10))) if (Date.now() - t0 > 20_000) throw new Error('no worker took the task');
    const other = await startWorker({ url: redis.url, concurrency: 1, pollMs: 50, pluginsFrom: pkg.from });
    workers.push(other);
    await extra.abort();
    expect((await result).sum).toBe((4999 * 5000) / 2);
    await ex.close();
    expect(lines.find((l) => l.startsWith('batches run by worker:'))).toContain(`${other.id} 0 trial, 0 replay and 1 task`);
  }, 60_000);
});
