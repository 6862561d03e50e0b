import { Utf8, makeVector, vectorFromArray, type Data } from 'apache-arrow';
import { z } from 'zod';
import { METRIC_NAMES, MetricsSchema, ParamsSchema, canonicalJson, parseWith, regimenError, type Metrics, type Params } from '@regimen/core';
import { isFloat64, readArrowTable, tableOf, writeArrowTable } from './arrow-file.js';

export interface TrialsTableRow {
  trial_id: string;
  strategy: string;
  type: string;
  params: Params;
  metrics: Metrics;
}

const TEXT_COLUMNS = ['trial_id', 'strategy', 'type', 'params'] as const;

/**
 * performance/trials.arrow: one row per trial, for quick filtering in any Arrow tool. Params are
 * canonical JSON text (sorted keys) because strategies have different parameter sets; each metric
 * is its own Float64 column, in METRIC_NAMES order.
 */
export function writeTrialsTable(path: string, rows: TrialsTableRow[]): void {
  const cols: Array<[string, Data]> = [
    ['trial_id', vectorFromArray(rows.map((r) => r.trial_id), new Utf8()).data[0]!],
    ['strategy', vectorFromArray(rows.map((r) => r.strategy), new Utf8()).data[0]!],
    ['type', vectorFromArray(rows.map((r) => r.type), new Utf8()).data[0]!],
    ['params', vectorFromArray(rows.map((r) => canonicalJson(r.params)), new Utf8()).data[0]!],
  ];
  for (const m of METRIC_NAMES) cols.push([m, makeVector(Float64Array.from(rows, (r) => r.metrics[m])).data[0]!]);
  writeArrowTable(path, tableOf(cols, new Map([['kind', 'regimen.trials']])));
}

const RowSchema = z.object({
  trial_id: z.string(),
  strategy: z.string(),
  type: z.string(),
  params: ParamsSchema,
  metrics: MetricsSchema,
});

export function readTrialsTable(path: string): TrialsTableRow[] {
  const table = readArrowTable(path);
  for (const name of TEXT_COLUMNS) {
    if (!table.getChild(name)) throw regimenError({ code: 'workspace', file: path, field: name, message: `missing column "${name}"` });
  }
  for (const m of METRIC_NAMES) {
    const c = table.getChild(m);
    if (!c || !isFloat64(c.type)) throw regimenError({ code: 'workspace', file: path, field: m, message: `missing Float64 column "${m}"` });
  }
  const text = TEXT_COLUMNS.map((c) => table.getChild(c)!);
  const metrics = METRIC_NAMES.map((m) => table.getChild(m)!);
  const out: TrialsTableRow[] = new Array(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    let params: unknown;
    try {
      params = JSON.parse(String(text[3]!.get(i)));
    } catch {
      params = text[3]!.get(i);
    }
    const raw = {
      trial_id: text[0]!.get(i), strategy: text[1]!.get(i), type: text[2]!.get(i), params,
      metrics: Object.fromEntries(METRIC_NAMES.map((m, k) => [m, metrics[k]!.get(i)])),
    };
    out[i] = parseWith(RowSchema, raw, { file: path, code: 'workspace', prefix: `row ${i + 1}` });
  }
  return out;
}
