import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DecisionSchema } from '@regimen/core';
import { cli } from '../test/harness.js';
import { useLiveFixture, type LiveFixture } from '../test/live-fixture.js';

describe('regimen signal --webhook', () => {
  const live = useLiveFixture();
  let fx: LiveFixture;
  beforeAll(() => void (fx = live.fx()));

  it('refuses a URL that is not http(s) before anything is journaled (exit 2, one line)', async () => {
    const state = join(fx.dir, 'sw-bad');
    const r = await cli('signal', fx.ws, '--data', fx.later(2), '--state', state, '--webhook', 'mailto:ops@example.org');
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/--webhook = "mailto:ops@example\.org": scheme mailto: is not http: or https:/);
    expect(existsSync(state)).toBe(false);
  });

  it('exit 75 while undelivered (the decision printed and journaled), then 0 with each decision POSTed once', async () => {
    const state = join(fx.dir, 'sw');
    let rx = await live.receiver([503]);
    const down = await cli('signal', fx.ws, '--data', fx.later(1), '--state', state, '--webhook', rx.url, '--json');
    expect(down.code).toBe(75);
    // stdout is still the one decision object; the failure is one line on stderr
    expect(DecisionSchema.parse(JSON.parse(down.out)).bar).toBe(1100);
    expect(down.err.trim().split('\n')).toHaveLength(1);
    expect(down.err).toMatch(/^error: .*decisions\.jsonl: --webhook = ".*": bar 1100 .* not acknowledged after 4 attempts: HTTP 503 Service Unavailable; 1 decision pending/);
    await rx.close();

    rx = await live.receiver([200]);
    const up = await cli('signal', fx.ws, '--data', fx.later(2), '--state', state, '--webhook', rx.url);
    expect(up.code, up.err).toBe(0);
    expect(up.out).toContain(`webhook: 2 decisions delivered to ${rx.url}`);
    const again = await cli('signal', fx.ws, '--data', fx.later(2), '--state', state, '--webhook', rx.url);
    expect(again.code).toBe(0);
    expect(again.out).toContain('webhook: nothing new to deliver');
    expect(rx.received.map((x) => JSON.parse(x.body).bar)).toEqual([1100, 1101]);
    const journal = readFileSync(join(state, 'decisions.jsonl'), 'utf8');
    expect(journal.match(/"status":"delivered"/g)).toHaveLength(2);
  }, 120_000);
});
