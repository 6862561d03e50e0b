import { readFileSync } from 'node:fs';
import { DataType, type Dictionary, type Table } from 'apache-arrow';
import { z } from 'zod';
import { parseWith, regimenError, writeFileAtomic, type ScoreWindow, type SignalEvents, type WriteOptions } from '@regimen/core';
import { isFloat64, isInt32, readArrowTable } from './arrow-file.js';
import { signalIpcFile } from './signal-ipc.js';
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
 * Trial signals as change events (DESIGN §4), in one of two formats.
 *
 * Arrow (the default), the compact layout `gaps`: a trial of 500k bars changes position tens of
 * thousands of times, and the first layout (bar Int32, time Timestamp, position Float64: 20 bytes
 * an event) made phase 1's files 4× its kernel output and their encoding most of its overhead.
 * Now two columns, both plain Arrow that pyarrow/pandas read:
 * - `gap`: bar[i] − bar[i−1], with bar[−1] = window.start, in the narrowest unsigned int that
 *   holds the largest (Uint8, Uint16 or Uint32) — the bars are window.start + cumsum(gap);
 * - `position`: Dictionary<Uint8, Float64> (codes into the distinct positions, in order of first
 *   appearance) when there are at most 256 distinct values — the built-in strategies have 2 or 3 —
 *   else Float64. Every position keeps its exact bits (−0 included).
 * kind, trial_id, window and `layout: gaps` are the schema metadata. The time of an event is the
 * time of its bar in the market data; the file does not repeat it.
 * A file of the first layout (columns bar, time, position; no `layout` key) is still read.
 *
 * JSONL (`signal_format: jsonl`): a header object `{kind, trial_id, window}` on line 1, then one
 * `{bar, time, position}` per line; `time` there is for people reading the file — `bar` is what
 * replay uses.
 */
export const SIGNAL_LAYOUT = 'gaps';

export function writeSignalEvents(path: string, events: SignalEvents, meta: SignalEventsMeta, format: SignalFormat, opts?: WriteOptions): void {
  const window = { start: meta.window.start, end: meta.window.end };
  if (format === 'jsonl') {
    const n = events.bar.length;
    const lines = [JSON.stringify({ kind: KIND, trial_id: meta.trial_id, window })];
    for (let i = 0; i < n; i++) {
      const b = events.bar[i]!;
      if (b < 0 || b >= meta.time.length) throw regimenError({ code: 'internal', file: path, field: 'bar', value: b, message: `signal event bar outside the series of ${meta.time.length} bars` });
      lines.push(JSON.stringify({ bar: b, time: isoTime(meta.time[b]!), position: events.position[i] }));
    }
    writeFileAtomic(path, lines.join('\n') + '\n', opts);
    return;
  }
  writeFileAtomic(path, gapsFile(path, events, window, meta.trial_id), opts);
}

/**
 * Scratch for the position codes, grown as needed and reused by every file this thread writes:
 * allocating (and collecting) fresh arrays of a trial's size cost more than encoding them.
 */
let scratch = new Uint8Array(1 << 16);

const MAX_CODES = 256;

/**
 * A `gaps` file's bytes: one pass codes the positions, one checks the bars (in the window,
 * increasing) and finds the widest gap; then the IPC file around the columns is laid out
 * (signal-ipc.ts) and the gaps are computed straight into it, the codes copied after them. The
 * bytes are a view of this thread's reused memory: write them before the next file.
 */
function gapsFile(path: string, events: SignalEvents, window: ScoreWindow, trialId: string): Uint8Array {
  const { bar, position } = events;
  const n = bar.length;
  const { start, end } = window;
  if (scratch.length < n) scratch = new Uint8Array(Math.max(n, 2 * scratch.length));
  const codes = scratch;
  // the distinct positions, in order of first appearance: code c is values[c]
  const values = new Float64Array(MAX_CODES);
  let distinct = 0;
  for (let i = 0; i < n && distinct <= MAX_CODES; i++) {
    const p = position[i]!;
    // a linear search (strategies take two or three values); equal bits, so −0 is not 0
    let c = 0;
    while (c < distinct && !(values[c] === p && (p !== 0 || 1 / values[c]! === 1 / p))) c++;
    if (c === distinct) {
      // past MAX_CODES values there are too many for codes: positions are stored as they are
      if (distinct < MAX_CODES) values[c] = p;
      distinct++;
    }
    codes[i] = c;
  }
  // bars must be in the window and increasing: checked without a branch per event, the first
  // wrong one found only when there is one (the caller is the engine: that would be a bug)
  let widest = n > 0 ? bar[0]! - start : 0;
  let ok = n === 0 || (widest >= 0 && bar[n - 1]! < end);
  for (let i = 1, prev = n > 0 ? bar[0]! : 0; i < n; i++) {
    const b = bar[i]!;
    const g = b - prev;
    ok = ok && g > 0;
    if (g > widest) widest = g;
    prev = b;
  }
  if (!ok) {
    const i = Array.prototype.findIndex.call(bar, (b: number, k: number) => b < start || b >= end || (k > 0 && b <= bar[k - 1]!));
    throw regimenError({ code: 'internal', file: path, field: 'bar', value: bar[i], message: `signal event ${i} is outside the window [${start}, ${end}) or not after the one before` });
  }
  const gapWidth = widest <= 0xff ? 1 : widest <= 0xffff ? 2 : 4;
  const dictionary = distinct <= MAX_CODES ? values.subarray(0, distinct) : null;
  const metadata: Array<[string, string]> = [['kind', KIND], ['trial_id', trialId], ['window', JSON.stringify({ start, end })], ['layout', SIGNAL_LAYOUT]];
  const file = signalIpcFile({ rows: n, gapWidth, dictionary, metadata });
  const memory = file.bytes.buffer;
  if (gapWidth === 1) fillGaps(bar, start, new Uint8Array(memory, file.gapsAt, n));
  else if (gapWidth === 2) fillGaps(bar, start, new Uint16Array(memory, file.gapsAt, n));
  else fillGaps(bar, start, new Uint32Array(memory, file.gapsAt, n));
  if (dictionary) file.bytes.set(codes.subarray(0, n), file.positionsAt);
  else new Float64Array(memory, file.positionsAt, n).set(position);
  return file.bytes;
}

