import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Dictionary, Float64, Uint8, makeData, makeVector, type Data } from 'apache-arrow';
import { formatError, type SignalEvents } from '@regimen/core';
import { readSignalEvents, writeSignalEvents } from './signal-events.js';
import { readArrowTable, tableOf, writeArrowTable } from './arrow-file.js';
import { timestampData } from './bars-table.js';

const dir = mkdtempSync(join(tmpdir(), 'regimen-signals-'));
const DAY = 86_400_000;
const time = Float64Array.from({ length: 100 }, (_, i) => Date.UTC(2001, 0, 1) + i * DAY);
const events = { bar: Int32Array.from([3, 10, 11, 57]), position: Float64Array.from([1, -1, 0.25, 0]) };
const meta = { trial_id: 'momentum_0007', time, window: { start: 0, end: 70 } };
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** the bytes of a Float64Array: equal bytes are equal bits (−0 and NaN payloads included) */
const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

/** The first layout, as the writer made it before `gaps` (the fixture file is one of these too). */
function writeFirstLayout(path: string, e: SignalEvents, window: { start: number; end: number }, series: Float64Array): void {
  const cols: Array<[string, Data]> = [
    ['bar', makeVector(Int32Array.from(e.bar)).data[0]!],
    ['time', timestampData(Float64Array.from(e.bar, (b) => series[b]!))],
    ['position', makeVector(Float64Array.from(e.position)).data[0]!],
  ];
  writeArrowTable(path, tableOf(cols, new Map([['kind', 'regimen.signal_events'], ['trial_id', 'old'], ['window', JSON.stringify(window)]])));
}

/** A seeded trial-like event stream: `n` changes over `span` bars among the given positions. */
function eventsLike(n: number, span: number, positions: number[], seed = 7): SignalEvents {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const bar = new Int32Array(n);
  const position = new Float64Array(n);
  let b = Math.floor(rnd() * 20);
  let last = NaN;
  for (let i = 0; i < n; i++) {
    bar[i] = b;
    let p = positions[Math.floor(rnd() * positions.length)]!;
    if (Object.is(p, last)) p = positions[(positions.indexOf(p) + 1) % positions.length]!;
    position[i] = last = p;
    b += 1 + Math.floor(-Math.log(1 - rnd()) * (span / n - 1));
  }
  return { bar, position };
}

