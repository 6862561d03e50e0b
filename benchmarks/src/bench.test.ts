import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtMissing, requireOrSkip } from '@regimen/plugin-testkit';
import { randomWalk, smaCrossReference, standardSmaCrossGrid } from '@regimen/kernel';
import { redisServerMissing } from '@regimen/executor-redis';
import { checksums, parseBenchArgs, runBench, writeResult, type DistributedResult, type PboBenchResult, type Phase1Result, type ReplayResult, type SmaCrossResult, type StrategyPluginResult, type WorkflowResult } from './index.js';

// the workflow suite runs the built code in a child process, as a user's `regimen run` does
const built = !requireOrSkip('the built benchmarks', builtMissing(new URL('../dist/workflow-child.js', import.meta.url)));
// the distributed suite starts `regimen worker` processes (the built cli) on a redis-server of its own
const workersBuilt = !requireOrSkip('the built cli and redis-server', builtMissing(new URL('../../packages/cli/dist/index.js', import.meta.url)) ?? redisServerMissing());

describe('benchmarks', () => {
  it('parses suite options and rejects bad ones with one line', () => {
    const o = parseBenchArgs(['--bars', '5000', '--workers=1', '--engine', 'js', '--json']);
    expect(o).toMatchObject({ bars: 5000, workers: 1, engine: 'js', json: true });
    expect(parseBenchArgs(['--workspace', 'results/x']).workspace).toBe('results/x');
    expect(parseBenchArgs(['--space', '5-D', '--methods', 'tpe,uniform random'])).toMatchObject({ space: '5-D', methods: ['tpe', 'uniform random'] });
    expect(() => parseBenchArgs(['--workers', '0'])).toThrow(/--workers/);
    expect(() => parseBenchArgs(['--engine', 'c'])).toThrow(/wasm or js/);
    expect(() => parseBenchArgs(['--frobnicate'])).toThrow(/unknown/);
    expect(parseBenchArgs(['--universe', '--series', '4', '--workers-list', '1,2,4', '--analysis-series', '0'])).toMatchObject({ universe: true, series: 4, workersList: [1, 2, 4], analysisSeries: 0 });
    expect(parseBenchArgs([])).toMatchObject({ universe: false, analysisSeries: 1 });
    expect(() => parseBenchArgs(['--analysis-series', '-1'])).toThrow(/--analysis-series needs a whole number/);
    expect(() => parseBenchArgs(['--workers-list', '1,0'])).toThrow(/--workers-list/);
  });

  it('sma-cross reports the reference checksums and the JSON fields', async () => {
    const [r] = (await runBench('sma-cross', ['--bars', '1200', '--workers', '2', '--seed', '5'])) as SmaCrossResult[];
    const want = checksums(smaCrossReference(randomWalk(1200, 5), standardSmaCrossGrid()));
    expect(r).toMatchObject({ suite: 'sma-cross', bars: 1200, trials: 2500, workers: 2, engine: 'wasm' });
    expect(r.checksums.trades).toBe(want.trades);
    expect(r.checksums.sharpe).toBeCloseTo(want.sharpe, 9);
    expect(r.bar_trials_per_s).toBeCloseTo((1200 * 2500) / r.seconds, 0);
    const dir = mkdtempSync(join(tmpdir(), 'bench-'));
    try {
      const path = writeResult(r, dir);
      expect(readdirSync(dir)).toHaveLength(1);
      expect(JSON.parse(readFileSync(path, 'utf8')).checksums).toEqual(r.checksums);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('phase1 runs the full mode end to end, writing every trial\'s two files, after checking the reference', async () => {
    const [r] = (await runBench('phase1', ['--bars', '3000', '--trials', '12', '--workers', '2'])) as Phase1Result[];
    expect(r).toMatchObject({ suite: 'phase1', bars: 3000, trials: 12, workers: 2, engine: 'wasm' });
    expect(r.end_to_end.files).toBe(24);
    expect(r.checked_trials).toBeGreaterThanOrEqual(2);
    expect(r.overhead).toBeCloseTo(r.end_to_end.seconds / r.kernel_pool.seconds, 9);
  });

  it('pbo times the CSCV walk in TypeScript and WebAssembly on the same candidates, the same bits', async () => {
    const [r] = (await runBench('pbo', ['--weight-sets', '30', '--pbo-blocks', '8'])) as PboBenchResult[];
    expect(r).toMatchObject({ suite: 'pbo', blocks: 8, weight_sets: 30, bars: 2529, repeat: 1 });
    expect(r.entries.map((e) => [e.objective, e.candidates, e.splits, e.identical])).toEqual([
      ['minimize_regime_drawdown', 30, 70, true], ['sharpe', 30, 70, true], ['sortino', 30, 70, true],
    ]);
    expect(r.speedup).toBeCloseTo(r.ts_seconds / r.wasm_seconds, 9);
  });

  it('replay scores weight sets and checks them against the reference and a full re-backtest', async () => {
    const [r] = (await runBench('replay', ['--bars', '3000', '--weight-sets', '20', '--sample-seconds', '0', '--repeat', '3'])) as ReplayResult[];
    expect(r).toMatchObject({ suite: 'replay', bars: 3000, weight_sets: 20, strategies: 2, regimes: 3, checked_sets: 6 }); // one set at each lane position of the kernel's four-set passes, and more
    // like for like: one thread each, and the pool each; each round's ratio of two samples taken back to back
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
    expect(r.ratios_thread.map((x, i) => x - r.full.samples[i]! / r.replay_thread.samples[i]!).every((d) => Math.abs(d) < 1e-9)).toBe(true);
    expect(r.ratios.map((x, i) => x - r.full_pool.samples[i]! / r.replay.samples[i]!).every((d) => Math.abs(d) < 1e-9)).toBe(true);
    expect([r.ratios_thread.length, r.ratios.length, r.replay.samples.length]).toEqual([3, 3, 3]);
    expect(r.speedup_thread).toBe(median(r.ratios_thread));
    expect(r.speedup).toBe(median(r.ratios));
  });

  it.skipIf(!built)('workflow runs the seed workflow end to end on generated minute bars, per phase and stage', async () => {
    const [r] = (await runBench('workflow', ['--bars', '3000', '--workers', '2'])) as WorkflowResult[];
    expect(r).toMatchObject({ suite: 'workflow', bars: 3000, workers: 2, config: 'examples/seed-workflow.yaml', checks: { look_ahead: true, transitions_verified: true } });
    expect(r.phases.map((p) => p.phase)).toEqual(['parameter_discovery', 'regime_analysis', 'ensemble_optimization', 'validation']);
    expect(Object.keys(r.phases[0]!.stages)).toEqual(expect.arrayContaining(['fit', 'label', 'trials', 'backtests_cpu', 'files_cpu', 'tables']));
    expect(Object.keys(r.phases[2]!.stages)).toEqual(expect.arrayContaining(['replay', 'files']));
    const staged = r.phases[0]!.stages;
    expect(staged.fit! + staged.label! + staged.trials! + staged.tables!).toBeLessThanOrEqual(r.phases[0]!.seconds);
    expect(r.seconds).toBeGreaterThan(r.phases.reduce((a, p) => a + p.seconds, 0) + r.load_seconds);
    expect(r.peak_rss_bytes).toBeGreaterThan(20 * 2 ** 20);
  });

  it('strategy-plugin times the built-in, the AssemblyScript and the TypeScript plugin after checking they agree', async () => {
    const [r] = (await runBench('strategy-plugin', ['--bars', '3000', '--trials', '12', '--workers', '2'])) as StrategyPluginResult[];
    expect(r).toMatchObject({ suite: 'strategy-plugin', bars: 3000, trials: 12, workers: 2 });
    expect(r.variants.map((v) => v.type)).toEqual(['sma_crossover', 'sma-cross', 'sma-cross-ts']);
    expect(r.variants[0]!.vs_builtin).toBe(1);
    for (const v of r.variants) expect(v.bar_trials_per_s).toBeCloseTo((3000 * 12) / v.seconds, 0);
    expect(r.targets.assemblyscript.got).toBe(r.variants[1]!.vs_builtin);
    expect(r.checked_trials).toBeGreaterThanOrEqual(6);
  });

  it('rejects an unknown suite', async () => {
    await expect(runBench('nope')).rejects.toThrow(/unknown benchmark suite/);
  });

  it.skipIf(!workersBuilt)('distributed runs the grid through Redis and 2 worker processes, rows identical to the local pool', async () => {
    const [r] = (await runBench('distributed', ['--bars', '2000', '--workers', '2'])) as DistributedResult[];
    expect(r).toMatchObject({ suite: 'distributed', bars: 2000, trials: 2500, workers: 2, rows_identical: true, round_trip_ms: { samples: 30 } });
    expect(r.batches).toBe(40);
    expect(r.ratio).toBeCloseTo(r.local.seconds / r.distributed.seconds, 9);
  }, 180_000);
});

describe('data suite files', () => {
  it('writes the generated minute series as CSV text that loads back to the same numbers', async () => {
    const { minuteSeries, writeMinuteCsv } = await import('./data-suite.js');
    const { loadMarketData } = await import('@regimen/data');
    const dir = mkdtempSync(join(tmpdir(), 'bench-data-'));
    try {
      const s = minuteSeries(3000, 4);
      const p = join(dir, 'm.csv');
      writeMinuteCsv(p, s);
      expect(readFileSync(p, 'utf8').split('\n').slice(0, 2)).toEqual(['timestamp,close', `2020-01-01T00:00:00Z,${s.columns[0]!.numbers![0]!.toFixed(6)}`]);
      const md = loadMarketData(p);
      expect(Array.from(md.bars.time)).toEqual(Array.from(s.time));
      expect(Array.from(md.bars.close)).toEqual(Array.from(s.columns[0]!.numbers!));
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