function fillGaps<T extends Uint8Array | Uint16Array | Uint32Array>(bar: Int32Array, start: number, out: T): T {
  let prev = start;
  for (let i = 0; i < out.length; i++) {
    const b = bar[i]!;
    out[i] = b - prev;
    prev = b;
  }
  return out;
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
  const layout = md.get('layout');
  let events: SignalEvents;
  if (layout === undefined) events = firstLayout(path, table);
  else if (layout === SIGNAL_LAYOUT) events = gapsLayout(path, table, header.window);
  else throw regimenError({ code: 'workspace', file: path, field: 'metadata.layout', value: layout, message: `unknown signal file layout (this version reads "${SIGNAL_LAYOUT}" and the first layout, which has no layout key)` });
  checkEvents(path, events, header.window, (i) => `row ${i + 1}`);
  return { trial_id: header.trial_id, window: header.window, events };
}

type Column = NonNullable<ReturnType<Table['getChild']>>;

function noNulls(path: string, name: string, col: Column): void {
  if (col.nullCount > 0) throw regimenError({ code: 'workspace', file: path, field: name, value: col.nullCount, message: 'signal columns must not contain nulls' });
}

/** The first layout: bar Int32, time Timestamp(ms), position Float64. */
function firstLayout(path: string, table: Table): SignalEvents {
  const bar = table.getChild('bar');
  const position = table.getChild('position');
  if (!bar || !isInt32(bar.type)) throw regimenError({ code: 'workspace', file: path, field: 'bar', message: 'missing Int32 column "bar"' });
  if (!position || !isFloat64(position.type)) throw regimenError({ code: 'workspace', file: path, field: 'position', message: 'missing Float64 column "position"' });
  noNulls(path, 'bar', bar);
  noNulls(path, 'position', position);
  return { bar: Int32Array.from(bar.toArray() as Int32Array), position: Float64Array.from(position.toArray() as Float64Array) };
}

/** The `gaps` layout: bars from their gaps, positions from their codes (any number of record batches). */
function gapsLayout(path: string, table: Table, window: ScoreWindow): SignalEvents {
  const gap = table.getChild('gap');
  const position = table.getChild('position');
  if (!gap || !DataType.isInt(gap.type) || gap.type.isSigned) throw regimenError({ code: 'workspace', file: path, field: 'gap', value: gap ? String(gap.type) : undefined, message: 'missing unsigned int column "gap"' });
  const dictionary = position !== null && DataType.isDictionary(position.type);
  if (!position || !(dictionary ? isFloat64((position.type as Dictionary).dictionary) : isFloat64(position.type))) {
    throw regimenError({ code: 'workspace', file: path, field: 'position', value: position ? String(position.type) : undefined, message: 'missing column "position" (Float64, or a dictionary of Float64)' });
  }
  noNulls(path, 'gap', gap);
  noNulls(path, 'position', position);
  const n = table.numRows;
  const bar = new Int32Array(n);
  let b = window.start;
  let i = 0;
  for (const chunk of gap.data) {
    const g = chunk.values as ArrayLike<number>;
    for (let k = 0; k < chunk.length; k++) {
      b += g[chunk.offset + k]!;
      // checked here, before an Int32 could wrap; the order and the start are checkEvents'
      if (b >= window.end) throw regimenError({ code: 'workspace', file: path, field: 'gap', value: g[chunk.offset + k], message: `row ${i + 1}: event bar ${b} outside the window [${window.start}, ${window.end})` });
      bar[i++] = b;
    }
  }
  const out = new Float64Array(n);
  i = 0;
  for (const chunk of position.data) {
    if (!dictionary) {
      out.set((chunk.values as Float64Array).subarray(chunk.offset, chunk.offset + chunk.length), i);
      i += chunk.length;
      continue;
    }
    const values = chunk.dictionary!.data[0]!.values as Float64Array;
    const codes = chunk.values as ArrayLike<number>;
    for (let k = 0; k < chunk.length; k++) {
      const c = codes[chunk.offset + k]!;
      if (c >= values.length) throw regimenError({ code: 'workspace', file: path, field: 'position', value: c, message: `row ${i + 1}: dictionary code beyond the ${values.length} positions` });
      out[i++] = values[c]!;
    }
  }
  return { bar, position: out };
}

/** Whether an Arrow table is a trial's signal events (by its schema metadata), of any layout. */
export function isSignalEventsTable(table: Table): boolean {
  return table.schema.metadata.get('kind') === KIND;
}

/** Read either format, chosen by extension (`.jsonl` → JSONL, anything else → Arrow). */
export function readSignalEvents(path: string): SignalEventsFile {
  return path.toLowerCase().endsWith('.jsonl') ? readJsonl(path) : readArrow(path);
}
