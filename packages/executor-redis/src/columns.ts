import { createHash } from 'node:crypto';
import { DataType, Field, Float64, Int32, List, Precision, Uint8, Utf8, makeData, tableFromIPC, tableToIPC, vectorFromArray, type Data } from 'apache-arrow';
import { z } from 'zod';
import { regimenError } from '@regimen/core';
import { tableOf } from '@regimen/data';

/**
 * Everything binary on the wire is one Arrow IPC record batch (stream format): typed columns,
 * copied bit for bit (-0 and every NaN payload included, so rows come back exactly as the engine
 * made them), with a JSON description in the schema metadata under `regimen`. Anyone with
 * pyarrow can read what a run put in Redis.
 */
export type NumberColumn = Float64Array | Int32Array | Uint8Array;
/** a list column: values of row i are values[offsets[i] .. offsets[i+1]) */
export interface ListColumn<T extends Int32Array | Float64Array = Int32Array | Float64Array> {
  offsets: Int32Array;
  values: T;
}
export type Column = NumberColumn | ListColumn | string[];

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function numberData(c: NumberColumn): Data {
  const type = c instanceof Float64Array ? new Float64() : c instanceof Int32Array ? new Int32() : new Uint8();
  return makeData({ type, length: c.length, data: c } as never);
}

function columnData(c: Column): Data {
  if (Array.isArray(c)) return vectorFromArray(c, new Utf8()).data[0]!;
  if (ArrayBuffer.isView(c)) return numberData(c);
  const child = numberData(c.values);
  return makeData({ type: new List(new Field('item', child.type, false)), length: c.offsets.length - 1, nullCount: 0, valueOffsets: c.offsets, child });
}

export function encodeColumns(columns: Array<[string, Column]>, meta: Record<string, unknown>): Uint8Array {
  const table = tableOf(columns.map(([name, c]) => [name, columnData(c)]), new Map([['regimen', JSON.stringify(meta)]]));
  return tableToIPC(table, 'stream');
}

export interface DecodedColumns {
  meta: unknown;
  columns: Map<string, Column>;
  rows: number;
}

const is = {
  f64: (t: DataType) => DataType.isFloat(t) && t.precision === Precision.DOUBLE,
  i32: (t: DataType) => DataType.isInt(t) && t.bitWidth === 32 && t.isSigned,
  u8: (t: DataType) => DataType.isInt(t) && t.bitWidth === 8 && !t.isSigned,
};

/** typed arrays over Arrow's buffers, copied only when a buffer sits misaligned for its type */
function numbers(d: Data): NumberColumn {
  const v = d.values as NumberColumn;
  if (is.f64(d.type) || is.i32(d.type) || is.u8(d.type)) return v.subarray(d.offset, d.offset + d.length);
  throw new Error(`column of type ${String(d.type)} is not Float64, Int32 or Uint8`);
}

/** Bytes from Redis back to named columns; anything but one well-formed batch is an error naming `what`. */
export function decodeColumns(bytes: Uint8Array, what: string): DecodedColumns {
  // Arrow's typed views need their element alignment; a Buffer from a pool may not have it
  const aligned = bytes.byteOffset % 8 === 0 ? bytes : new Uint8Array(bytes);
  try {
    const table = tableFromIPC(aligned);
    if (table.batches.length !== 1) throw new Error(`${table.batches.length} record batches, expected 1`);
    const batch = table.batches[0]!;
    const columns = new Map<string, Column>();
    table.schema.fields.forEach((f, i) => {
      const d = batch.data.children[i]!;
      if (d.nullCount > 0) throw new Error(`column ${f.name} has nulls`);
      if (DataType.isUtf8(f.type)) columns.set(f.name, batch.getChildAt(i)!.toArray() as unknown as string[]);
      else if (DataType.isList(f.type)) {
        const child = d.children[0]!;
        const offsets = d.valueOffsets as Int32Array;
        columns.set(f.name, { offsets: offsets.subarray(d.offset, d.offset + d.length + 1), values: numbers(child) as Int32Array | Float64Array });
      } else columns.set(f.name, numbers(d));
    });
    const text = table.schema.metadata.get('regimen');
    if (text === undefined) throw new Error('no regimen metadata');
    return { meta: JSON.parse(text), columns, rows: batch.numRows };
  } catch (e) {
    throw regimenError({ code: 'internal', field: what, message: `${what} from Redis is not a valid Arrow IPC batch: ${(e as Error).message}`, cause: e });
  }
}

/** Parse decoded metadata with a schema; a mismatch names `what` and the field. */
export function metaOf<T>(d: DecodedColumns, schema: z.ZodType<T>, what: string): T {
  const r = schema.safeParse(d.meta);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw regimenError({ code: 'internal', field: `${what}.${issue.path.join('.')}`, message: `${what} from Redis: ${issue.message}` });
}

/** A column of the given shape, or an error naming `what` and the column. */
export function column<T extends Column>(d: DecodedColumns, name: string, check: (c: Column) => c is T, what: string): T {
  const c = d.columns.get(name);
  if (c === undefined || !check(c)) throw regimenError({ code: 'internal', field: `${what}.${name}`, message: `${what} from Redis: column ${name} is missing or of the wrong type` });
  return c;
}

export const isF64 = (c: Column): c is Float64Array => c instanceof Float64Array;
export const isI32 = (c: Column): c is Int32Array => c instanceof Int32Array;
export const isU8 = (c: Column): c is Uint8Array => c instanceof Uint8Array;
export const isText = (c: Column): c is string[] => Array.isArray(c) && c.every((s) => typeof s === 'string');
export const isI32List = (c: Column): c is ListColumn<Int32Array> => !Array.isArray(c) && !ArrayBuffer.isView(c) && c.values instanceof Int32Array;
export const isF64List = (c: Column): c is ListColumn<Float64Array> => !Array.isArray(c) && !ArrayBuffer.isView(c) && c.values instanceof Float64Array;