describe('signal events files', () => {
  for (const format of ['arrow', 'jsonl'] as const) {
    it(`round-trip (${format})`, () => {
      const p = join(dir, `trial.${format}`);
      writeSignalEvents(p, events, meta, format);
      const back = readSignalEvents(p);
      expect(back.trial_id).toBe('momentum_0007');
      expect(back.window).toEqual({ start: 0, end: 70 });
      expect(back.events.bar).toEqual(events.bar);
      expect(back.events.position).toEqual(events.position);
    });
    it(`no events (${format})`, () => {
      const p = join(dir, `empty.${format}`);
      writeSignalEvents(p, { bar: new Int32Array(0), position: new Float64Array(0) }, meta, format);
      expect(readSignalEvents(p).events.bar.length).toBe(0);
    });
  }

  it('arrow is the gaps layout: gaps in the narrowest unsigned int, positions as dictionary codes', () => {
    const p = join(dir, 'cols.arrow');
    writeSignalEvents(p, events, { ...meta, window: { start: 2, end: 70 } }, 'arrow');
    const t = readArrowTable(p);
    expect(t.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual(['gap:Uint8', 'position:Dictionary<Uint8, Float64>']);
    expect(Array.from(t.getChild('gap')!.toArray() as Uint8Array)).toEqual([1, 7, 1, 46]);
    expect(Array.from(t.getChild('position')!)).toEqual([1, -1, 0.25, 0]);
    expect(t.schema.metadata.get('trial_id')).toBe('momentum_0007');
    expect(t.schema.metadata.get('layout')).toBe('gaps');
  });

  it('wide gaps widen the gap column; more than 256 distinct positions stay Float64', () => {
    const cases: Array<[SignalEvents, string]> = [
      [{ bar: Int32Array.from([5, 300]), position: Float64Array.from([1, 0]) }, 'gap:Uint16'],
      [{ bar: Int32Array.from([5, 70_000]), position: Float64Array.from([1, 0]) }, 'gap:Uint32'],
    ];
    for (const [e, type] of cases) {
      const p = join(dir, 'wide.arrow');
      writeSignalEvents(p, e, { ...meta, window: { start: 0, end: 100_000 } }, 'arrow');
      expect(`gap:${String(readArrowTable(p).schema.fields[0]!.type)}`).toBe(type);
      expect(readSignalEvents(p).events).toEqual(e);
    }
    const many = { bar: Int32Array.from({ length: 300 }, (_, i) => 2 * i), position: Float64Array.from({ length: 300 }, (_, i) => Math.sin(i + 1) / 3) };
    const p = join(dir, 'many.arrow');
    writeSignalEvents(p, many, { ...meta, window: { start: 0, end: 1000 } }, 'arrow');
    expect(String(readArrowTable(p).schema.fields[1]!.type)).toBe('Float64');
    expect(bits(readSignalEvents(p).events.position)).toBe(bits(many.position));
  });

  it('round-trips exactly: every bar, every position bit for bit (−0, 0.1 + 0.2, 256 values)', () => {
    const awkward = [1, -1, 0, -0, 0.1 + 0.2, 1 / 3, -Number.MIN_VALUE, 0.5];
    const span = 500_000;
    const streams = [
      eventsLike(20_000, span, awkward),
      eventsLike(3_000, span, [0, 1]),
      eventsLike(500, span, Array.from({ length: 256 }, (_, i) => i / 255 - 0.5)),
      eventsLike(800, span, Array.from({ length: 257 }, (_, i) => i / 256 - 0.5)),
    ];
    for (const [k, e] of streams.entries()) {
      const p = join(dir, `exact_${k}.arrow`);
      writeSignalEvents(p, e, { ...meta, window: { start: 0, end: Math.max(span, e.bar[e.bar.length - 1]! + 1) } }, 'arrow');
      const back = readSignalEvents(p).events;
      expect(back.bar).toEqual(e.bar);
      expect(bits(back.position)).toBe(bits(e.position));
    }
  });

  it('takes at most a third of the first layout’s bytes for a trial-like stream', () => {
    const e = eventsLike(20_000, 300_000, [0, 1]);
    const series = Float64Array.from({ length: e.bar[e.bar.length - 1]! + 1 }, (_, i) => Date.UTC(1990, 0, 1) + i * DAY);
    const now = join(dir, 'size_gaps.arrow');
    const first = join(dir, 'size_first.arrow');
    writeSignalEvents(now, e, { ...meta, time: series, window: { start: 0, end: series.length } }, 'arrow');
    writeFirstLayout(first, e, { start: 0, end: series.length }, series);
    const ratio = statSync(now).size / statSync(first).size;
    expect(ratio).toBeLessThan(1 / 3);
    expect(readSignalEvents(first).events).toEqual(readSignalEvents(now).events);
  });

  it('writes the same bytes for the same events, whatever was written before in the process', () => {
    const w = (name: string, e: SignalEvents) => {
      const p = join(dir, name);
      writeSignalEvents(p, e, { ...meta, window: { start: 0, end: 1000 } }, 'arrow');
      return readFileSync(p);
    };
    const first = w('same_a.arrow', events);
    w('same_other.arrow', eventsLike(300, 900, [0, 1, -1]));
    expect(w('same_b.arrow', events).equals(first)).toBe(true);
  });

  it('reads a file of the first layout (bar, time, position) bit for bit', () => {
    const s = readSignalEvents(fixture('signals_first_layout.arrow'));
    expect(s.trial_id).toBe('momentum_0007');
    expect(s.window).toEqual({ start: 2, end: 70 });
    expect(Array.from(s.events.bar)).toEqual([3, 10, 11, 57, 60]);
    expect(bits(s.events.position)).toBe(bits(Float64Array.from([1, -1, 0.25, -0, 0.1 + 0.2])));
  });

  it('jsonl is a header line then one event per line', () => {
    const p = join(dir, 'lines.jsonl');
    writeSignalEvents(p, events, meta, 'jsonl');
    const lines = readFileSync(p, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ kind: 'regimen.signal_events', trial_id: 'momentum_0007', window: { start: 0, end: 70 } });
    expect(lines[2]).toEqual({ bar: 10, time: '2001-01-11', position: -1 });
    expect(lines.length).toBe(5);
  });

  it('the writer refuses events outside the window or out of order (an engine bug)', () => {
    expect(() => writeSignalEvents(join(dir, 'w.arrow'), events, { ...meta, window: { start: 5, end: 70 } }, 'arrow')).toThrow(/signal event 0 is outside the window \[5, 70\)/);
    expect(() => writeSignalEvents(join(dir, 'w.arrow'), { bar: Int32Array.from([3, 3]), position: Float64Array.from([1, 0]) }, meta, 'arrow')).toThrow(/signal event 1/);
  });

  it('a hand-broken file is one error naming the file and line', () => {
    const p = join(dir, 'bad.jsonl');
    writeSignalEvents(p, events, meta, 'jsonl');
    const text = readFileSync(p, 'utf8').replace('"position":-1', '"position":3');
    writeFileSync(p, text);
    expect(() => readSignalEvents(p)).toThrow();
    try {
      readSignalEvents(p);
    } catch (e) {
      const line = formatError(e);
      expect(line).toContain(p);
      expect(line).toContain('line 3.position');
    }
    writeFileSync(p, text.replace('"bar":11', '"bar":9').replace('"position":3', '"position":1'));
    expect(() => readSignalEvents(p)).toThrow(/line 4: event bars must strictly increase/);
    writeFileSync(p, '{"trial_id":"x"}\n');
    expect(() => readSignalEvents(p)).toThrow(/regimen\.signal_events/);
    const outside = join(dir, 'outside.arrow');
    writeFirstLayout(outside, events, { start: 5, end: 70 }, time);
    expect(() => readSignalEvents(outside)).toThrow(/row 1: event bar outside the window \[5, 70\)/);
    writeFileSync(join(dir, 'junk.arrow'), 'junk');
    expect(() => readSignalEvents(join(dir, 'junk.arrow'))).toThrow(/junk\.arrow.*|not a valid Arrow/);
  });

  it('a gaps file edited out of shape is one error naming the file, field and value', () => {
    const md = (layout: string, window = { start: 0, end: 70 }) => new Map([['kind', 'regimen.signal_events'], ['trial_id', 't'], ['window', JSON.stringify(window)], ['layout', layout]]);
    const gap = (xs: number[]) => makeData({ type: new Uint8(), length: xs.length, data: Uint8Array.from(xs) });
    const pos = (xs: number[]) => makeVector(Float64Array.from(xs)).data[0]!;
    const cases: Array<[Array<[string, Data]>, Map<string, string>, RegExp]> = [
      [[['gap', gap([3, 7])], ['position', pos([1, 0])]], md('varint'), /metadata\.layout = "varint": unknown signal file layout/],
      [[['gap', gap([3, 70])], ['position', pos([1, 0])]], md('gaps'), /gap = 70: row 2: event bar 73 outside the window \[0, 70\)/],
      [[['gap', gap([3, 0])], ['position', pos([1, 0])]], md('gaps'), /row 2: event bars must strictly increase/],
      [[['gap', makeVector(Int32Array.from([3, 4])).data[0]!], ['position', pos([1, 0])]], md('gaps'), /gap = "Int32": missing unsigned int column "gap"/],
      [[['gap', gap([3, 4])], ['position', pos([1, 2])]], md('gaps'), /position = 2: row 2: position must be in \[-1, 1\]/],
      [[['gap', gap([3, 4])], ['position', makeData({ type: new Dictionary(new Float64(), new Uint8()), length: 2, data: Uint8Array.from([0, 5]), dictionary: makeVector(Float64Array.from([1, 0])) })]], md('gaps'), /position = 5: row 2: dictionary code beyond the 2 positions/],
      [[['gap', gap([3, 4])], ['position', makeVector(Int32Array.from([1, 0])).data[0]!]], md('gaps'), /missing column "position"/],
    ];
    for (const [i, [cols, metadata, want]] of cases.entries()) {
      const p = join(dir, `broken_${i}.arrow`);
      writeArrowTable(p, tableOf(cols, metadata));
      let line = '';
      try {
        readSignalEvents(p);
      } catch (e) {
        line = formatError(e);
      }
      expect(line).toContain(p);
      expect(line).toMatch(want);
      expect(line.split('\n')).toHaveLength(1);
    }
  });
});
