import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnsembleWeightsSchema, readJsonFile, workspacePaths } from '@regimen/core';
import { runWorkflow } from './run.js';
import { smallWorkflow } from './test-fixtures.js';

type Report = Record<string, { regimes: Record<string, { score: number | null }> }>;

describe('phase 3 with the genetic optimizer', () => {
  it('keeps sum-to-one and min_weight exactly, repeats under a seed, and does at least as well per regime as the seed grid', async () => {
    const genetic = '{ algorithm: genetic, objective: minimize_regime_drawdown, weight_constraints: { sum_to_one: true, min_weight: 0.1 }, algorithm_options: { population: 12, generations: 6 } }';
    const grid = '{ algorithm: grid, objective: minimize_regime_drawdown, weight_space: { strategy_1: [0, 0.5, 1], strategy_2: [0, 0.5, 1] }, weight_constraints: { sum_to_one: true, min_weight: 0.1 } }';
    const a = smallWorkflow({ ensemble: genetic });
    const g = smallWorkflow({ ensemble: grid });
    await runWorkflow(a.config, { outDir: join(a.dir, 'a'), workers: 0 });
    await runWorkflow(a.config, { outDir: join(a.dir, 'b'), workers: 0 });
    await runWorkflow(g.config, { outDir: join(g.dir, 'g'), workers: 0 });
    const pa = workspacePaths(join(a.dir, 'a'));
    const pb = workspacePaths(join(a.dir, 'b'));
    const pg = workspacePaths(join(g.dir, 'g'));

    expect(readFileSync(pb.ensembleWeights, 'utf8')).toBe(readFileSync(pa.ensembleWeights, 'utf8'));
    const weights = readJsonFile(pa.ensembleWeights, EnsembleWeightsSchema);
    for (const byRegime of Object.values(weights)) {
      for (const w of Object.values(byRegime)) {
        const values = Object.values(w);
        expect(values.reduce((s, x) => s + x, 0)).toBe(1);
        for (const x of values) expect(x).toBeGreaterThanOrEqual(0.1);
      }
    }
    const ga = JSON.parse(readFileSync(join(pa.analysis, 'ensemble_report.json'), 'utf8')) as Report;
    const gr = JSON.parse(readFileSync(join(pg.analysis, 'ensemble_report.json'), 'utf8')) as Report;
    let compared = 0;
    for (const [c, rep] of Object.entries(gr)) {
      for (const [regime, best] of Object.entries(rep.regimes)) {
        if (best.score === null) continue;
        expect(ga[c]!.regimes[regime]!.score!, `${c}/${regime}`).toBeGreaterThanOrEqual(best.score);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(3);
  });
});
