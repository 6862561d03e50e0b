import { describe, it, expect } from 'vitest';
import { Int64, Table, vectorFromArray } from 'apache-arrow';
import { arrowToRows } from './arrow-rows.js';
import { barsToTable } from './bars-table.js';

describe('arrowToRows', () => {
  it('prints timestamps as ISO text, bigint as number, honours the limit', () => {
    const time = Float64Array.from([Date.UTC(2001, 0, 2), Date.UTC(2001, 0, 2, 9, 30)]);
    const close = Float64Array.from([10, 11]);
    const out = arrowToRows(barsToTable({ time, open: close, high: close, low: close, close }), 5);
    expect(out.numRows).toBe(2);
    expect(out.fields[0]).toEqual({ name: 'time', type: 'Timestamp<MILLISECOND>' });
    expect(out.rows.map((r) => r.time)).toEqual(['2001-01-02', '2001-01-02T09:30:00Z']);
    expect(out.rows[1]!.close).toBe(11);
    const big = new Table({ n: vectorFromArray([1n, 2n ** 40n], new Int64()) });
    expect(arrowToRows(big, 1)).toEqual({ fields: [{ name: 'n', type: 'Int64' }], rows: [{ n: 1 }], numRows: 2 });
    expect(arrowToRows(big).rows[1]!.n).toBe(2 ** 40);
  });
});
