import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManifestSchema, readJsonFile, ValidationTradesSchema, workspacePaths } from '@regimen/core';
import { embeddedDataPath } from '@regimen/data';
import { runWorkflow, smallWorkflow } from '@regimen/coordinator';
import { realDataPath } from '@regimen/plugin-testkit';
import { replay } from './replay.js';

/** Run a small workflow into <dir>/ws and return the workspace. */
async function workspace(w: ReturnType<typeof smallWorkflow>): Promise<string> {
  const ws = join(w.dir, 'ws');
  await runWorkflow(w.config, { outDir: ws, workers: 0 });
  return ws;
}

/** Every validation bar decided from bars 0..t through advance equals phase 4's decision, trade for trade. */
async function expectParity(dir: string, work: string | RegExp = 'stepped'): Promise<void> {
  const r = await replay(dir);
  expect(r.mismatch).toBeNull();
  // which path was proven: the step hooks (every built-in plugin has them) or the full recomputation
  expect(r.work).toMatch(work);
  const { trades } = readJsonFile(workspacePaths(dir).validationTrades, ValidationTradesSchema);
  expect(r.trades).toBe(trades.length);
  expect(trades.length).toBeGreaterThan(0);
  expect(r.end).toBe(readJsonFile(workspacePaths(dir).manifest, ManifestSchema).data_fingerprint.bars);
  expect(r.compared.some((f) => f.endsWith('validation_equity.arrow'))).toBe(true);
}

const lastRows = (file: string, rows: number) => {
  const [head, ...body] = readFileSync(file, 'utf8').trim().split('\n');
  return [head, ...body.slice(-rows)].join('\n') + '\n';
};

describe('regimen signal --replay: live decisions equal validation\'s, bit for bit', () => {
  it('a single split (both classifiers, a long/short and a long-only strategy); an edited trade is named', async () => {
    const ws = await workspace(smallWorkflow({ bars: 1000 }));
    await expectParity(ws);
    // the comparison can fail: flip one recorded trade and replay names that bar
    const file = workspacePaths(ws).validationTrades;
    const t = readJsonFile(file, ValidationTradesSchema);
    const k = Math.floor(t.trades.length / 2);
    t.trades[k]!.to_position = t.trades[k]!.to_position === 0 ? 0.5 : 0;
    writeFileSync(file, JSON.stringify(t));
    const r = await replay(ws);
    expect(r.mismatch).toMatchObject({ bar: t.trades[k]!.bar, field: 'target_position' });
  });

  it('the last fold of a walk-forward', async () => {
    const validation = '{ data_split: test, method: walk_forward, folds: 3, scheme: rolling, in_sample: 500, gap: 3 }';
    const ws = await workspace(smallWorkflow({ bars: 1100, validation }));
    const m = readJsonFile(workspacePaths(ws).manifest, ManifestSchema);
    const r = await replay(ws);
    expect(r.mismatch).toBeNull();
    expect(r.work).toBe('stepped');
    expect(r.first).toBe(m.folds![2]!.out_of_sample.start);
    expect(r.workspace).toBe(ws);
    const { trades } = readJsonFile(workspacePaths(ws).fold(2) + '/analysis/validation_trades.json', ValidationTradesSchema);
    expect(r.trades).toBe(trades.length);
  });

  it('a series of a universe', async () => {
    const w = smallWorkflow({
      files: { 'dow.csv': lastRows(embeddedDataPath('dowjones30_daily_close.csv'), 700) },
      data: '{ path: dow.csv, columns: { alcoa: AA, coke: KO }, split: { train_fraction: 0.7 } }',
    });
    const ws = await workspace(w);
    await expectParity(join(ws, 'series', 'coke'));
  });

  it('a strategy plugin (plugins/strategy-sma-cross)', async () => {
    const ws = await workspace(smallWorkflow({
      bars: 900,
      strategies: `    mine: { plugin: "@regimen/strategy-sma-cross", side: long_short, parameter_space: { fast: [5, 10], slow: [20, 40] } }
    strategy_2: { type: mean_reversion }`,
    }));
    // the sma-cross plugin has no step hook: every decision is recomputed over bars 0..t, and says so
    await expectParity(ws, /^recomputed over bars 0\.\.t \(strategy plugin "sma-cross" \(mine\) has no step hook\)$/);
  });

  it('intraday data (USD/CHF 30-minute bars)', async () => {
    const ws = await workspace(smallWorkflow({
      files: { 'fx.csv': lastRows(realDataPath('usdchf_30min.csv'), 1200) },
      data: '{ path: fx.csv, split: { train_fraction: 0.7 } }',
    }));
    expect(readJsonFile(workspacePaths(ws).manifest, ManifestSchema).bars_per_year).toBeGreaterThan(252 * 10);
    await expectParity(ws);
  });
});
