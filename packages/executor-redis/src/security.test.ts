import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtMissing, requireOrSkip } from '@regimen/plugin-testkit';
import type { TrialSpec } from '@regimen/core';
import { randomWalk } from '@regimen/kernel';
import { localExecutor, type TrialJob } from '@regimen/backtester';
import { redisExecutor } from './redis-executor.js';
import { freePort, redisServerMissing, startLocalRedis, type LocalRedis } from './redis-server.js';
import { startWorker, type RegimenWorker } from './worker.js';

const built = !requireOrSkip('the built backtester', builtMissing(new URL('../../backtester/dist/worker.js', import.meta.url)));
const noOpenssl = spawnSync('openssl', ['version']).status !== 0;
const why = redisServerMissing() ?? (noOpenssl ? 'openssl is not installed (it makes the test certificate)' : null);
const missing = requireOrSkip('redis-server and openssl', why) ? why : null;
if (missing) console.warn(`skipping Redis TLS/ACL tests: ${missing}`);

const close = randomWalk(5000, 9);
const bars = { time: Float64Array.from(close, (_, i) => i * 60_000), open: close, high: close, low: close, close };
const trials: TrialSpec[] = [5, 10, 20].map((fast) => ({ trial_id: `f${fast}`, strategy: 's', type: 'sma_crossover', params: { fast, slow: 50, side: 'long_short' } }));
const job: TrialJob = { bars, regimes: [], window: { start: 0, end: close.length }, trials, costs: { fee: 0.001, slippage: 0 }, barsPerYear: 252 * 390, captureSignals: true };

/**
 * A Redis that speaks only TLS, with the default user off and one ACL user limited to Regimen's
 * keys (`~regimen:*`): what the README's security section sets up.
 */
describe.skipIf(missing !== null || !built)('TLS and ACL', () => {
  let redis: LocalRedis;
  let url: string;
  let worker: RegimenWorker;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'regimen-tls-'));
    const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(made.stderr);
    const port = await freePort();
    redis = await startLocalRedis({
      port,
      scheme: 'rediss',
      args: ['--tls-cert-file', cert, '--tls-key-file', key, '--tls-ca-cert-file', cert, '--tls-auth-clients', 'no', '--user', 'default', 'off', '--user', 'regimen', 'on', '>s3cret', '~regimen:*', '&*', '+@all'],
    });
    url = `rediss://regimen:s3cret@127.0.0.1:${port}?tls_ca=${cert}`;
    worker = await startWorker({ url, concurrency: 1, pollMs: 50 });
  });
  afterAll(async () => {
    await worker?.stop();
    await redis?.stop();
  });

  it('runs batches over TLS as an ACL user limited to regimen:* keys', async () => {
    const want = await localExecutor({ workers: 0, engine: 'wasm' }).run(job);
    const ex = await redisExecutor({ url, workflowId: 'tls', resumeHint: 'regimen run ws --resume', engine: 'wasm', local: localExecutor({ workers: 0, engine: 'wasm' }) });
    try {
      expect(JSON.stringify(await ex.run(job))).toBe(JSON.stringify(want));
    } finally {
      await ex.close();
    }
  });

  it('refuses wrong credentials at once, with one line and without the password', async () => {
    const bad = url.replace('s3cret', 'guess');
    for (const start of [
      () => redisExecutor({ url: bad, workflowId: 'tls', resumeHint: '-', engine: 'wasm', local: localExecutor({ workers: 0, engine: 'wasm' }) }),
      () => startWorker({ url: bad }),
    ]) {
      const err = await start().catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'usage', message: expect.stringMatching(/^Redis refused the credentials \(WRONGPASS/) });
      expect((err as { value: string }).value).toBe(`rediss://regimen:***@127.0.0.1:${redis.port}`);
    }
  });
});
