import { afterEach, describe, expect, it } from 'vitest';
import { isRegimenError } from '@regimen/core';
import { postJson, webhookUrl } from './webhook.js';
import { deadUrl, testReceiver, type TestReceiver } from './test-receiver.js';

// fast schedules: the behaviour is the same, the tests take milliseconds; the timeout stays
// generous (a loaded machine answers slowly) except where a timeout is the point
const policy = { retries: 3, minDelayMs: 20, factor: 2, maxDelayMs: 1000, timeoutMs: 5000 };
const body = { kind: 'regimen.decision', bar: 7, target_position: 0.5 };

describe('webhook delivery', () => {
  let rx: TestReceiver | undefined;
  afterEach(async () => {
    await rx?.close();
    rx = undefined;
  });

  it('accepts http(s) URLs only, in one line naming the option and the value', () => {
    expect(webhookUrl('https://example.org/hook?a=1')).toBe('https://example.org/hook?a=1');
    for (const bad of ['ftp://example.org/x', 'file:///etc/passwd', 'example.org/hook', '']) {
      try {
        webhookUrl(bad);
        expect.unreachable(bad);
      } catch (e) {
        expect(isRegimenError(e) && e.code).toBe('usage');
        expect((e as { field: string }).field).toBe('--webhook');
        expect((e as { value: string }).value).toBe(bad);
      }
    }
  });

  it('POSTs the JSON object once when the receiver answers 2xx', async () => {
    rx = await testReceiver([204]);
    const r = await postJson(rx.url, body, { headers: { 'idempotency-key': 'k1' }, policy });
    expect(r).toEqual({ ok: true, attempts: 1, status: 204 });
    expect(rx.received).toHaveLength(1);
    expect(JSON.parse(rx.received[0]!.body)).toEqual(body);
    expect(rx.received[0]!.headers['content-type']).toBe('application/json');
    expect(rx.received[0]!.headers['idempotency-key']).toBe('k1');
  });

  it('retries 500s and dropped connections with growing waits, then succeeds', async () => {
    rx = await testReceiver([500, 'drop', 502, 200]);
    const r = await postJson(rx.url, body, { policy });
    expect(r).toEqual({ ok: true, attempts: 4, status: 200 });
    expect(rx.received.map((x) => x.body)).toEqual(Array(4).fill(JSON.stringify(body)));
    // waits of 20, 40 and 80 ms before retries 1..3
    const at = rx.received.map((x) => x.at);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(20 - 2);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(40 - 2);
    expect(at[3]! - at[2]!).toBeGreaterThanOrEqual(80 - 2);
  });

  it('retries after a receiver that does not answer in time', async () => {
    rx = await testReceiver(['hang', 200]);
    const r = await postJson(rx.url, body, { policy: { ...policy, timeoutMs: 1000 } });
    expect(r).toEqual({ ok: true, attempts: 2, status: 200 });
    // the retry came after the timeout (less the first request's own way to the receiver)
    expect(rx.received[1]!.at - rx.received[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it('gives up after the bounded retries and says why', async () => {
    rx = await testReceiver([503]);
    const r = await postJson(rx.url, body, { policy });
    expect(r).toEqual({ ok: false, attempts: 4, status: 503, error: 'HTTP 503 Service Unavailable' });
    expect(rx.received).toHaveLength(4);
  });

  it('names a timeout', async () => {
    rx = await testReceiver(['hang']);
    const r = await postJson(rx.url, body, { policy: { ...policy, retries: 1, timeoutMs: 300 } });
    expect(r.ok).toBe(false);
    expect(r.attempts).toBe(2);
    expect(r.error).toBe('no answer within 300 ms');
  });

  it('does not retry a 4xx the receiver must fix, nor follow a redirect (it would turn the POST into a GET)', async () => {
    rx = await testReceiver([404]);
    expect(await postJson(rx.url, body, { policy })).toEqual({ ok: false, attempts: 1, status: 404, error: 'HTTP 404 Not Found' });
    await rx.close();
    rx = await testReceiver(['redirect']);
    const r = await postJson(rx.url, body, { policy });
    expect(r.ok).toBe(false);
    expect(r.attempts).toBe(1);
    expect(r.error).toMatch(/^HTTP 302 Found \(redirected to http:\/\/127\.0\.0\.1:9\/elsewhere: give that URL\)$/);
  });

  it('retries 429 (rate limited) like a 5xx', async () => {
    rx = await testReceiver([429, 200]);
    expect(await postJson(rx.url, body, { policy })).toEqual({ ok: true, attempts: 2, status: 200 });
  });

  it('reports a refused connection after the retries', async () => {
    const r = await postJson(await deadUrl(), body, { policy });
    expect(r.ok).toBe(false);
    expect(r.attempts).toBe(4);
    expect(r.status).toBeUndefined();
    expect(r.error).toMatch(/ECONNREFUSED/);
  });
});
