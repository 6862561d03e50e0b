import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostname } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { PaperCallSchema, PaperStatusSchema } from '@regimen/core';
import { cli } from '../test/harness.js';
import { useLiveFixture, type LiveFixture } from '../test/live-fixture.js';

// the real command, SIGKILLed at random moments: needs the build `npm ci` makes
const bin = fileURLToPath(new URL('../bin/regimen.js', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url))) && existsSync(fileURLToPath(new URL('../../live/dist/paper.js', import.meta.url)));
const fills = (file: string) => {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  // whole lines only: a torn tail is what the next call repairs
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter((l) => l.includes('"type":"fill"'))
    .map((l) => ({ ...JSON.parse(l), recorded_at: undefined }) as { bar: number });
};

describe('regimen paper and regimen paper status', () => {
  const live = useLiveFixture();
  let fx: LiveFixture;
  beforeAll(() => void (fx = live.fx()));

  it('books, prints the ledger, and status says it equals the validation engine (exit 0)', async () => {
    const state = join(fx.dir, 'cli-a');
    const r = await cli('paper', fx.ws, '--data', fx.later(6), '--state', state, '--json');
    expect(r.code, r.err).toBe(0);
    const call = PaperCallSchema.parse(JSON.parse(r.out));
    expect(call.booked.map((f) => f.bar)).toEqual([1100, 1101, 1102, 1103, 1104, 1105]);
    expect(call.delivery).toBeNull();
    const text = await cli('paper', fx.ws, '--data', fx.later(6), '--state', state);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/^nothing new to book/);

    const s = await cli('paper', 'status', fx.ws, '--state', state);
    expect(s.code, s.err).toBe(0);
    expect(s.out).toMatch(/paper\s+\d\.\d{6}/);
    expect(s.out).toMatch(/buy and hold\s+\d\.\d{6}/);
    expect(s.out).toContain('identical to the validation engine on the same 7 bars, to the last digit');
    const j = PaperStatusSchema.parse(JSON.parse((await cli('paper', 'status', fx.ws, '--state', state, '--json')).out));
    expect(j.agreement.identical).toBe(true);
  }, 120_000);

  it('status exits 1 naming the first bar where the ledger and the engine differ', async () => {
    const state = join(fx.dir, 'cli-b');
    expect((await cli('paper', fx.ws, '--data', fx.later(4), '--state', state)).code).toBe(0);
    const file = join(state, 'paper.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/("bar":1102,[^\n]*"position":)([-0-9.e]+)/, (_, a, p) => `${a}${Number(p) + 0.5}`));
    const s = await cli('paper', 'status', fx.ws, '--state', state);
    expect(s.code).toBe(1);
    expect(s.out).toContain('DIFFERS from the validation engine at bar 1102');
    expect(s.err.trim().split('\n')).toHaveLength(1);
    expect(s.err).toMatch(/paper\.jsonl: bar 1102 \([^)]+\) position = .*differs from the validation engine/);
  }, 120_000);

  it('bad input: one line, exit 2, nothing appended', async () => {
    const state = join(fx.dir, 'cli-c');
    for (const url of ['ftp://127.0.0.1/hook', 'not a url']) {
      const r = await cli('paper', fx.ws, '--data', fx.later(3), '--state', state, '--webhook', url);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain(`--webhook = ${JSON.stringify(url)}`);
    }
    const noData = await cli('paper', fx.ws, '--state', state);
    expect(noData.code).toBe(2);
    expect(noData.err).toMatch(/--data/);
    const noLedger = await cli('paper', 'status', fx.ws, '--state', state);
    expect(noLedger.code).toBe(2);
    expect(noLedger.err).toMatch(/paper\.jsonl: no paper ledger yet/);
    const { existsSync } = await import('node:fs');
    expect(existsSync(state)).toBe(false);
  }, 120_000);

  it('--webhook: exit 75 while the receiver fails (decisions journaled and booked), 0 once it has them all', async () => {
    const state = join(fx.dir, 'cli-d');
    let rx = await live.receiver([500]);
    const down = await cli('paper', fx.ws, '--data', fx.later(2), '--state', state, '--webhook', rx.url);
    expect(down.code).toBe(75);
    expect(down.out).toMatch(/booked 2 new bars/);
    expect(down.err.trim().split('\n')).toHaveLength(1);
    expect(down.err).toMatch(/decisions\.jsonl: --webhook = .*bar 1100 .*not acknowledged after 4 attempts: HTTP 500 Internal Server Error; 2 decisions pending/);
    await rx.close();
    rx = await live.receiver([200]);
    const up = await cli('paper', fx.ws, '--data', fx.later(3), '--state', state, '--webhook', rx.url, '--json');
    expect(up.code, up.err).toBe(0);
    expect(PaperCallSchema.parse(JSON.parse(up.out)).delivery).toMatchObject({ failed: null, pending: 0 });
    expect(rx.received.map((x) => JSON.parse(x.body).bar)).toEqual([1100, 1101, 1102]);
  }, 120_000);

  it.skipIf(!built && process.env.CI !== 'true')('SIGKILL of `regimen paper` at random moments: the next call completes journal and ledger, every bar booked once', async () => {
    const data = fx.later(40);
    const reference = join(fx.dir, 'cli-kill-ref');
    // the kills fall inside one whole call's time, measured on the reference call: a faster build or machine still gets killed calls
    const t0 = performance.now();
    expect((await cli('paper', fx.ws, '--data', data, '--state', reference)).code).toBe(0);
    const whole = performance.now() - t0;
    const state = join(fx.dir, 'cli-kill');
    let seed = 4242;
    const kills: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      seed = (seed * 48271) % 2147483647;
      const delay = ((seed % 1000) / 1000) * 0.95 * whole;
      const outcome = await new Promise<string>((resolve) => {
        const child = spawn(process.execPath, [bin, 'paper', fx.ws, '--data', data, '--state', state], { stdio: 'ignore' });
        const timer = setTimeout(() => child.kill('SIGKILL'), delay);
        child.on('exit', (code, sig) => {
          clearTimeout(timer);
          resolve(sig ?? String(code));
        });
      });
      if (outcome === 'SIGKILL') kills.push(delay);
      // whatever the moment: whole fill lines for consecutive bars from 1100
      const bars = fills(join(state, 'paper.jsonl')).map((l) => l.bar);
      expect(bars).toEqual(bars.map((_, i) => 1100 + i));
    }
    expect(kills.length).toBeGreaterThan(0);
    const done = await cli('paper', fx.ws, '--data', data, '--state', state);
    expect(done.code, done.err).toBe(0);
    expect(fills(join(state, 'paper.jsonl'))).toEqual(fills(join(reference, 'paper.jsonl')));
    expect((await cli('paper', 'status', fx.ws, '--state', state)).code).toBe(0);
  }, 180_000);

  it('a call while another holds the state folder exits 75 and appends nothing', async () => {
    const state = join(fx.dir, 'cli-busy');
    expect((await cli('paper', fx.ws, '--data', fx.later(2), '--state', state)).code).toBe(0);
    const before = readFileSync(join(state, 'paper.jsonl'), 'utf8');
    // another process (alive, same host) holds the lock
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      writeFileSync(join(state, '.lock'), JSON.stringify({ pid: other.pid, host: hostname(), started_at: new Date().toISOString() }) + '\n');
      const r = await cli('paper', fx.ws, '--data', fx.later(4), '--state', state);
      expect(r.code).toBe(75);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(readFileSync(join(state, 'paper.jsonl'), 'utf8')).toBe(before);
    } finally {
      other.kill('SIGKILL');
    }
  }, 120_000);
});
