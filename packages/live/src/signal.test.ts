import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { JournalLineSchema, type Decision } from '@regimen/core';
import { adaptivePositions } from '@regimen/backtester';
import { runWorkflow, smallWorkflow } from '@regimen/coordinator';
import { loadLiveBars } from './bars.js';
import { journalPath } from './journal.js';
import { decide } from './decide.js';
import { openLive } from './open.js';
import { signal } from './signal.js';
import { statePath } from './state.js';
import { extendDaily } from './test-data.js';

let dir: string;
let ws: string;
let plus5: string;
let plus10: string;
let plus40: string;

const decisionsOf = (stateDir: string): Decision[] =>
  readFileSync(journalPath(stateDir), 'utf8').split('\n').filter(Boolean).map((l) => JournalLineSchema.parse(JSON.parse(l))).flatMap((l) => (l.type === 'decision' ? [l.decision] : []));
const fresh = () => mkdtempSync(join(dir, 'state-'));

beforeAll(async () => {
  const w = smallWorkflow({ bars: 800 });
  dir = w.dir;
  ws = join(dir, 'ws');
  await runWorkflow(w.config, { outDir: ws, workers: 0 });
  plus5 = extendDaily(w.data, join(dir, 'plus5.csv'), 5);
  plus10 = extendDaily(w.data, join(dir, 'plus10.csv'), 10);
  plus40 = extendDaily(w.data, join(dir, 'plus40.csv'), 40);
});

