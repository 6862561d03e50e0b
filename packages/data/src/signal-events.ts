import { readFileSync } from 'node:fs';
import { makeVector, type Data } from 'apache-arrow';
import { z } from 'zod';
import { parseWith, regimenError, writeFileAtomic, type ScoreWindow, type SignalEvents, type WriteOptions } from '@regimen/core';
import { isFloat64, isInt32, readArrowTable, tableOf, writeArrowTable } from './arrow-file.js';
import { timestampData } from './bars-table.js';
import { isoTime } from './time.js';

export type SignalFormat = 'arrow' | 'jsonl';

export interface SignalEventsMeta {
  trial_id: string;
  /** epoch ms of every bar of the series the events index into */
  time: Float64Array;
  window: ScoreWindow;
}

export interface SignalEventsFile {
  trial_id: string;
  window: ScoreWindow;
  events: SignalEvents;
}

const KIND = 'regimen.signal_events';
const WindowSchema = z
  .object({ start: z.number().int().min(0), end: z.number().int().min(0) })
  .refine((w) => w.end >= w.start, { message: 'window end is before its start' });
/** JSONL line 1; the arrow file keeps the same facts as schema metadata. */
export const SignalHeaderSchema = z.object({ kind: z.literal(KIND), trial_id: z.string().min(1), window: WindowSchema }).strict();
export const SignalEventLineSchema = z.object({ bar: z.number().int().min(0), time: z.string(), position: z.number().min(-1).max(1) }).strict();

/**
 * Trial signals as change events (DESIGN §4). Arrow: columns bar Int32, time Timestamp(ms),
 * position Float64, with kind/trial_id/window in the schema metadata. JSONL: a header object
 * `{kind, trial_id, window}` on line 1, then one `{bar, time, position}` per line; `time` there is
 * for people reading the file — `bar` is what replay uses.
 */
export function writeSignalEvents(path: string, events: SignalEvents, meta: SignalEventsMeta, format: SignalFormat, opts?: WriteOptions): void {
  const n = events.bar.length;
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const b = events.bar[i]!;
    if (b < 0 || b >= meta.time.length) throw regimenError({ code: 'internal', file: path, field: 'bar', value: b, message: `signal event bar outside the series of ${meta.time.length} bars` });
    times[i] = meta.time[b]!;
  }
  const window = { start: meta.window.start, end: meta.window.end };
  if (format === 'jsonl') {
    const lines = [JSON.stringify({ kind: KIND, trial_id: meta.trial_id, window })];
    for (let i = 0; i < n; i++) lines.push(JSON.stringify({ bar: events.bar[i], time: isoTime(times[i]!), position: events.position[i] }));
    writeFileAtomic(path, lines.join('\n') + '\n', opts);
    return;
  }
  const cols: Array<[string, Data]> = [
    ['bar', makeVector(events.bar instanceof Int32Array ? events.bar : Int32Array.from(events.bar)).data[0]!],
    ['time', timestampData(times)],
    ['position', makeVector(events.position instanceof Float64Array ? events.position : Float64Array.from(events.position)).data[0]!],
  ];
  const metadata = new Map([['kind', KIND], ['trial_id', meta.trial_id], ['window', JSON.stringify(window)]]);
  writeArrowTable(path, tableOf(cols, metadata), opts);
}

// engine.ts: events carry absolute bar indices inside the scored window [start, end).
function checkEvents(path: string, events: SignalEvents, window: ScoreWindow, where: (i: number) => string): void {
  for (let i = 0; i < events.bar.length; i++) {
    const p = events.position[i]!;
    const b = events.bar[i]!;
    if (b < window.start || b >= window.end) {
      throw regimenError({ code: 'workspace', file: path, field: 'bar', value: b, message: `${where(i)}: event bar outside the window [${window.start}, ${window.end})` });
    }
    if (!(p >= -1 && p <= 1)) throw regimenError({ code: 'workspace', file: path, field: 'position', value: p, message: `${where(i)}: position must be in [-1, 1]` });
    if (i > 0 && events.bar[i]! <= events.bar[i - 1]!) {
      throw regimenError({ code: 'workspace', file: path, field: 'bar', value: events.bar[i], message: `${where(i)}: event bars must strictly increase` });
    }
  }
}

function readJsonl(path: string): SignalEventsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw regimenError({ code: 'workspace', file: path, message: `cannot read signal file (${(e as NodeJS.ErrnoException).code ?? 'error'})`, cause: e });
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const json = (i: number): unknown => {
    try {
      return JSON.parse(lines[i]!);
    } catch (e) {
      throw regimenError({ code: 'workspace', file: path, message: `line ${i + 1}: not valid JSON: ${(e as Error).message}`, cause: e });
    }
  };
  if (lines.length === 0) throw regimenError({ code: 'workspace', file: path, message: 'empty signal file: expected a header line' });
  const header = parseWith(SignalHeaderSchema, json(0), { file: path, code: 'workspace', prefix: 'line 1' });
  const n = lines.length - 1;
  const events: SignalEvents = { bar: new Int32Array(n), position: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const ev = parseWith(SignalEventLineSchema, json(i + 1), { file: path, code: 'workspace', prefix: `line ${i + 2}` });
    events.bar[i] = ev.bar;
    events.position[i] = ev.position;
  }
  checkEvents(path, events, header.window, (i) => `line ${i + 2}`);
  return { trial_id: header.trial_id, window: header.window, events };
}

function readArrow(path: string): SignalEventsFile {
  const table = readArrowTable(path);
  const md = table.schema.metadata;
  let window: unknown;
  try {
    window = JSON.parse(md.get('window') ?? 'null');
  } catch {
    window = md.get('window');
  }
  const header = parseWith(SignalHeaderSchema, { kind: md.get('kind'), trial_id: md.get('trial_id'), window }, { file: path, code: 'workspace', prefix: 'metadata' });
  const bar = table.getChild('bar');
  const position = table.getChild('position');
  if (!bar || !isInt32(bar.type)) throw regimenError({ code: 'workspace', file: path, field: 'bar', message: 'missing Int32 column "bar"' });
  if (!position || !isFloat64(position.type)) throw regimenError({ code: 'workspace', file: path, field: 'position', message: 'missing Float64 column "position"' });
  if (bar.nullCount > 0 || position.nullCount > 0) throw regimenError({ code: 'workspace', file: path, message: 'signal columns must not contain nulls' });
  const events: SignalEvents = { bar: Int32Array.from(bar.toArray() as Int32Array), position: Float64Array.from(position.toArray() as Float64Array) };
  checkEvents(path, events, header.window, (i) => `row ${i + 1}`);
  return { trial_id: header.trial_id, window: header.window, events };
}

/** Read either format, chosen by extension (`.jsonl` → JSONL, anything else → Arrow). */
export function readSignalEvents(path: string): SignalEventsFile {
  return path.toLowerCase().endsWith('.jsonl') ? readJsonl(path) : readArrow(path);
}
