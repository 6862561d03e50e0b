import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtMissing, requireOrSkip } from '@regimen/plugin-testkit';
import { workspacePaths } from '@regimen/core';
import { runWorkflow } from './run.js';
import { smallWorkflow } from './test-fixtures.js';

/** Every analysis and validation file of a workspace, by name → bytes. */
function results(dir: string): Map<string, string> {
  const p = workspacePaths(dir);
  const out = new Map<string, string>();
  for (const f of readdirSync(p.analysis)) out.set(`analysis/${f}`, readFileSync(join(p.analysis, f), 'utf8'));
  out.set('performance/validation_results.json', readFileSync(p.validationResults, 'utf8'));
  return out;
}

// the pool loads the built worker (dist/), which `npm ci` makes; skipped if never built, a failure under CI=true
const built = !requireOrSkip('the built backtester', builtMissing(new URL('../../backtester/dist/worker.js', import.meta.url)));

describe('determinism', () => {
  it.skipIf(!built)('gives byte-identical analysis and validation files with 0 and 2 workers', async () => {
    const { dir, config } = smallWorkflow({ ensemble: '{ algorithm: genetic, objective: minimize_regime_drawdown, algorithm_options: { population: 8, generations: 3 } }' });
    await runWorkflow(config, { outDir: join(dir, 'a'), workers: 0 });
    await runWorkflow(config, { outDir: join(dir, 'b'), workers: 2 });
    const a = results(join(dir, 'a'));
    const b = results(join(dir, 'b'));
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    expect(a.size).toBeGreaterThanOrEqual(6);
    for (const [name, text] of a) expect(b.get(name), name).toBe(text);
  });
});
