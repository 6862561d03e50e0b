import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deliverPending, idempotencyKey, pendingDeliveries } from './delivery.js';
import { journalPath, readJournal } from './journal.js';
import { openLive, type LiveRun } from './open.js';
import { signal } from './signal.js';
import { testReceiver, type TestReceiver } from './test-receiver.js';
import { paperWorkspace } from './test-paper-workspace.js';

const policy = { retries: 2, minDelayMs: 10, factor: 2, maxDelayMs: 100, timeoutMs: 5000 };

describe('webhook delivery of journaled decisions', () => {
  let fx: Awaited<ReturnType<typeof paperWorkspace>>;
  let run: LiveRun;
  let rx: TestReceiver | undefined;
  let n = 0;
  const state = () => join(fx.dir, `delivery-${n++}`);
  beforeAll(async () => {
    fx = await paperWorkspace();
    run = await openLive(fx.ws);
  }, 120_000);
  afterEach(async () => {
    await rx?.close();
    rx = undefined;
  });

  it('a failed delivery stays pending in the journal and goes out, once, in bar order, on the next call', async () => {
    const dir = state();
    rx = await testReceiver([503]);
    await signal(fx.ws, fx.later(3), { stateDir: dir, run, webhook: rx.url });
    const down = await deliverPending(dir, rx.url, { policy });
    // the first decision was tried 3 times; the later ones wait behind it, untried
    expect(down.failed).toMatchObject({ bar: 1100, attempts: 3, error: 'HTTP 503 Service Unavailable' });
    expect(down.delivered).toEqual([]);
    expect(down.pending).toBe(3);
    expect(rx.received).toHaveLength(3);
    expect(pendingDeliveries(readJournal(dir)).map((p) => [p.decision.bar, p.attempts])).toEqual([[1100, 3], [1101, 0], [1102, 0]]);
    await rx.close();

    // the receiver is back; two more bars arrived
    rx = await testReceiver([200]);
    await signal(fx.ws, fx.later(5), { stateDir: dir, run, webhook: rx.url });
    const up = await deliverPending(dir, rx.url, { policy });
    expect(up.failed).toBeNull();
    expect(up.pending).toBe(0);
    expect(up.delivered.map((d) => [d.bar, d.attempts])).toEqual([[1100, 4], [1101, 1], [1102, 1], [1103, 1], [1104, 1]]);
    const sent = rx.received.map((r) => JSON.parse(r.body));
    const journaled = readJournal(dir).flatMap((l) => (l.type === 'decision' ? [l.decision] : []));
    expect(sent).toEqual(journaled);
    expect(rx.received.map((r) => r.headers['idempotency-key'])).toEqual(journaled.map(idempotencyKey));
    expect(new Set(journaled.map(idempotencyKey)).size).toBe(5);

    // acknowledged means never again
    const quiet = await deliverPending(dir, rx.url, { policy });
    expect(quiet).toMatchObject({ delivered: [], failed: null, pending: 0 });
    expect(rx.received).toHaveLength(5);
  }, 120_000);

  it('killed after the receiver\'s 2xx but before the record: sent again with the same Idempotency-Key', async () => {
    const dir = state();
    rx = await testReceiver([200]);
    await signal(fx.ws, fx.later(2), { stateDir: dir, run, webhook: rx.url });
    await deliverPending(dir, rx.url, { policy });
    // drop the last `delivered` record, as a kill right after the answer would have left it
    const lines = readFileSync(journalPath(dir), 'utf8').trim().split('\n');
    writeFileSync(journalPath(dir), lines.slice(0, -1).join('\n') + '\n');
    const again = await deliverPending(dir, rx.url, { policy });
    expect(again.delivered.map((d) => d.bar)).toEqual([1101]);
    expect(rx.received.map((r) => JSON.parse(r.body).bar)).toEqual([1100, 1101, 1101]);
    expect(rx.received[2]!.headers['idempotency-key']).toBe(rx.received[1]!.headers['idempotency-key']);
  }, 120_000);

  it('decisions journaled without --webhook are not sent later', async () => {
    const dir = state();
    rx = await testReceiver([200]);
    await signal(fx.ws, fx.later(2), { stateDir: dir, run });
    await signal(fx.ws, fx.later(3), { stateDir: dir, run, webhook: rx.url });
    const r = await deliverPending(dir, rx.url, { policy });
    expect(r.delivered.map((d) => d.bar)).toEqual([1102]);
  }, 120_000);
});
