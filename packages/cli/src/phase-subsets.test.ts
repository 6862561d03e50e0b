import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EnsembleWeightsSchema, PHASES, ValidationResultsSchema, workspacePaths, type PhaseName } from '@regimen/core';
import { smallWorkflow } from '@regimen/coordinator';
import { cli } from '../test/harness.js';

const YAML: Record<PhaseName, string> = {
  parameter_discovery: `    - name: parameter_discovery
      config: { parameter_space: { lookback: [10, 30], threshold: [0.005, 0.02] } }`,
  regime_analysis: `    - name: regime_analysis
      config: { metrics: [sharpe], min_bars: 10, pbo_blocks: 8 }`, // as smallWorkflow's: 70 CSCV splits, not 12,870
  ensemble_optimization: `    - name: ensemble_optimization
      config: { algorithm: grid, objective: sharpe }`,
  validation: `    - name: validation
      config: { data_split: test, verify_transitions: true }`,
};

const [pd, ra, eo, v] = PHASES as [PhaseName, PhaseName, PhaseName, PhaseName];
const list = (phases: PhaseName[]) => JSON.stringify(phases);

/**
 * Every subset of the four phases in their order, and two out of order: each one runs, or is
 * refused before anything is written with one line (exit 2) naming the phase it lacks.
 */
const CASES: Array<{ phases: PhaseName[]; refused?: string }> = [
  { phases: [pd] },
  { phases: [pd, ra] },
  { phases: [pd, ra, eo] },
  { phases: [pd, ra, v] },
  { phases: [pd, ra, eo, v] },
  { phases: [pd, eo], refused: 'ensemble_optimization needs regime_analysis before it (it reads analysis/regime_optimal_params.json): add that phase to the list' },
  { phases: [pd, v], refused: 'validation needs regime_analysis before it (it reads analysis/regime_optimal_params.json): add that phase to the list' },
  { phases: [pd, eo, v], refused: 'ensemble_optimization needs regime_analysis before it (it reads analysis/regime_optimal_params.json): add that phase to the list' },
  { phases: [ra], refused: 'regime_analysis needs parameter_discovery before it (it reads metadata/trials.json and the trial results): add that phase to the list' },
  { phases: [ra, eo], refused: 'regime_analysis needs parameter_discovery before it (it reads metadata/trials.json and the trial results): add that phase to the list' },
  { phases: [ra, v], refused: 'regime_analysis needs parameter_discovery before it (it reads metadata/trials.json and the trial results): add that phase to the list' },
  { phases: [ra, eo, v], refused: 'regime_analysis needs parameter_discovery before it (it reads metadata/trials.json and the trial results): add that phase to the list' },
  { phases: [eo], refused: "ensemble_optimization needs parameter_discovery before it (it reads the trials' signals): add that phase to the list" },
  { phases: [eo, v], refused: "ensemble_optimization needs parameter_discovery before it (it reads the trials' signals): add that phase to the list" },
  { phases: [v], refused: "validation needs parameter_discovery before it (it reads the trials and the classifiers' models): add that phase to the list" },
  { phases: [pd, ra, v, eo], refused: 'phases must run in the order parameter_discovery → regime_analysis → ensemble_optimization → validation' },
  { phases: [ra, pd], refused: 'phases must run in the order parameter_discovery → regime_analysis → ensemble_optimization → validation' },
];

describe('a workflow of any subset of the phases', () => {
  for (const c of CASES) {
    it(`${c.phases.join(' → ')}: ${c.refused ? 'refused up front' : 'runs'}`, async () => {
      const { dir, config } = smallWorkflow({ bars: 900, phases: c.phases.map((p) => YAML[p]).join('\n') });
      const ws = join(dir, 'ws');
      const r = await cli('run', config, '--out', ws, '--workers', '0', '--quiet', '--no-report');
      if (c.refused) {
        expect(r.code).toBe(2);
        expect(r.err).toBe(`error: ${config}: workflow.phases = ${list(c.phases)}: ${c.refused}\n`);
        expect(existsSync(ws)).toBe(false);
        return;
      }
      expect(r.code, r.err).toBe(0);
      const p = workspacePaths(ws);
      for (const phase of PHASES) expect(existsSync(p.checkpoint(phase)), phase).toBe(c.phases.includes(phase));
      if (!c.phases.includes(v)) return;
      const results = ValidationResultsSchema.parse(JSON.parse(readFileSync(p.validationResults, 'utf8')));
      if (c.phases.includes(eo)) {
        expect(results.weights?.source).toBe('ensemble_optimization');
        expect(results.weights?.by_regime).toEqual(EnsembleWeightsSchema.parse(JSON.parse(readFileSync(p.ensembleWeights, 'utf8')))[results.classifier]);
        expect(r.out).not.toContain('no ensemble_optimization phase');
      } else {
        // the stated default: each strategy's per-regime winner at equal weight, said in the results and the output
        expect(results.weights?.source).toBe('equal_regime_winners');
        const regimes = Object.keys(JSON.parse(readFileSync(p.regimeOptimalParams, 'utf8'))[results.classifier]);
        expect(Object.keys(results.weights!.by_regime).sort()).toEqual(regimes.sort());
        for (const w of Object.values(results.weights!.by_regime)) expect(w).toEqual({ strategy_1: 0.5, strategy_2: 0.5 });
        expect(existsSync(p.ensembleWeights)).toBe(false);
        expect(r.out).toContain("weights: no ensemble_optimization phase, so each strategy's per-regime winner at equal weight");
        expect(results.checks.transitions_verified).toBe(true);
        expect(results.checks.look_ahead?.passed).toBe(true);
        // and the report names the adaptive run for what it is
        expect((await cli('report', ws)).code).toBe(0);
        const data = /id="regimen-data" data-encoding="gzip\+base64">([^<]+)</.exec(readFileSync(p.report, 'utf8'))![1]!;
        expect(gunzipSync(Buffer.from(data, 'base64')).toString('utf8')).toContain('"label":"adaptive (regime winners at equal weight)"');
      }
    }, 30_000);
  }
});

describe('a walk-forward without an ensemble phase', () => {
  it('validates every fold with the equal-winner weights and records them per fold', async () => {
    const wf = `    - name: validation
      config: { data_split: test, method: walk_forward, folds: 3, in_sample: 400, gap: 2 }`;
    const { dir, config } = smallWorkflow({ bars: 1200, phases: [YAML.parameter_discovery, YAML.regime_analysis, wf].join('\n') });
    const ws = join(dir, 'ws');
    const r = await cli('run', config, '--out', ws, '--workers', '0', '--quiet', '--no-report');
    expect(r.code, r.err).toBe(0);
    const results = JSON.parse(readFileSync(join(ws, 'performance', 'walk_forward_results.json'), 'utf8'));
    expect(results.folds).toHaveLength(3);
    for (const [k, f] of results.folds.entries()) {
      const v = ValidationResultsSchema.parse(JSON.parse(readFileSync(workspacePaths(workspacePaths(ws).fold(k)).validationResults, 'utf8')));
      expect(v.weights?.source).toBe('equal_regime_winners');
      expect(f.weights).toEqual(v.weights?.by_regime);
      for (const w of Object.values(f.weights)) expect(w).toEqual({ strategy_1: 0.5, strategy_2: 0.5 });
    }
  }, 60_000);
});
