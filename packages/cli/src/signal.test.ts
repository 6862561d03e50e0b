import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DecisionSchema, UniverseDecisionSchema } from '@regimen/core';
import { embeddedDataPath } from '@regimen/data';
import { runWorkflow, smallWorkflow } from '@regimen/coordinator';
import { cli } from '../test/harness.js';

let dir: string;
let ws: string;
let uni: string;
let data: string;

/** the run's file extended with `count` weekday bars (`gap`: calendar days before the first), rows edited by `edit` */
function extend(name: string, count: number, opts: { gap?: number; edit?: (rows: string[]) => string[] } = {}): string {
  const [head, ...rows] = readFileSync(data, 'utf8').trim().split('\n');
  let day = new Date(rows[rows.length - 1]!.split(',')[0] + 'T00:00:00Z');
  let price = Number(rows[rows.length - 1]!.split(',')[1]);
  const more: string[] = [];
  for (let i = 0; i < count; i++) {
    day = new Date(day.getTime() + 86400000 * (i === 0 && opts.gap ? opts.gap : 1));
    while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day = new Date(day.getTime() + 86400000);
    price *= i % 3 === 0 ? 1.01 : 0.995;
    more.push(`${day.toISOString().slice(0, 10)},${price.toFixed(2)}`);
  }
  const all = [...rows, ...more];
  const file = join(dir, name);
  writeFileSync(file, [head, ...(opts.edit ? opts.edit(all) : all)].join('\n') + '\n');
  return file;
}

beforeAll(async () => {
  const w = smallWorkflow({ bars: 600 });
  dir = w.dir;
  data = w.data;
  ws = join(dir, 'ws');
  await runWorkflow(w.config, { outDir: ws, workers: 0 });
  const [head, ...rows] = readFileSync(embeddedDataPath('dowjones30_daily_close.csv'), 'utf8').trim().split('\n');
  const u = smallWorkflow({
    files: { 'dow.csv': [head, ...rows.slice(-400)].join('\n') + '\n' },
    data: '{ path: dow.csv, columns: { alcoa: AA, coke: KO }, split: { train_fraction: 0.7 } }',
  });
  copyFileSync(join(u.dir, 'dow.csv'), join(dir, 'dow.csv'));
  uni = join(dir, 'uni');
  await runWorkflow(u.config, { outDir: uni, workers: 0 });
});

describe('regimen signal', () => {
  it('prints the decision for the newest bar, as text and as JSON validated by core\'s schema; --replay proves parity', async () => {
    const file = extend('plus3.csv', 3);
    const state = mkdtempSync(join(tmpdir(), 'regimen-signal-'));
    const r = await cli('signal', ws, '--data', file, '--state', state);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^bar 602 {2}\d{4}-\d\d-\d\d {2}close /m);
    expect(r.out).toMatch(/^target position .* \(was .*\): (no trade|buy|sell)/m);
    expect(r.out).toContain('3 new bars journaled');
    // the first call built the step memory from bar 0; the next steps only its new bar from the saved state
    expect(r.out).toMatch(/step memory built from bar 0 \(\d+ bars; later calls step only their new bars\)/);
    const four = extend('plus4.csv', 4);
    const next = await cli('signal', ws, '--data', four, '--state', state);
    expect(next.out).toContain('1 new bar journaled');
    expect(next.out).toContain('1 bar stepped from the saved state');
    const j = await cli('signal', ws, '--data', four, '--state', state, '--json');
    const d = DecisionSchema.parse(JSON.parse(j.out));
    expect(d.bar).toBe(603);
    expect(Object.keys(d.classifiers)).toEqual(['hmm', 'pattern_based']);
    expect(d.classifiers.hmm!.probabilities).toBeDefined();
    expect(d.change).toBe(d.target_position - d.previous_position);
    expect(readFileSync(join(state, 'decisions.jsonl'), 'utf8').split('\n').filter(Boolean)).toHaveLength(4);
    const rp = await cli('signal', '--replay', ws);
    expect(rp.code, rp.err).toBe(0);
    expect(rp.out).toMatch(/replay of 180 validation bars .*: identical to validation, bit for bit .*; each decision stepped/);
  });

  it('a universe: one line per series and the equal-weight portfolio\'s target weights', async () => {
    const state = mkdtempSync(join(tmpdir(), 'regimen-signal-u-'));
    const r = await cli('signal', uni, '--data', join(dir, 'dow.csv'), '--state', state, '--json');
    expect(r.code, r.err).toBe(0);
    const u = UniverseDecisionSchema.parse(JSON.parse(r.out));
    expect(u.series.map((s) => s.identity.series)).toEqual(['alcoa', 'coke']);
    for (const s of u.series) expect(u.portfolio.weights[s.identity.series!]).toBe(s.target_position / 2);
    const t = await cli('signal', uni, '--data', join(dir, 'dow.csv'), '--state', state);
    expect(t.out).toMatch(/^ {2}alcoa /m);
    expect(t.out).toMatch(/^ {2}coke /m);
    expect(t.out).toMatch(/equal-weight portfolio: gross/);
  });
});

