import { z } from 'zod';
import { METRIC_NAMES, MetricsSchema, RegimeBreakdownSchema, regimenError, type Metrics, type RegimeBreakdown, type ReplayRow, type TrialRow } from '@regimen/core';
import { column, decodeColumns, encodeColumns, isF64, isF64List, isI32List, isText, metaOf, type Column, type DecodedColumns } from './columns.js';

/**
 * A finished batch's rows on the wire: one Float64 column per number of a row (the metrics,
 * then every classifier's every regime: its metrics and bars), trial ids, and the signal events
 * as two list columns. The numbers travel as their IEEE-754 bits, so the coordinator writes
 * exactly the files the local pool would. Decoding checks the layout against the batch that was
 * asked for and validates every row with the workspace's own schemas.
 */
export interface TrackLayout {
  classifier: string;
  names: string[];
}

const LayoutSchema = z.array(z.object({ classifier: z.string(), names: z.array(z.string()) }).strict());
const RowsMetaSchema = z.object({ kind: z.enum(['trial_rows', 'replay_rows']), tracks: LayoutSchema }).strict();

const REGIME_NUMBERS = [...METRIC_NAMES, 'bars'] as const;

/** classifier and regime names only (tracks may carry their labels) */
export const layoutOf = (tracks: TrackLayout[]): TrackLayout[] => tracks.map((t) => ({ classifier: t.classifier, names: t.names }));

function numberColumns(rows: Array<TrialRow | ReplayRow>, tracks: TrackLayout[]): Array<[string, Float64Array]> {
  const cols: Array<[string, Float64Array]> = [];
  const add = (name: string, get: (r: TrialRow | ReplayRow) => number) => cols.push([name, Float64Array.from(rows, get)]);
  for (const m of METRIC_NAMES) add(`metric.${m}`, (r) => r.metrics[m]);
  tracks.forEach((t, j) =>
    t.names.forEach((name, k) => {
      for (const m of REGIME_NUMBERS) add(`regime.${j}.${k}.${m}`, (r) => r.regimes[t.classifier]![name]![m]);
    }),
  );
  return cols;
}

function listOf<T extends Int32Array | Float64Array>(parts: T[], make: (n: number) => T): { offsets: Int32Array; values: T } {
  const offsets = new Int32Array(parts.length + 1);
  parts.forEach((p, i) => (offsets[i + 1] = offsets[i]! + p.length));
  const values = make(offsets[parts.length]!);
  parts.forEach((p, i) => values.set(p as never, offsets[i]!));
  return { offsets, values };
}

export function encodeTrialRows(rows: TrialRow[], tracks: TrackLayout[]): Uint8Array {
  const cols: Array<[string, Column]> = [['trial_id', rows.map((r) => r.trial_id)], ...numberColumns(rows, tracks)];
  if (rows.length > 0 && rows.every((r) => r.signals)) {
    cols.push(['signal_bar', listOf(rows.map((r) => r.signals!.bar), (n) => new Int32Array(n))]);
    cols.push(['signal_position', listOf(rows.map((r) => r.signals!.position), (n) => new Float64Array(n))]);
  }
  return encodeColumns(cols, { kind: 'trial_rows', tracks: layoutOf(tracks) });
}

export function encodeReplayRows(rows: ReplayRow[], tracks: TrackLayout[]): Uint8Array {
  return encodeColumns(numberColumns(rows, tracks), { kind: 'replay_rows', tracks: layoutOf(tracks) });
}

const sameLayout = (a: TrackLayout[], b: TrackLayout[]) =>
  a.length === b.length && a.every((t, j) => t.classifier === b[j]!.classifier && t.names.length === b[j]!.names.length && t.names.every((n, k) => n === b[j]!.names[k]));

/** The metrics and per-regime breakdown of row i, keys in the engines' order, validated. */
function numbersOf(d: DecodedColumns, i: number, tracks: TrackLayout[], what: string): { metrics: Metrics; regimes: RegimeBreakdown } {
  const get = (name: string) => column(d, name, isF64, what)[i]!;
  const metrics = Object.fromEntries(METRIC_NAMES.map((m) => [m, get(`metric.${m}`)])) as Metrics;
  const regimes: RegimeBreakdown = {};
  tracks.forEach((t, j) => {
    regimes[t.classifier] = Object.fromEntries(t.names.map((name, k) => [name, Object.fromEntries(REGIME_NUMBERS.map((m) => [m, get(`regime.${j}.${k}.${m}`)]))])) as RegimeBreakdown[string];
  });
  const m = MetricsSchema.safeParse(metrics);
  const r = RegimeBreakdownSchema.safeParse(regimes);
  const issue = !m.success ? m.error.issues[0] : !r.success ? r.error.issues[0] : undefined;
  if (issue) throw regimenError({ code: 'internal', field: `${what}.${issue.path.join('.')}`, message: `${what} from Redis, row ${i}: ${issue.message}` });
  return { metrics, regimes };
}

function open(bytes: Uint8Array, kind: 'trial_rows' | 'replay_rows', count: number, tracks: TrackLayout[], what: string): DecodedColumns {
  const d = decodeColumns(bytes, what);
  const meta = metaOf(d, RowsMetaSchema, what);
  if (meta.kind !== kind || !sameLayout(meta.tracks, tracks)) throw regimenError({ code: 'internal', field: what, message: `${what} from Redis describe other regimes than the batch asked for` });
  if (d.rows !== count) throw regimenError({ code: 'internal', field: what, value: d.rows, message: `${what} from Redis: ${d.rows} rows for a batch of ${count}` });
  return d;
}

export function decodeTrialRows(bytes: Uint8Array, expect: { trialIds: string[]; tracks: TrackLayout[]; signals: boolean }): TrialRow[] {
  const what = 'trial rows';
  const d = open(bytes, 'trial_rows', expect.trialIds.length, expect.tracks, what);
  const ids = column(d, 'trial_id', isText, what);
  const bars = expect.signals ? column(d, 'signal_bar', isI32List, what) : undefined;
  const positions = expect.signals ? column(d, 'signal_position', isF64List, what) : undefined;
  return expect.trialIds.map((id, i) => {
    if (ids[i] !== id) throw regimenError({ code: 'internal', field: `${what}.trial_id`, value: ids[i], message: `${what} from Redis: row ${i} is trial ${ids[i]}, the batch asked for ${id}` });
    const row: TrialRow = { trial_id: id, ...numbersOf(d, i, expect.tracks, what) };
    if (bars && positions) {
      const [from, to] = [bars.offsets[i]!, bars.offsets[i + 1]!];
      if (positions.offsets[i] !== from || positions.offsets[i + 1] !== to) throw regimenError({ code: 'internal', field: `${what}.signals`, message: `${what} from Redis: trial ${id} has ${to - from} event bars and a different number of positions` });
      // copies, so a row does not keep the whole batch's buffer alive
      row.signals = { bar: bars.values.slice(from, to), position: positions.values.slice(from, to) };
    }
    return row;
  });
}

export function decodeReplayRows(bytes: Uint8Array, expect: { count: number; tracks: TrackLayout[] }): ReplayRow[] {
  const what = 'replay rows';
  const d = open(bytes, 'replay_rows', expect.count, expect.tracks, what);
  return Array.from({ length: expect.count }, (_, i) => numbersOf(d, i, expect.tracks, what));
}
