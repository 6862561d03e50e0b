import { z } from 'zod';
import { METRIC_NAMES, MetricsSchema, RegimeBreakdownSchema, regimenError, type Evaluation, type Metrics, type RegimeBreakdown, type ReplayRow, type TrialRow } from '@regimen/core';
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
const RowsMetaSchema = z.object({ kind: z.enum(['trial_rows', 'replay_rows']), tracks: LayoutSchema, folds: z.array(LayoutSchema).optional() }).strict();

const REGIME_NUMBERS = [...METRIC_NAMES, 'bars'] as const;

/** classifier and regime names only (tracks may carry their labels) */
export const layoutOf = (tracks: TrackLayout[]): TrackLayout[] => tracks.map((t) => ({ classifier: t.classifier, names: t.names }));

/** One evaluation's numbers as columns named under `prefix`: a row's own, or fold f's (`fold.f.`). */
function numberColumns(evals: Evaluation[], tracks: TrackLayout[], prefix = ''): Array<[string, Float64Array]> {
  const cols: Array<[string, Float64Array]> = [];
  const add = (name: string, get: (r: Evaluation) => number) => cols.push([prefix + name, Float64Array.from(evals, get)]);
  for (const m of METRIC_NAMES) add(`metric.${m}`, (r) => r.metrics[m]);
  tracks.forEach((t, j) =>
    t.names.forEach((name, k) => {
      for (const m of REGIME_NUMBERS) add(`regime.${j}.${k}.${m}`, (r) => r.regimes[t.classifier]![name]![m]);
    }),
  );
  return cols;
}

/** the evaluation of fold f of every row, checked present */
function foldOf(rows: TrialRow[], f: number): Evaluation[] {
  return rows.map((r) => {
    const e = r.folds?.[f];
    if (!e) throw regimenError({ code: 'internal', field: 'folds', value: r.trial_id, message: `trial ${r.trial_id} has no evaluation of fold ${f}` });
    return e;
  });
}

function listOf<T extends Int32Array | Float64Array>(parts: T[], make: (n: number) => T): { offsets: Int32Array; values: T } {
  const offsets = new Int32Array(parts.length + 1);
  parts.forEach((p, i) => (offsets[i + 1] = offsets[i]! + p.length));
  const values = make(offsets[parts.length]!);
  parts.forEach((p, i) => values.set(p as never, offsets[i]!));
  return { offsets, values };
}

/**
 * With folds (a walk-forward's batch), each fold's evaluation travels under `fold.f.` with that
 * fold's own tracks; a row's own numbers are fold 0's, as the engines make them, and travel too.
 */
export function encodeTrialRows(rows: TrialRow[], tracks: TrackLayout[], folds?: TrackLayout[][]): Uint8Array {
  const cols: Array<[string, Column]> = [['trial_id', rows.map((r) => r.trial_id)], ...numberColumns(rows, tracks)];
  folds?.forEach((f, i) => cols.push(...numberColumns(foldOf(rows, i), f, `fold.${i}.`)));
  if (rows.length > 0 && rows.every((r) => r.signals)) {
    cols.push(['signal_bar', listOf(rows.map((r) => r.signals!.bar), (n) => new Int32Array(n))]);
    cols.push(['signal_position', listOf(rows.map((r) => r.signals!.position), (n) => new Float64Array(n))]);
  }
  return encodeColumns(cols, { kind: 'trial_rows', tracks: layoutOf(tracks), ...(folds ? { folds: folds.map(layoutOf) } : {}) });
}

export function encodeReplayRows(rows: ReplayRow[], tracks: TrackLayout[]): Uint8Array {
  return encodeColumns(numberColumns(rows, tracks), { kind: 'replay_rows', tracks: layoutOf(tracks) });
}

const sameLayout = (a: TrackLayout[], b: TrackLayout[]) =>
  a.length === b.length && a.every((t, j) => t.classifier === b[j]!.classifier && t.names.length === b[j]!.names.length && t.names.every((n, k) => n === b[j]!.names[k]));

/** The metrics and per-regime breakdown of row i, keys in the engines' order, validated. */
function numbersOf(d: DecodedColumns, i: number, tracks: TrackLayout[], what: string, prefix = ''): Evaluation {
  const get = (name: string) => column(d, prefix + name, isF64, what)[i]!;
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

function open(bytes: Uint8Array, kind: 'trial_rows' | 'replay_rows', count: number, tracks: TrackLayout[], what: string, folds?: TrackLayout[][]): DecodedColumns {
  const d = decodeColumns(bytes, what);
  const meta = metaOf(d, RowsMetaSchema, what);
  const sameFolds = folds ? meta.folds?.length === folds.length && folds.every((f, i) => sameLayout(meta.folds![i]!, f)) : meta.folds === undefined;
  if (meta.kind !== kind || !sameLayout(meta.tracks, tracks) || !sameFolds) throw regimenError({ code: 'internal', field: what, message: `${what} from Redis describe other regimes than the batch asked for` });
  if (d.rows !== count) throw regimenError({ code: 'internal', field: what, value: d.rows, message: `${what} from Redis: ${d.rows} rows for a batch of ${count}` });
  return d;
}

export function decodeTrialRows(bytes: Uint8Array, expect: { trialIds: string[]; tracks: TrackLayout[]; signals: boolean; folds?: TrackLayout[][] }): TrialRow[] {
  const what = 'trial rows';
  const d = open(bytes, 'trial_rows', expect.trialIds.length, expect.tracks, what, expect.folds);
  const ids = column(d, 'trial_id', isText, what);
  const bars = expect.signals ? column(d, 'signal_bar', isI32List, what) : undefined;
  const positions = expect.signals ? column(d, 'signal_position', isF64List, what) : undefined;
  return expect.trialIds.map((id, i) => {
    if (ids[i] !== id) throw regimenError({ code: 'internal', field: `${what}.trial_id`, value: ids[i], message: `${what} from Redis: row ${i} is trial ${ids[i]}, the batch asked for ${id}` });
    const row: TrialRow = { trial_id: id, ...numbersOf(d, i, expect.tracks, what) };
    // keys in the engines' order: folds, then signals
    if (expect.folds) row.folds = expect.folds.map((f, k) => numbersOf(d, i, f, what, `fold.${k}.`));
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
