import { DataType, Vector, type Table } from 'apache-arrow';
import { isoTime } from './time.js';

export interface ArrowRows {
  fields: Array<{ name: string; type: string }>;
  rows: Record<string, unknown>[];
  numRows: number;
}

// JSON-friendly values for `regimen inspect`: instants as ISO text, 64-bit integers as numbers
// (exact up to 2^53, which covers every count and epoch-ms here), nested values as plain arrays/objects.
function plain(v: unknown, type: DataType): unknown {
  if (v === null || v === undefined) return null;
  if ((DataType.isTimestamp(type) || DataType.isDate(type)) && typeof v === 'number') return isoTime(v);
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Vector) return Array.from(v as Iterable<unknown>, (x) => plain(x, v.type.children?.[0]?.type ?? v.type));
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number | bigint>, (x) => (typeof x === 'bigint' ? Number(x) : x));
  if (typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') return (v as { toJSON(): unknown }).toJSON();
  return v;
}

/** The first `limit` rows (all when omitted) as plain objects, with each field's Arrow type. */
export function arrowToRows(table: Table, limit?: number): ArrowRows {
  const fields = table.schema.fields;
  const count = Math.min(table.numRows, limit ?? table.numRows);
  const cols = fields.map((_, j) => table.getChildAt(j)!);
  const rows: Record<string, unknown>[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const row: Record<string, unknown> = {};
    fields.forEach((f, j) => {
      row[f.name] = plain(cols[j]!.get(i), f.type);
    });
    rows[i] = row;
  }
  return { fields: fields.map((f) => ({ name: f.name, type: String(f.type) })), rows, numRows: table.numRows };
}