describe('regimen signal: journal and state', () => {
  it('journals one line per new bar; a repeated call appends nothing and answers the same; new bars continue the validation run exactly', async () => {
    const s = fresh();
    const a = await signal(ws, plus5, { stateDir: s });
    expect(a.appended.map((d) => d.bar)).toEqual([800, 801, 802, 803, 804]);
    expect(a.decision.bar).toBe(804);
    const again = await signal(ws, plus5, { stateDir: s });
    expect(again.appended).toEqual([]);
    expect(again.decision).toEqual(a.decision);
    expect(readFileSync(journalPath(s), 'utf8').split('\n').filter(Boolean)).toHaveLength(5);
    const b = await signal(ws, plus10, { stateDir: s });
    expect(b.appended.map((d) => d.bar)).toEqual([805, 806, 807, 808, 809]);
    const journal = decisionsOf(s);
    expect(journal.map((d) => d.bar)).toEqual(Array.from({ length: 10 }, (_, i) => 800 + i));
    for (let i = 1; i < journal.length; i++) expect(journal[i]!.previous_position).toBe(journal[i - 1]!.target_position);

    // the validation run continued over the extended file in one pass (the adaptive engine on all
    // 810 bars, labels of the whole series) gives the same targets at the new bars
    const run = await openLive(ws);
    const bars = await loadLiveBars(run, plus10);
    const tracks = run.classifiers.map((c) => ({ classifier: c.name, names: c.regimes, labels: c.plugin.label(bars, c.model, c.options) }));
    const { positions } = adaptivePositions({ bars, window: { start: run.testStart, end: 810 }, regime: tracks.find((t) => t.classifier === run.driving)!, breakdown: tracks, strategies: run.strategies, winners: run.winners, weights: run.weights, costs: run.costs, barsPerYear: run.barsPerYear }, run.engine);
    expect(journal.map((d) => d.target_position)).toEqual(Array.from(positions.subarray(800, 810)));

    // the first call built the step memory from bar 0, the next stepped its 5 new bars from it; each
    // stepped decision is the whole object `decide` makes from bars 0..t (probabilities included), bit for bit
    expect(a.work).toEqual({ stepped: true, bars: 805, rebuilt: true });
    expect(b.work).toEqual({ stepped: true, bars: 5, rebuilt: false });
    // the first call read the file whole; the second parsed only the lines after the state's prefix
    expect([a.read, again.read, b.read]).toEqual(['whole', 'tail', 'tail']);
    for (const d of [...a.appended, ...b.appended]) expect(d).toEqual(decide(run, bars, d.bar));
  });

  it('a file the state cannot keep a prefix of (no final newline; Arrow alike) is read whole and vouched for by the bars\' hash; the memory is stepped on, not rebuilt', async () => {
    const s = fresh();
    const unterminated = (csv: string, name: string) => {
      const file = join(dir, name);
      writeFileSync(file, readFileSync(csv, 'utf8').trimEnd());
      return file;
    };
    const a = await signal(ws, unterminated(plus5, 'plus5-open.csv'), { stateDir: s });
    expect([a.read, a.work]).toEqual(['whole', { stepped: true, bars: 805, rebuilt: true }]);
    expect(JSON.parse(readFileSync(statePath(s), 'utf8')).source).toBeUndefined();
    const file = unterminated(plus10, 'plus10-open.csv');
    const b = await signal(ws, file, { stateDir: s });
    expect([b.read, b.work]).toEqual(['whole', { stepped: true, bars: 5, rebuilt: false }]);
    const run = await openLive(ws);
    const bars = await loadLiveBars(run, file);
    for (const d of [...a.appended, ...b.appended]) expect(d).toEqual(decide(run, bars, d.bar));
  });

  it('a changed byte in the history the state vouches for is seen: the file is read whole, the memory rebuilt; a revised close is refused', async () => {
    const s = fresh();
    await signal(ws, plus5, { stateDir: s });
    // bar 803's close written with one more 0: the same bars, other bytes — the prefix's hash sees it
    const lines = readFileSync(plus10, 'utf8').split('\n');
    const withZero = (i: number) => {
      const row = lines[1 + i]!.split(',');
      const c = row[row.length - 1]!;
      row[row.length - 1] = c.includes('.') ? `${c}0` : `${c}.0`;
      return row.join(',');
    };
    const reformatted = join(dir, 'reformatted.csv');
    writeFileSync(reformatted, lines.map((l, i) => (i === 1 + 803 ? withZero(803) : l)).join('\n'));
    const r = await signal(ws, reformatted, { stateDir: s });
    expect(r.read).toBe('whole');
    expect(r.work).toMatchObject({ stepped: true, rebuilt: true });
    const run = await openLive(ws);
    const bars = await loadLiveBars(run, reformatted);
    expect(r.appended.map((d) => d.bar)).toEqual([805, 806, 807, 808, 809]);
    for (const d of r.appended) expect(d).toEqual(decide(run, bars, d.bar));
    // the next call reads the tail again (the state now keeps the reformatted file's prefix)
    const more = join(dir, 'reformatted-more.csv');
    writeFileSync(more, readFileSync(reformatted, 'utf8') + readFileSync(plus40, 'utf8').split('\n').slice(1 + 810, 1 + 812).join('\n') + '\n');
    const m = await signal(ws, more, { stateDir: s });
    expect([m.read, m.appended.map((d) => d.bar)]).toEqual(['tail', [810, 811]]);
    // a journaled bar's close revised: refused, naming the bar, whichever way the file is read
    const revised = join(dir, 'revised.csv');
    const rows = readFileSync(more, 'utf8').split('\n');
    const row = rows[1 + 806]!.split(',');
    row[row.length - 1] = String(Number(row[row.length - 1]) + 1);
    rows[1 + 806] = row.join(',');
    writeFileSync(revised, rows.join('\n'));
    await expect(signal(ws, revised, { stateDir: s })).rejects.toMatchObject({ code: 'data', field: expect.stringMatching(/^bar 806 .* close$/) });
  });

  it('--as-of decides up to that bar only; an earlier --as-of shows a decision and writes nothing', async () => {
    const s = fresh();
    const bars = await loadLiveBars(await openLive(ws), plus10);
    const at = new Date(bars.time[802]!).toISOString().slice(0, 10);
    const r = await signal(ws, plus10, { stateDir: s, asOf: at });
    expect(r.decision.bar).toBe(802);
    expect(decisionsOf(s).map((d) => d.bar)).toEqual([800, 801, 802]);
    await signal(ws, plus10, { stateDir: s });
    const before = readFileSync(journalPath(s));
    const early = await signal(ws, plus10, { stateDir: s, asOf: new Date(bars.time[790]!).toISOString().slice(0, 10) });
    expect(early.decision.bar).toBe(790);
    expect(early.decision.in_history).toBe(true);
    expect(readFileSync(journalPath(s))).toEqual(before);
  });

  it('a torn final line (killed mid-write) is cut and its bar decided again; a journal ahead of its state goes on from the journal — never a duplicate', async () => {
    const s = fresh();
    await signal(ws, plus5, { stateDir: s });
    const full = readFileSync(journalPath(s), 'utf8').split('\n').filter(Boolean);
    // half of a line for bar 805, as a write cut by SIGKILL would leave it
    appendFileSync(journalPath(s), full[4]!.replace('"bar":804', '"bar":805').slice(0, 300));
    const r = await signal(ws, plus10, { stateDir: s });
    expect(r.appended.map((d) => d.bar)).toEqual([805, 806, 807, 808, 809]);
    expect(decisionsOf(s).map((d) => d.bar)).toEqual(Array.from({ length: 10 }, (_, i) => 800 + i));
    // killed after the journal, before the state: an older state.json
    const t = fresh();
    await signal(ws, plus5, { stateDir: t });
    const old = readFileSync(statePath(t));
    await signal(ws, plus10, { stateDir: t });
    writeFileSync(statePath(t), old);
    const again = await signal(ws, plus10, { stateDir: t });
    expect(again.appended).toEqual([]);
    expect(decisionsOf(t).map((d) => d.bar)).toEqual(Array.from({ length: 10 }, (_, i) => 800 + i));
  });

  it('reads the journal from the state\'s last decision on, not whole; without a usable state it reads it whole', async () => {
    const s = fresh();
    await signal(ws, plus5, { stateDir: s });
    const text = readFileSync(journalPath(s), 'utf8');
    // the first line made unreadable: a call that read the whole journal would fail on it
    writeFileSync(journalPath(s), 'x'.repeat(text.indexOf('\n')) + text.slice(text.indexOf('\n')));
    const r = await signal(ws, plus10, { stateDir: s });
    expect(r.appended.map((d) => d.bar)).toEqual([805, 806, 807, 808, 809]);
    expect(JSON.parse(readFileSync(statePath(s), 'utf8')).journal_decisions).toBe(10);
    rmSync(statePath(s));
    await expect(signal(ws, plus10, { stateDir: s })).rejects.toMatchObject({ field: 'line 1', message: expect.stringMatching(/^not valid JSON/) });
  });

  it('one call at a time per state folder: a second is refused as temporary (exit 75), a dead call\'s lock is taken over', async () => {
    const s = fresh();
    const lock = join(s, '.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.ppid, host: hostname(), started_at: 'now' }) + '\n');
    await expect(signal(ws, plus5, { stateDir: s })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/^another regimen signal \(pid \d+, started now\) is using this state folder/) });
    expect(existsSync(journalPath(s))).toBe(false);
    writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), started_at: 'then' }) + '\n');
    expect((await signal(ws, plus5, { stateDir: s })).appended).toHaveLength(5);
    expect(existsSync(lock)).toBe(false);
  });

  // the real command, SIGKILLed at random moments: needs the build `npm ci` makes
  const bin = fileURLToPath(new URL('../../cli/bin/regimen.js', import.meta.url));
  const built = existsSync(fileURLToPath(new URL('../../cli/dist/index.js', import.meta.url))) && existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url)));
  it.skipIf(!built && process.env.CI !== 'true')('SIGKILL of `regimen signal` at random moments: the next call completes the journal, one whole line per bar', async () => {
    const s = fresh();
    const reference = fresh();
    await signal(ws, plus40, { stateDir: reference });
    const want = decisionsOf(reference).map((d) => [d.bar, d.target_position]);
    // the kills fall inside one whole call's time, measured here: a faster build or machine still gets killed calls
    const run = (state: string, delay = Infinity) => new Promise<string>((resolve) => {
      const child = spawn(process.execPath, [bin, 'signal', ws, '--data', plus40, '--state', state], { stdio: 'ignore' });
      const timer = Number.isFinite(delay) ? setTimeout(() => child.kill('SIGKILL'), delay) : undefined;
      child.on('exit', (code, sig) => {
        clearTimeout(timer);
        resolve(sig ?? String(code));
      });
    });
    const t0 = performance.now();
    expect(await run(fresh())).toBe('0');
    const whole = performance.now() - t0;
    let seed = 12345;
    const kills: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      seed = (seed * 48271) % 2147483647;
      const delay = ((seed % 1000) / 1000) * 0.95 * whole;
      const outcome = await run(s, delay);
      if (outcome === 'SIGKILL') kills.push(delay);
      // whatever the moment, the journal holds whole lines for consecutive bars from 800 (a torn tail is repaired on the next open)
      if (existsSync(journalPath(s))) {
        const text = readFileSync(journalPath(s), 'utf8');
        const whole = text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter(Boolean).map((l) => JSON.parse(l).decision.bar as number);
        expect(whole).toEqual(whole.map((_, i) => 800 + i));
      }
    }
    expect(kills.length).toBeGreaterThan(0);
    const done = await signal(ws, plus40, { stateDir: s });
    expect(done.decision.bar).toBe(839);
    expect(decisionsOf(s).map((d) => [d.bar, d.target_position])).toEqual(want);
  }, 120_000);
});
