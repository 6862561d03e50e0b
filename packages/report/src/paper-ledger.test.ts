import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPaperLedger } from './paper-ledger.js';

const identity = { workflow_id: 'w', config_hash: 'c', data_fingerprint: 'd', history_bars: 10, regimen_version: '0.1.0' };
const open = { type: 'open', identity, costs: { fee: 0.001, slippage: 0 }, driving_classifier: 'hmm', bar: 9, time: '2020-01-10', close: 100, position: 0.5, equity: 1, recorded_at: 'x' };
const fill = (bar: number, equity: number) => ({ type: 'fill', bar, time: `2020-01-${bar + 2}`, close: 101, regime: 'bull', previous_position: 0.5, position: 0.5, trade: 0, fill_price: 101, cost: 0, return: 0.005, equity, recorded_at: 'x' });

describe('reading live/paper.jsonl for the report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'regimen-ledger-'));
  const file = join(dir, 'paper.jsonl');

  it('reads the opening line and the fills; leaves out a torn final line without touching the file', () => {
    const text = [open, { type: 'source', data: '/d.csv', bars: 12, last: '2020-01-12', recorded_at: 'x' }, fill(10, 1.005), fill(11, 1.010025)].map((l) => JSON.stringify(l)).join('\n') + '\n';
    writeFileSync(file, text + JSON.stringify(fill(12, 1.01)).slice(0, 30));
    const l = readPaperLedger(file)!;
    expect(l.open.bar).toBe(9);
    expect(l.fills.map((f) => f.equity)).toEqual([1.005, 1.010025]);
    expect(readFileSync(file, 'utf8').length).toBeGreaterThan(text.length);
  });

  it('is undefined without a ledger; a bad line is one error naming the file, line and field', () => {
    expect(readPaperLedger(join(dir, 'none.jsonl'))).toBeUndefined();
    writeFileSync(file, JSON.stringify(open) + '\n' + JSON.stringify({ ...fill(10, 1), equity: 'high' }) + '\n');
    expect(() => readPaperLedger(file)).toThrow(expect.objectContaining({ file: `${file}:2`, field: 'equity', value: 'high' }));
  });
});
