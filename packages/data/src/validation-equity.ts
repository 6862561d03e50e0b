import { makeVector, type Data } from 'apache-arrow';
import { parseWith, regimenError, ValidationEquityMetaSchema, type ValidationEquityMeta } from '@regimen/core';
import { isFloat64, readArrowTable, tableOf, writeArrowTable } from './arrow-file.js';
import { timestampData } from './bars-table.js';

export interface ValidationEquityFile {
  meta: ValidationEquityMeta;
  /** epoch ms of every bar of the validation window */
  time: Float64Array;
  /** run name (meta.runs) → equity at every bar, 1 at the first */
  equity: Record<string, Float64Array>;
}

/**
 * performance/validation_equity.arrow (core's ValidationEquityMetaSchema): time Timestamp(ms) and
 * one Float64 equity column per run, the meta as schema metadata (runs as a JSON list).
 */
export function writeValidationEquity(path: string, file: ValidationEquityFile): void {
  const n = file.time.length;
  const meta = file.meta;
  const cols: Array<[string, Data]> = [['time', timestampData(file.time)]];
  for (const run of meta.runs) {
    const e = file.equity[run];
    if (!e || e.length !== n) throw regimenError({ code: 'internal', file: path, field: run, message: `equity of run "${run}" must have ${n} values` });
    cols.push([run, makeVector(e).data[0]!]);
  }
  const metadata = new Map([['kind', meta.kind], ['classifier', meta.classifier], ['split', meta.split], ['start', String(meta.start)], ['runs', JSON.stringify(meta.runs)]]);
  writeArrowTable(path, tableOf(cols, metadata));
}

export function readValidationEquity(path: string): ValidationEquityFile {
  const table = readArrowTable(path);
  const md = table.schema.metadata;
  let runs: unknown = md.get('runs');
  try {
    runs = JSON.parse(String(runs));
  } catch {
    // left as text: the schema names the field
  }
  const meta = parseWith(
    ValidationEquityMetaSchema,
    { kind: md.get('kind'), classifier: md.get('classifier'), split: md.get('split'), start: Number(md.get('start')), runs },
    { file: path, code: 'workspace', prefix: 'metadata' },
  );
  const time = table.getChild('time');
  if (!time || time.nullCount > 0) throw regimenError({ code: 'workspace', file: path, field: 'time', message: 'missing column "time" without nulls' });
  const times = new Float64Array(table.numRows);
  for (let i = 0; i < times.length; i++) times[i] = Number(time.get(i));
  const equity: Record<string, Float64Array> = {};
  for (const run of meta.runs) {
    const c = table.getChild(run);
    if (!c || !isFloat64(c.type) || c.nullCount > 0) throw regimenError({ code: 'workspace', file: path, field: run, message: `missing Float64 column "${run}" without nulls` });
    equity[run] = Float64Array.from(c.toArray() as Float64Array);
  }
  return { meta, time: times, equity };
}
