import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonFile, UniverseResultsSchema } from '@regimen/core';
import { embeddedDataPath } from '@regimen/data';
import { cli } from '../test/harness.js';

describe('regimen run / status of a universe', () => {
  it('prints each series against every baseline, the sign tests and the portfolios; status has a row per series; report compares the series and links each', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'regimen-universe-cli-'));
    const [head, ...rows] = readFileSync(embeddedDataPath('dowjones30_daily_close.csv'), 'utf8').trim().split('\n');
    writeFileSync(join(dir, 'dow.csv'), [head, ...rows.slice(-600)].join('\n') + '\n');
    writeFileSync(join(dir, 'u.yaml'), `workflow:
  seed: 5
  data: { path: dow.csv, columns: { alcoa: AA, coke: KO } }
  strategies: { s1: { type: momentum } }
  classifiers: { pattern_based: {} }
  phases:
    - name: parameter_discovery
      config: { parameter_space: { lookback: [10, 20], threshold: [0.01] } }
    - name: regime_analysis
      config: { metrics: [sharpe], min_bars: 10 }
    - name: ensemble_optimization
      config: { algorithm: grid }
    - name: validation
      config: { data_split: test }
`);
    const ws = join(dir, 'ws');
    const r = await cli('run', join(dir, 'u.yaml'), '--out', ws, '--workers', '0', '--no-report');
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/✔ alcoa validation/);
    expect(r.err).toMatch(/✔ coke validation/);
    const u = readJsonFile(join(ws, 'performance', 'universe_results.json'), UniverseResultsSchema);
    expect(r.out).toContain('Universe of 2 series');
    for (const s of u.series) expect(r.out).toMatch(new RegExp(`^${s.name}\\s+${s.first} → ${s.last}\\s+${s.bars}\\s+${s.scores.adaptive.toFixed(3)}`, 'm'));
    const c = u.comparisons.buy_and_hold;
    expect(r.out).toMatch(new RegExp(`^buy and hold\\s+${c.wins}\\s+${c.losses}\\s+${c.ties}\\s+${c.p_value!.toFixed(3)}`, 'm'));
    expect(r.out).toMatch(/Equal-weight portfolios of the series/);
    const s = await cli('status', ws);
    expect(s.out).toMatch(/^alcoa\s+AA\s+600\s+done\s+done\s+done\s+done\s+2\/2$/m);
    expect(s.out).toContain('2 of 2 series complete');
    expect((await cli('inspect', join(ws, 'performance', 'universe_results.json'))).err).toContain('universe_results.json: valid');
    // the top page compares the series and links each series' own page, written beside its files
    const top = await cli('report', ws, '--json');
    expect(top.code, top.err).toBe(0);
    const written = JSON.parse(top.out) as { path: string; series: Array<{ path: string }>; warnings: Array<{ subject: string; series?: string[] }> };
    expect(written.path).toBe(join(ws, 'report.html'));
    expect(written.series.map((p) => p.path)).toEqual(['alcoa', 'coke'].map((n) => join(ws, 'series', n, 'report.html')));
    // warnings come one per kind, naming the series that have it
    for (const w of written.warnings) expect(w.subject).toMatch(/^[12] of 2 series$/);
    expect(new Set(written.warnings.map((w) => JSON.stringify(w))).size).toBe(written.warnings.length);
    expect((await cli('report', join(ws, 'series', 'coke'))).code).toBe(0);
  });
});
