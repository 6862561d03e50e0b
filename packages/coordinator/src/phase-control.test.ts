import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  readJsonFile,
  RegimeOptimalParamsSchema,
  TrialsFileSchema,
  ValidationTradesSchema,
  workspacePaths,
  writeJsonAtomic,
} from '@regimen/core';
import { runWorkflow } from './run.js';
import { smallWorkflow } from './test-fixtures.js';

describe('running part of a workflow', () => {
  it('--from-phase reruns later phases on a hand-edited analysis file, and uses the edit', async () => {
    const { dir, config } = smallWorkflow();
    const ws = join(dir, 'ws');
    await runWorkflow(config, { outDir: ws, workers: 0 });
    const p = workspacePaths(ws);
    const trialsBefore = readFileSync(p.trials, 'utf8');

    // a person decides that strategy_1 should use the same trial in every hmm regime
    const optimal = readJsonFile(p.regimeOptimalParams, RegimeOptimalParamsSchema);
    const chosen = Object.values(optimal.hmm!)[0]!.strategy_1!;
    for (const regime of Object.keys(optimal.hmm!)) optimal.hmm![regime]!.strategy_1 = chosen;
    writeJsonAtomic(p.regimeOptimalParams, optimal);

    const r = await runWorkflow(config, { outDir: ws, workers: 0, fromPhase: 'ensemble_optimization' });
    expect(r.ran).toEqual(['ensemble_optimization', 'validation']);
    expect(readFileSync(p.trials, 'utf8')).toBe(trialsBefore); // phase 1 untouched
    const trades = readJsonFile(p.validationTrades, ValidationTradesSchema).trades;
    const used = new Set(trades.filter((t) => t.params.strategy_1).map((t) => JSON.stringify(t.params.strategy_1)));
    expect([...used]).toEqual([JSON.stringify(chosen.params)]);
  });

  it('runs phase 1 with the genetic optimizer, deterministically under the seed', async () => {
    const phases = `    - name: parameter_discovery
      config:
        algorithm: genetic
        algorithm_options: { population: 6, generations: 3, patience: 3 }
        parameter_space: { lookback: { min: 5, max: 60, step: 5 }, threshold: { min: 0, max: 0.03, step: 0.005 } }
    - name: regime_analysis
    - name: ensemble_optimization
      config: { algorithm: grid }`;
    const a = smallWorkflow({ phases });
    await runWorkflow(a.config, { outDir: join(a.dir, 'a'), workers: 0 });
    await runWorkflow(a.config, { outDir: join(a.dir, 'b'), workers: 0 });
    const ta = readJsonFile(workspacePaths(join(a.dir, 'a')).trials, TrialsFileSchema).trials;
    const tb = readJsonFile(workspacePaths(join(a.dir, 'b')).trials, TrialsFileSchema).trials;
    expect(tb).toEqual(ta);
    // 2 strategies × at most 6 × 3 asks, no trial run twice
    expect(ta.length).toBeGreaterThan(6);
    expect(ta.length).toBeLessThanOrEqual(36);
    expect(new Set(ta.map((t) => t.trial_id)).size).toBe(ta.length);
    const ws = workspacePaths(join(a.dir, 'a'));
    const e = readFileSync(join(ws.analysis, 'ensemble_weights.json'), 'utf8');
    expect(e).toBe(readFileSync(join(workspacePaths(join(a.dir, 'b')).analysis, 'ensemble_weights.json'), 'utf8'));
  });
});
