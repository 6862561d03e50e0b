import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readValidationEquity, writeValidationEquity, type ValidationEquityFile } from './validation-equity.js';
import { readArrowTable } from './arrow-file.js';

const dir = mkdtempSync(join(tmpdir(), 'regimen-equity-'));
const file: ValidationEquityFile = {
  meta: { kind: 'regimen.validation_equity', classifier: 'hmm', split: 'test', start: 7, runs: ['adaptive', 'buy_and_hold', 'adaptive:pattern'] },
  time: Float64Array.from([0, 1, 2], (d) => Date.UTC(2001, 0, 1) + d * 86_400_000),
  equity: { adaptive: Float64Array.from([1, 1.1, 0.9]), buy_and_hold: Float64Array.from([1, 0.5, 2 / 3]), 'adaptive:pattern': Float64Array.from([1, 1, 1]) },
};

describe('validation equity file', () => {
  it('round-trips times, runs in order and every equity value', () => {
    const p = join(dir, 'validation_equity.arrow');
    writeValidationEquity(p, file);
    expect(readValidationEquity(p)).toEqual(file);
    expect(readArrowTable(p).schema.fields.map((f) => f.name)).toEqual(['time', 'adaptive', 'buy_and_hold', 'adaptive:pattern']);
  });

  it('refuses a run without its column of the right length', () => {
    expect(() => writeValidationEquity(join(dir, 'x.arrow'), { ...file, equity: { ...file.equity, buy_and_hold: new Float64Array(2) } })).toThrow(/buy_and_hold.*3 values/);
  });
});
