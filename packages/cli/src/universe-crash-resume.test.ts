import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTempFiles, workspacePaths } from '@regimen/core';
import { embeddedDataPath } from '@regimen/data';
import { runWorkflow } from '@regimen/coordinator';
import { built, count, killWhen } from '../test/kill.js';

/** Every file a finished universe's results are made of: each series' analysis and validation, the universe's own. */
function resultFiles(ws: string, series: string[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const top = workspacePaths(ws);
  for (const f of [top.universeResults, top.universeEquity]) out.set(relative(ws, f), readFileSync(f));
  for (const s of series) {
    const p = workspacePaths(top.seriesDir(s));
    for (const f of readdirSync(p.analysis)) out.set(relative(ws, join(p.analysis, f)), readFileSync(join(p.analysis, f)));
    for (const f of [p.validationResults, p.validationEquity, p.trialsTable]) out.set(relative(ws, f), readFileSync(f));
  }
  return out;
}

describe('a universe killed and resumed', () => {
  it.skipIf(!built)('SIGKILL in the first series\' phase 1, between series, and in the last series\' phase 3; resumed: byte-identical results, no temp file left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'regimen-universe-crash-'));
    const [head, ...rows] = readFileSync(embeddedDataPath('dowjones30_daily_close.csv'), 'utf8').trim().split('\n');
    writeFileSync(join(dir, 'dow.csv'), [head, ...rows.slice(-700)].join('\n') + '\n');
    const config = join(dir, 'u.yaml');
    writeFileSync(config, `workflow:
  seed: 9
  data: { path: dow.csv, columns: { alcoa: AA, coke: KO, ge: GE } }
  strategies:
    s1: { type: momentum, side: long_short }
    s2: { type: mean_reversion }
  classifiers: { pattern_based: {} }
  phases:
    - name: parameter_discovery
      config: { parameter_space: { lookback: { min: 5, max: 55, step: 10 }, threshold: [0.005, 0.01, 0.02] } }
    - name: regime_analysis
      config: { metrics: [sharpe], min_bars: 10, pbo_blocks: 8 }  # 70 CSCV splits, not 12,870: the PBO stays cheap, its bytes are still compared
    - name: ensemble_optimization
      config: { algorithm: genetic, objective: sharpe, algorithm_options: { population: 16, generations: 30, patience: 30 } }
    - name: validation
      config: { data_split: test }
`);
    const series = ['alcoa', 'coke', 'ge'];
    const ref = join(dir, 'reference');
    await runWorkflow(config, { outDir: ref, workers: 0 });

    const ws = join(dir, 'crashed');
    const s = (name: string) => workspacePaths(workspacePaths(ws).seriesDir(name));
    await killWhen(config, ws, () => count(s('alcoa').performance, /^trial_.*\.json$/) >= 12, ['--no-report']);
    expect(existsSync(s('alcoa').checkpoint('parameter_discovery'))).toBe(false);
    await killWhen(config, ws, () => existsSync(s('coke').manifest), ['--no-report']);
    expect(existsSync(s('alcoa').checkpoint('validation'))).toBe(true);
    await killWhen(config, ws, () => count(s('ge').performance, /^ensemble_trial_.*\.json$/) >= 10, ['--no-report']);
    expect(existsSync(s('ge').checkpoint('ensemble_optimization'))).toBe(false);
    expect(existsSync(workspacePaths(ws).universeResults)).toBe(false);

    const said: string[] = [];
    await runWorkflow(config, { outDir: ws, workers: 0, resume: true, onEvent: (e) => e.type === 'info' && said.push(e.message) });
    expect(said.some((m) => /took over a stale lock left by pid \d+ \(that process is (gone|a zombie)/.test(m))).toBe(true);
    const a = resultFiles(ref, series);
    const b = resultFiles(ws, series);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [name, bytes] of a) expect(b.get(name)!.equals(bytes), name).toBe(true);
    expect(findTempFiles(ws)).toEqual([]);
    expect(existsSync(join(ws, '.lock'))).toBe(false);
  }, 240_000);
});
