import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PHASES, readJsonFile, TrialPerformanceSchema, type TrialPerformance } from '@regimen/core';
import { runWorkflow } from './run.js';
import { smallWorkflow } from './test-fixtures.js';

const example = fileURLToPath(new URL('../../../plugins/strategy-sma-cross', import.meta.url));
const space = '{ fast: [5, 10], slow: [20, 40] }';

function trials(ws: string, strategy: string): TrialPerformance[] {
  const dir = join(ws, 'performance');
  return readdirSync(dir)
    .filter((f) => /^trial_.*\.json$/.test(f))
    .map((f) => readJsonFile(join(dir, f), TrialPerformanceSchema))
    .filter((t) => t.strategy === strategy)
    .sort((a, b) => JSON.stringify(a.params).localeCompare(JSON.stringify(b.params)));
}

describe('a workflow with a strategy plugin', () => {
  it('loads it by package name, runs it in the pool (WebAssembly) through every phase, with the built-in rule\'s results', async () => {
    const strategies = (mine: string) => `    mine: { ${mine}, side: long_short, parameter_space: ${space} }\n    strategy_2: { type: mean_reversion }`;
    const plugin = smallWorkflow({ bars: 700, strategies: strategies('plugin: "@regimen/strategy-sma-cross"') });
    const builtin = smallWorkflow({ bars: 700, strategies: strategies('type: sma_crossover') });
    const [a, b] = [join(plugin.dir, 'ws'), join(builtin.dir, 'ws')];
    const run = await runWorkflow(plugin.config, { outDir: a, workers: 2 });
    await runWorkflow(builtin.config, { outDir: b, workers: 0 });

    expect(run.ran).toEqual([...PHASES]);
    expect(run.config.strategies.find((s) => s.name === 'mine')).toMatchObject({ type: 'sma-cross', plugin: '@regimen/strategy-sma-cross' });
    const mine = trials(a, 'mine');
    const same = trials(b, 'mine');
    expect(mine.map((t) => t.type)).toEqual(['sma-cross', 'sma-cross', 'sma-cross', 'sma-cross']);
    // the same rule in the same order of operations: identical positions, so identical metrics and signals
    expect(mine.map((t) => [t.params, t.metrics, t.regimes])).toEqual(same.map((t) => [t.params, t.metrics, t.regimes]));
    const events = (ws: string, t: TrialPerformance) => readFileSync(join(ws, t.signals_path!)).length;
    expect(mine.map((t) => events(a, t))).toEqual(same.map((t) => events(b, t)));
    const validation = (ws: string) => JSON.parse(readFileSync(join(ws, 'performance/validation_results.json'), 'utf8'));
    expect(validation(a).checks.look_ahead.passed).toBe(true);
    expect(validation(a).adaptive.metrics).toEqual(validation(b).adaptive.metrics);
  });

  it('names a strategy plugin loaded through workflow.plugins by its type, like a built-in', async () => {
    const wf = smallWorkflow({
      bars: 400, strategies: `    mine: { type: sma-cross, parameter_space: ${space} }`, extra: '  plugins: ["@regimen/strategy-sma-cross"]',
      phases: '    - name: parameter_discovery',
    });
    const run = await runWorkflow(wf.config, { outDir: join(wf.dir, 'ws'), workers: 0 });
    expect(run.config.strategies[0]).toEqual(expect.objectContaining({ name: 'mine', type: 'sma-cross' }));
    expect(run.config.strategies[0]!.plugin).toBeUndefined();
    expect(trials(join(wf.dir, 'ws'), 'mine')).toHaveLength(4);
  });

  it('loads it by path, in process; `type` picks the package\'s strategy by name', async () => {
    const wf = smallWorkflow({ bars: 500, strategies: `    mine: { plugin: ${JSON.stringify(example)}, type: sma-cross, parameter_space: ${space} }`, phases: `    - name: parameter_discovery` });
    const run = await runWorkflow(wf.config, { outDir: join(wf.dir, 'ws'), workers: 0 });
    expect(run.config.strategies[0]).toMatchObject({ name: 'mine', type: 'sma-cross', plugin: example });
    expect(trials(join(wf.dir, 'ws'), 'mine').map((t) => t.params)).toEqual([
      { fast: 10, slow: 20, side: 'long_only' }, { fast: 10, slow: 40, side: 'long_only' },
      { fast: 5, slow: 20, side: 'long_only' }, { fast: 5, slow: 40, side: 'long_only' },
    ]);
  });
});
