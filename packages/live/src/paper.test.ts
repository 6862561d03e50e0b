import { appendFileSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isRegimenError, readJsonFile, ValidationTradesSchema, workspacePaths } from '@regimen/core';
import { journalPath, readJournal } from './journal.js';
import { openLive, type LiveRun } from './open.js';
import { paper, paperPath, readLedger } from './paper.js';
import { paperStatus } from './paper-status.js';
import { signal } from './signal.js';
import { paperUniverse, paperWorkspace } from './test-paper-workspace.js';

const withoutClock = (text: string) => text.replace(/"recorded_at":"[^"]+"/g, '').replace(/"at":"[^"]+"/g, '');

describe('regimen paper on a real small workspace', () => {
  let fx: Awaited<ReturnType<typeof paperWorkspace>>;
  let run: LiveRun;
  let n = 0;
  const state = () => join(fx.dir, `state-${n++}`);
  beforeAll(async () => {
    fx = await paperWorkspace();
    run = await openLive(fx.ws);
  }, 120_000);

  it('books each new bar once at its close with the run\'s costs, continuing the validation', async () => {
    const dir = state();
    const first = await paper(fx.ws, fx.later(10), { stateDir: dir, run });
    expect(first.booked.map((f) => f.bar)).toEqual(Array.from({ length: 10 }, (_, i) => 1100 + i));
    // it opens at the run's last bar holding the validation's last position, equity 1
    const { trades } = readJsonFile(workspacePaths(run.paths.base).validationTrades, ValidationTradesSchema);
    expect(first.open).toMatchObject({ bar: 1099, position: trades.at(-1)?.to_position ?? 0, equity: 1 });
    // DESIGN §5 by hand on every fill: held the previous position over the bar, paid for the change
    const cost = run.costs.fee + run.costs.slippage;
    let prev = { close: first.open.close, position: first.open.position, equity: 1 };
    for (const f of first.booked) {
      expect(f.fill_price).toBe(f.close);
      expect(f.return).toBe(prev.position * (f.close / prev.close - 1) - cost * Math.abs(f.position - prev.position));
      expect(f.equity).toBe(prev.equity * (1 + f.return));
      prev = f;
    }
    // the decisions booked are the journal's
    const decisions = readJournal(dir).flatMap((l) => (l.type === 'decision' ? [l.decision] : []));
    expect(first.booked.map((f) => f.position)).toEqual(decisions.map((d) => d.target_position));

    // the same file again: nothing journaled, nothing booked, not a byte appended
    const before = [readFileSync(paperPath(dir), 'utf8'), readFileSync(journalPath(dir), 'utf8')];
    const again = await paper(fx.ws, fx.later(10), { stateDir: dir, run });
    expect(again.booked).toEqual([]);
    expect(again.last).toEqual(first.last);
    expect([readFileSync(paperPath(dir), 'utf8'), readFileSync(journalPath(dir), 'utf8')]).toEqual(before);

    const more = await paper(fx.ws, fx.later(25), { stateDir: dir, run });
    expect(more.booked.map((f) => f.bar)).toEqual(Array.from({ length: 15 }, (_, i) => 1110 + i));
    expect(readLedger(dir, run.identity).fills).toHaveLength(25);
  }, 120_000);

  it('status: the ledger equals the validation engine on the same bars, to the last digit', async () => {
    const dir = state();
    await paper(fx.ws, fx.later(12), { stateDir: dir, run });
    await paper(fx.ws, fx.later(30), { stateDir: dir, run });
    const s = await paperStatus(fx.ws, { stateDir: dir, run });
    expect(s.agreement).toEqual({ identical: true, bars: 31, first_difference: null });
    expect(s.paper.equity).toBe(s.validation_engine.equity);
    expect(s.paper.metrics).toEqual(s.validation_engine.metrics);
    expect(s.first.bar).toBe(1099);
    expect(s.last.bar).toBe(1129);
    // buy-and-hold over the same bars: the price ratio (no cost: the position never changes)
    const ledger = readLedger(dir, run.identity);
    expect(s.buy_and_hold.equity).toBeCloseTo(ledger.fills.at(-1)!.close / ledger.open!.close, 12);
    expect(s.data).toBe(fx.later(30));

    // a ledger edited by one bit at one bar is caught at that bar
    const bad = state();
    cpSync(dir, bad, { recursive: true });
    const lines = readFileSync(paperPath(bad), 'utf8').trim().split('\n');
    const k = lines.findIndex((l) => l.includes('"bar":1117'));
    const line = JSON.parse(lines[k]!);
    line.return = line.return + Number.EPSILON * Math.max(1, Math.abs(line.return));
    lines[k] = JSON.stringify(line);
    writeFileSync(paperPath(bad), lines.join('\n') + '\n');
    const t = await paperStatus(fx.ws, { stateDir: bad, run });
    expect(t.agreement.identical).toBe(false);
    expect(t.agreement.first_difference).toMatchObject({ bar: 1117, field: 'return', paper: line.return });
  }, 120_000);

  it('resumes after a kill between the journal and the ledger, and after a torn ledger line', async () => {
    const ref = state();
    await paper(fx.ws, fx.later(8), { stateDir: ref, run });

    // killed after the step journaled its decisions, before the ledger booked them
    const dir = state();
    await signal(fx.ws, fx.later(8), { stateDir: dir, run });
    expect(existsSync(paperPath(dir))).toBe(false);
    const resumed = await paper(fx.ws, fx.later(8), { stateDir: dir, run });
    expect(resumed.booked).toHaveLength(8);
    expect(withoutClock(readFileSync(paperPath(dir), 'utf8'))).toBe(withoutClock(readFileSync(paperPath(ref), 'utf8')));

    // killed in the middle of writing the ledger: half a line at the end
    const torn = state();
    cpSync(ref, torn, { recursive: true });
    const whole = readFileSync(paperPath(ref), 'utf8');
    const lines = whole.trim().split('\n');
    writeFileSync(paperPath(torn), lines.slice(0, -1).join('\n') + '\n');
    appendFileSync(paperPath(torn), lines.at(-1)!.slice(0, 40));
    const after = await paper(fx.ws, fx.later(8), { stateDir: torn, run });
    expect(after.booked.map((f) => f.bar)).toEqual([1107]);
    // every bar booked exactly once, as the uninterrupted ledger booked it (plus the source line of the resuming call)
    const fills = (text: string) => text.trim().split('\n').filter((l) => l.includes('"type":"fill"')).map(withoutClock);
    expect(fills(readFileSync(paperPath(torn), 'utf8'))).toEqual(fills(whole));
  }, 120_000);

  it('refuses a ledger from another run in one error naming the field, appending nothing', async () => {
    const dir = state();
    await paper(fx.ws, fx.later(3), { stateDir: dir, run });
    const text = readFileSync(paperPath(dir), 'utf8').replace(/"workflow_id":"small"/, '"workflow_id":"other"');
    writeFileSync(paperPath(dir), text);
    const journal = readFileSync(journalPath(dir), 'utf8');
    const e = await paper(fx.ws, fx.later(6), { stateDir: dir, run }).catch((x: unknown) => x);
    expect(isRegimenError(e) && e.code).toBe('workspace');
    expect(e).toMatchObject({ file: paperPath(dir), field: 'identity.workflow_id', value: 'other' });
    expect(readFileSync(journalPath(dir), 'utf8')).toBe(journal);
    expect(readFileSync(paperPath(dir), 'utf8')).toBe(text);

    // a ledger edited apart from the journal (a booked position changed): refused the same way
    const apart = state();
    await paper(fx.ws, fx.later(3), { stateDir: apart, run });
    const edited = readFileSync(paperPath(apart), 'utf8').replace(/("bar":1101,[^\n]*"position":)([-0-9.e]+)/, (_, a: string, p: string) => `${a}${Number(p) === 1 ? 0.5 : 1}`);
    writeFileSync(paperPath(apart), edited);
    const apartJournal = readFileSync(journalPath(apart), 'utf8');
    const f = await paper(fx.ws, fx.later(6), { stateDir: apart, run }).catch((x: unknown) => x);
    expect(f).toMatchObject({ code: 'workspace', file: paperPath(apart), field: expect.stringMatching(/^bar 1101 \(.*\) position$/) });
    expect(readFileSync(journalPath(apart), 'utf8')).toBe(apartJournal);
  }, 120_000);

  it('a walk-forward paper-trades with its latest fold, and status agrees with the engine', async () => {
    const wf = await paperWorkspace({ walkForward: true });
    const wfRun = await openLive(wf.ws);
    expect(wfRun.identity.fold?.index).toBe(1);
    const dir = join(wf.dir, 'wf-state');
    const r = await paper(wf.ws, wf.later(15), { stateDir: dir, run: wfRun });
    expect(r.open.bar).toBe(1099);
    expect(r.booked).toHaveLength(15);
    const s = await paperStatus(wf.ws, { stateDir: dir, run: wfRun });
    expect(s.agreement).toEqual({ identical: true, bars: 16, first_difference: null });
    expect(s.identity.fold).toEqual({ index: 1, of: 2 });
  }, 180_000);

  it('a universe is paper-traded series by series; its top folder is refused in one line', async () => {
    const u = await paperUniverse();
    const e = await paper(u.ws, u.later(5), { stateDir: join(u.dir, 'u-top') }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'usage', field: 'workspace', value: u.ws });
    expect((e as Error).message).toMatch(/is a universe: paper-trade each series from its own folder, e\.g\. regimen paper .*series\/alcoa --data FILE \(series: alcoa, coke\)/);
    expect(existsSync(join(u.dir, 'u-top'))).toBe(false);
    const alcoa = join(u.ws, 'series', 'alcoa');
    const r = await paper(alcoa, u.later(5), { stateDir: join(u.dir, 'u-alcoa') });
    expect(r.booked.map((f) => f.bar)).toEqual([400, 401, 402, 403, 404]);
    const s = await paperStatus(alcoa, { stateDir: join(u.dir, 'u-alcoa') });
    expect(s.identity.series).toBe('alcoa');
    expect(s.agreement.identical).toBe(true);
  }, 180_000);
});
