import { readFileSync } from 'node:fs';
import { DataType, Field, Precision, RecordBatch, Schema, Struct, Table, makeData, tableFromIPC, tableToIPC, type Data } from 'apache-arrow';
import { regimenError, writeFileAtomic, type ErrorCode, type WriteOptions } from '@regimen/core';

/** Extensions read as Arrow IPC (file or stream format; `tableFromIPC` detects which). */
export const ARROW_EXTENSIONS = ['.arrow', '.feather', '.ipc'] as const;

export function isArrowPath(path: string): boolean {
  const p = path.toLowerCase();
  return ARROW_EXTENSIONS.some((ext) => p.endsWith(ext));
}

/** Read an Arrow IPC file; a missing or broken file is one error naming it. */
export function readArrowTable(path: string, code: ErrorCode = 'workspace'): Table {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw regimenError({ code, file: path, message: `cannot read Arrow file (${(e as NodeJS.ErrnoException).code ?? 'error'})`, cause: e });
  }
  try {
    const table = tableFromIPC(bytes);
    // tableFromIPC yields an empty schema instead of throwing for some garbage; no fields means no table.
    if (table.schema.fields.length === 0) throw new Error('no columns');
    return table;
  } catch (e) {
    throw regimenError({ code, file: path, message: `not a valid Arrow IPC file: ${(e as Error).message}`, cause: e });
  }
}

/** Arrow IPC file format (random access, what `regimen inspect` and pyarrow.feather expect), atomically. */
export function writeArrowTable(path: string, table: Table, opts?: WriteOptions): void {
  writeFileAtomic(path, tableToIPC(table, 'file'), opts);
}

// Types read from IPC are generic Int/Float instances, not the Int32/Float64 subclasses: compare fields.
export function isInt32(t: DataType): boolean {
  return DataType.isInt(t) && t.bitWidth === 32 && t.isSigned;
}
export function isUint8(t: DataType): boolean {
  return DataType.isInt(t) && t.bitWidth === 8 && !t.isSigned;
}
export function isFloat64(t: DataType): boolean {
  return DataType.isFloat(t) && t.precision === Precision.DOUBLE;
}

/**
 * A one-batch table from named columns of equal length. Built through an explicit RecordBatch
 * because `new Table(schema, {…})` rejects zero-length columns, and a trial with no signal
 * events or a workspace with no trials must still write a valid, typed file.
 */
export function tableOf(columns: Array<[string, Data]>, metadata?: Map<string, string>, nullable: readonly string[] = []): Table {
  const fields = columns.map(([name, d]) => Field.new({ name, type: d.type, nullable: nullable.includes(name) }));
  const schema = new Schema(fields, metadata);
  const length = columns.length > 0 ? columns[0]![1].length : 0;
  const data = makeData({ type: new Struct(fields), length, nullCount: 0, children: columns.map(([, d]) => d) });
  return new Table(schema, new RecordBatch(schema, data));
}
