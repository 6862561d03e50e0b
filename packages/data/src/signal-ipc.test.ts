import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dictionary, Float64, Uint16, Uint32, Uint8, makeData, makeVector, tableFromIPC, tableToIPC, type Data } from 'apache-arrow';
import type { SignalEvents } from '@regimen/core';
import { readSignalEvents, writeSignalEvents } from './signal-events.js';
import { tableOf } from './arrow-file.js';

const dir = mkdtempSync(join(tmpdir(), 'regimen-signal-ipc-'));

/**
 * The reference: the `gaps` layout built as columns and written by apache-arrow's own
 * `tableToIPC` (how signal files were written before signal-ipc.ts), straight from the layout's
 * definition in signal-events.ts.
 */
function referenceBytes(e: SignalEvents, trialId: string, window: { start: number; end: number }): Uint8Array {
  const n = e.bar.length;
  const gaps = Float64Array.from(e.bar, (b, i) => b - (i === 0 ? window.start : e.bar[i - 1]!));
  const widest = gaps.reduce((a, g) => Math.max(a, g), 0);
  const gap: Data =
    widest <= 0xff
      ? makeData({ type: new Uint8(), length: n, data: Uint8Array.from(gaps) })
      : widest <= 0xffff
        ? makeData({ type: new Uint16(), length: n, data: Uint16Array.from(gaps) })
        : makeData({ type: new Uint32(), length: n, data: Uint32Array.from(gaps) });
  const distinct: number[] = [];
  const codes = Uint8Array.from(e.position, (p) => {
    let c = distinct.findIndex((v) => Object.is(v, p));
    if (c < 0) c = distinct.push(p) - 1;
    return c;
  });
  const position: Data =
    distinct.length <= 256
      ? makeData({ type: new Dictionary(new Float64(), new Uint8(), 0), length: n, data: codes, dictionary: makeVector(Float64Array.from(distinct)) })
      : makeVector(Float64Array.from(e.position)).data[0]!;
  const metadata = new Map([['kind', 'regimen.signal_events'], ['trial_id', trialId], ['window', JSON.stringify(window)], ['layout', 'gaps']]);
  return tableToIPC(tableOf([['gap', gap], ['position', position]], metadata), 'file');
}

/** `n` increasing bars from `first` with gaps up to `maxGap`, positions drawn from `values`. */
function events(n: number, first: number, maxGap: number, values: number[], seed: number): SignalEvents {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const bar = new Int32Array(n);
  const position = new Float64Array(n);
  let b = first;
  for (let i = 0; i < n; i++) {
    bar[i] = b;
    position[i] = values[Math.floor(rnd() * values.length)]!;
    b += 1 + Math.floor(rnd() * maxGap);
  }
  // the widest gap is reached at least once, so each width is really exercised
  if (n > 1) {
    for (let i = 1; i < n; i++) bar[i] = bar[i]! + (i === n - 1 ? maxGap : 0);
  }
  return { bar, position };
}

const many = (k: number) => Array.from({ length: k }, (_, i) => (i - k / 2) / k);

describe('signal files built directly (signal-ipc)', () => {
  const cases: Array<{ name: string; e: SignalEvents; id: string; window: { start: number; end: number } }> = [];
  const ids = ['t', 'momentum_0007', 'strategy_1-1234', 'ü_é_漢字-trial', 'x'.repeat(37), 'y'.repeat(64)];
  let seed = 1;
  for (const n of [0, 1, 2, 3, 7, 8, 9, 1000]) {
    for (const maxGap of [1, 200, 300, 70_000]) {
      for (const values of [[1], [1, 0], [1, 0, -1], [0, -0, 0.5], many(256), many(257), many(600)]) {
        const e = events(n, seed % 5, maxGap, values, seed);
        const end = (n > 0 ? e.bar[n - 1]! : 0) + 1 + (seed % 3);
        cases.push({ name: `${n} events, gaps ≤ ${maxGap}, ${values.length} positions`, e, id: ids[seed % ids.length]!, window: { start: 0, end } });
        seed++;
      }
    }
  }
  // windows that do not start at 0, and large numbers in the metadata
  const far = events(500, 1_000_000, 40, [1, 0, -1], 99);
  cases.push({ name: 'a window from bar 999,990', e: far, id: 'far', window: { start: 999_990, end: 2_000_000_000 } });

  it(`writes apache-arrow's bytes exactly, for ${cases.length} shapes (every gap width, dictionary or Float64, 0–1000 events)`, () => {
    const time = new Float64Array(0);
    let checked = 0;
    for (const c of cases) {
      const p = join(dir, 'trial.arrow');
      writeSignalEvents(p, c.e, { trial_id: c.id, time, window: c.window }, 'arrow', { durable: false });
      const got = readFileSync(p);
      const want = referenceBytes(c.e, c.id, c.window);
      if (Buffer.compare(got, Buffer.from(want)) !== 0) throw new Error(`${c.name}: ${got.length} bytes, apache-arrow writes ${want.length}`);
      checked++;
    }
    expect(checked).toBe(cases.length);
  });

  it('apache-arrow reads the file as the table it describes, and readSignalEvents gives back every bit', () => {
    const e = events(1000, 3, 300, [1, -0, 0, -1], 5);
    const p = join(dir, 'read.arrow');
    writeSignalEvents(p, e, { trial_id: 'r', time: new Float64Array(0), window: { start: 0, end: 400_000 } }, 'arrow');
    const table = tableFromIPC(readFileSync(p));
    expect(table.numRows).toBe(1000);
    expect(table.schema.fields.map((f) => [f.name, String(f.type)])).toEqual([
      ['gap', 'Uint16'],
      ['position', 'Dictionary<Uint8, Float64>'],
    ]);
    const back = readSignalEvents(p);
    expect(back.events.bar).toEqual(e.bar);
    expect(Buffer.from(back.events.position.buffer).equals(Buffer.from(e.position.buffer))).toBe(true);
  });
});
