import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonFile } from '../io.js';
import { OverfittingSchema } from './overfitting.js';

describe('analysis/overfitting.json', () => {
  it('refuses a file from before version 2 with one line naming the file and what to do', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'overfitting-')), 'overfitting.json');
    // the shape written before: a stand-in PBO per strategy, all trials and one weight grid
    writeFileSync(path, JSON.stringify({ window: { start: 0, end: 10 }, blocks: 16, strategies: {}, all_trials: null, ensemble_grid: { weight_sets: 5, classifiers: {} } }));
    let error: unknown;
    try {
      readJsonFile(path, OverfittingSchema);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'workspace', file: path, field: 'version' });
    expect((error as Error).message).toMatch(/^written by an earlier Regimen.*--from-phase ensemble_optimization\)$/);
  });
});
