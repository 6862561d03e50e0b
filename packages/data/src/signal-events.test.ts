import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatError } from '@regimen/core';
import { readSignalEvents, writeSignalEvents } from './signal-events.js';
import { readArrowTable } from './arrow-file.js';

const dir = mkdtempSync(join(tmpdir(), 'regimen-signals-'));
const DAY = 86_400_000;
const time = Float64Array.from({ length: 100 }, (_, i) => Date.UTC(2001, 0, 1) + i * DAY);
const events = { bar: Int32Array.from([3, 10, 11, 57]), position: Float64Array.from([1, -1, 0.25, 0]) };
const meta = { trial_id: 'momentum_0007', time, window: { start: 0, end: 70 } };

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

  it('arrow columns are bar Int32, time Timestamp(ms), position Float64', () => {
    const p = join(dir, 'cols.arrow');
    writeSignalEvents(p, events, meta, 'arrow');
    const t = readArrowTable(p);
    expect(t.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual(['bar:Int32', 'time:Timestamp<MILLISECOND>', 'position:Float64']);
    expect(t.getChild('time')!.get(1)).toBe(time[10]);
    expect(t.schema.metadata.get('trial_id')).toBe('momentum_0007');
  });

  it('jsonl is a header line then one event per line', () => {
    const p = join(dir, 'lines.jsonl');
    writeSignalEvents(p, events, meta, 'jsonl');
    const lines = readFileSync(p, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ kind: 'regimen.signal_events', trial_id: 'momentum_0007', window: { start: 0, end: 70 } });
    expect(lines[2]).toEqual({ bar: 10, time: '2001-01-11', position: -1 });
    expect(lines.length).toBe(5);
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
    writeSignalEvents(outside, events, { ...meta, window: { start: 5, end: 70 } }, 'arrow');
    expect(() => readSignalEvents(outside)).toThrow(/row 1: event bar outside the window \[5, 70\)/);
    writeFileSync(join(dir, 'junk.arrow'), 'junk');
    expect(() => readSignalEvents(join(dir, 'junk.arrow'))).toThrow(/junk\.arrow.*|not a valid Arrow/);
  });
});
