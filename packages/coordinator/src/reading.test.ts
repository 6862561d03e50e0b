import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng, ManifestSchema, readJsonFile, ResolvedConfigSchema, workspacePaths } from '@regimen/core';
import { runWorkflow } from './run.js';

/** Quote ticks as a broker exports them: seq first, New York wall-clock times, repeated minutes, bid and ask. */
function ticksFile(dir: string): string {
  const rng = createRng(5);
  const rows = ['seq,time,bid,ask'];
  let t = Date.UTC(2021, 2, 1, 9, 30); // wall clock, read as UTC only to step it
  let p = 100;
  for (let i = 0; i < 6000; i++) {
    t += rng.next() < 0.2 ? 0 : 60_000 * (1 + Math.floor(rng.next() * 3));
    // New York skips 02:00–03:00 on 2021-03-14: a broker's clock never shows it
    const wall = new Date(t).toISOString().slice(0, 16);
    if (wall.startsWith('2021-03-14T02')) continue;
    p *= 1 + (rng.next() - 0.5) * 0.004;
    rows.push(`${i},${wall},${p.toFixed(4)},${(p * 1.0002).toFixed(4)}`);
  }
  const path = join(dir, 'ticks.csv');
  writeFileSync(path, rows.join('\n') + '\n');
  return path;
}

describe('a workflow on tick data', () => {
  it('reads, resamples and records every reading choice in config.resolved.json and the data fingerprint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'regimen-ticks-'));
    ticksFile(dir);
    const config = join(dir, 'workflow.yaml');
    writeFileSync(config, `workflow:
  seed: 2
  data:
    path: ticks.csv
    time_column: time
    timezone: America/New_York
    duplicates: last
    price: { mid: [bid, ask] }
    resample: { every: 1h }
  strategies:
    s1: { type: momentum }
  classifiers:
    pattern: {}
  phases:
    - name: parameter_discovery
      config: { parameter_space: { lookback: [5, 10], threshold: [0.001] } }
    - name: regime_analysis
    - name: ensemble_optimization
    - name: validation
`);
    await runWorkflow(config, { outDir: join(dir, 'ws'), workers: 0 });
    const ws = workspacePaths(join(dir, 'ws'));
    const resolved = readJsonFile(ws.configResolved, ResolvedConfigSchema);
    const reading = {
      time_column: 'time', time_format: 'iso', timezone: 'America/New_York', duplicates: 'last',
      price: { mid: ['bid', 'ask'] }, resample: { every: '1h' },
    };
    expect(resolved.data).toMatchObject({ ...reading, column: 'mid(bid,ask)' });
    const manifest = readJsonFile(ws.manifest, ManifestSchema);
    expect(manifest.data_fingerprint.reading).toEqual(reading);
    // hourly bars on the New York clock end on whole hours (New York's offsets are whole hours)
    expect(manifest.data_fingerprint.first.endsWith(':00:00Z')).toBe(true);
    expect(manifest.data_fingerprint.bars).toBeGreaterThan(100);
  });
});