/** `state`: a state folder prepared before the failing call; its bytes must not change */
type Case = { name: string; args: () => string[]; state?: () => Promise<string> | string; expect: RegExp };
const withJournal = (file: () => string) => async () => {
  const s = mkdtempSync(join(tmpdir(), 'regimen-signal-bad-'));
  expect((await cli('signal', ws, '--data', file(), '--state', s)).code).toBe(0);
  return s;
};
const cases: Case[] = [
  { name: 'a revised history (first differing bar named)', args: () => ['signal', ws, '--data', extend('revised.csv', 2, { edit: (r) => r.map((x, i) => (i === 123 ? x.replace(/,[\d.]+$/, ',1.5') : x)) })], expect: /revised\.csv: bar 123 \(\d{4}-\d\d-\d\d\) close = "1\.5": differs from the run's history/ },
  { name: 'a file shorter than the run\'s history', args: () => ['signal', ws, '--data', extend('short.csv', 0, { edit: (r) => r.slice(0, 500) })], expect: /short\.csv: bars = 500: has 500 bars, fewer than the run's history of 600/ },
  { name: 'a gap before the new bars', args: () => ['signal', ws, '--data', extend('gap.csv', 2, { gap: 40 })], expect: /gap\.csv: bar 600 time = "\d{4}-\d\d-\d\d": .*gap wider than any in the run's history/ },
  { name: 'bars out of order', args: () => ['signal', ws, '--data', extend('order.csv', 3, { edit: (r) => [...r.slice(0, -2), r[r.length - 1]!, r[r.length - 2]!] })], expect: /order\.csv.*strictly increasing/ },
  { name: 'a file older than the journal', state: withJournal(() => extend('j6.csv', 6)), args: () => ['signal', ws, '--data', extend('j3.csv', 3)], expect: /j3\.csv: bars = 603: ends at .*before the last bar already decided \(bar 605/ },
  { name: 'a journaled bar revised', state: withJournal(() => extend('k3.csv', 3)), args: () => ['signal', ws, '--data', extend('k5.csv', 5, { edit: (r) => r.map((x, i) => (i === 601 ? x.replace(/,[\d.]+$/, ',2.5') : x)) })], expect: /k5\.csv: bar 601 \(.*\) close = 2\.5: differs from the close the journal decided on/ },
  {
    name: 'a journal from another run',
    state: async () => {
      const s = await withJournal(() => extend('m2.csv', 2))();
      const text = readFileSync(join(s, 'decisions.jsonl'), 'utf8').replaceAll('"config_hash":"', '"config_hash":"0');
      writeFileSync(join(s, 'decisions.jsonl'), text);
      rmSync(join(s, 'state.json'));
      return s;
    },
    args: () => ['signal', ws, '--data', extend('m3.csv', 3)],
    expect: /decisions\.jsonl: decision of bar 600: identity\.config_hash = "0[0-9a-f]+": is from another run/,
  },
  {
    name: 'a state of another run',
    state: async () => {
      const s = await withJournal(() => extend('o2.csv', 2))();
      writeFileSync(join(s, 'state.json'), readFileSync(join(s, 'state.json'), 'utf8').replace('"workflow_id": "small"', '"workflow_id": "other"'));
      return s;
    },
    args: () => ['signal', ws, '--data', extend('o3.csv', 3)],
    expect: /state\.json: identity\.workflow_id = "other": is the state of another run/,
  },
  {
    name: 'an incomplete workspace',
    args: () => {
      const copy = join(dir, 'incomplete');
      if (!existsSync(copy)) cpSync(ws, copy, { recursive: true });
      rmSync(join(copy, 'checkpoints', 'validation.json'), { force: true });
      return ['signal', copy, '--data', extend('i1.csv', 1)];
    },
    expect: /checkpoints\/validation\.json: status: phase validation has not finished/,
  },
  { name: 'not a workspace', args: () => ['signal', dir, '--data', extend('n1.csv', 1)], expect: /workflow\.json: missing: not a Regimen workspace/ },
  { name: 'a universe series the run does not have', args: () => ['signal', uni, '--data', join(dir, 'dow.csv'), '--series', 'intel'], expect: /--series = "intel": the universe has no such series \(it has: alcoa, coke\)/ },
  { name: 'an unreadable --as-of', args: () => ['signal', ws, '--data', extend('a1.csv', 1), '--as-of', 'yesterday'], expect: /--as-of = "yesterday"/ },
  { name: 'no --data', args: () => ['signal', ws], expect: /--data: give the data file/ },
];

describe('regimen signal, bad input: one line, exit 2, nothing appended', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const state = c.state ? await c.state() : mkdtempSync(join(tmpdir(), 'regimen-signal-bad-'));
    const journal = join(state, 'decisions.jsonl');
    const before = existsSync(journal) ? readFileSync(journal) : null;
    const r = await cli(...c.args(), '--state', state);
    expect(r.code, r.err).toBe(2);
    const lines = r.err.trim().split('\n');
    expect(lines, r.err).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toMatch(c.expect);
    expect(existsSync(journal) ? readFileSync(journal) : null).toEqual(before);
  });
});
