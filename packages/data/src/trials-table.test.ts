import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METRIC_NAMES } from '@regimen/core';
import { readTrialsTable, writeTrialsTable, type TrialsTableRow } from './trials-table.js';
import { readArrowTable } from './arrow-file.js';
import { arrowToRows } from './arrow-rows.js';

const dir = mkdtempSync(join(tmpdir(), 'regimen-trials-'));
const metrics = (s: number) => ({ sharpe: s, sortino: s * 1.3, max_drawdown: 0.2, total_return: 0.5, cagr: 0.04, volatility: 0.15, trades: 12, exposure: 0.6 });
const rows: TrialsTableRow[] = [
  { trial_id: 't0', strategy: 'strategy_1', type: 'momentum', params: { lookback: 20, threshold: 0.01 }, metrics: metrics(1.1) },
  { trial_id: 't1', strategy: 'strategy_2', type: 'breakout', params: { side: 'long_only', window: 55, strict: true }, metrics: metrics(-0.4) },
];

describe('trials table', () => {
  it('one row per trial: text columns, params as JSON, one Float64 column per metric', () => {
    const p = join(dir, 'trials.arrow');
    writeTrialsTable(p, rows);
    const t = readArrowTable(p);
    expect(t.schema.fields.map((f) => f.name)).toEqual(['trial_id', 'strategy', 'type', 'params', ...METRIC_NAMES]);
    expect(t.schema.fields.slice(4).every((f) => String(f.type) === 'Float64')).toBe(true);
    const view = arrowToRows(t, 1);
    expect(view.numRows).toBe(2);
    expect(view.rows).toEqual([{ trial_id: 't0', strategy: 'strategy_1', type: 'momentum', params: '{"lookback":20,"threshold":0.01}', ...metrics(1.1) }]);
    expect(readTrialsTable(p)).toEqual(rows);
  });
  it('an empty table', () => {
    const p = join(dir, 'none.arrow');
    writeTrialsTable(p, []);
    expect(readTrialsTable(p)).toEqual([]);
  });
});
