import { fileURLToPath } from 'node:url';
import type { PluginSource, TrialSpec } from '@regimen/core';
import { localExecutor, useStrategySources, type TrialJob } from '@regimen/backtester';
import { createWasmEngine, referenceEngine } from '@regimen/kernel';
import type { BenchOptions } from './options.js';
import { loadPrices } from './prices.js';
import { assertSameRow, benchRegimes, closeOnlyBars, median, now } from './workload.js';

interface Variant {
  variant: string;
  type: string;
  seconds: number;
  runs: number[];
  bar_trials_per_s: number;
  /**
   * throughput / the built-in's: the median over rounds of (built-in seconds / these seconds) within
   * a round — the three run back to back, so a busy machine slows all three alike
   */
  vs_builtin: number;
}

export interface StrategyPluginResult {
  suite: 'strategy-plugin';
  bars: number;
  trials: number;
  workers: number;
  prices: string;
  variants: Variant[];
  /** issue 14: the AssemblyScript plugin ≥ 0.8× the built-in, the TypeScript plugin ≥ 0.3× */
  targets: { assemblyscript: { want: number; got: number; met: boolean }; typescript: { want: number; got: number; met: boolean } };
  /** trials whose rows were checked identical across the three and to the reference engine */
  checked_trials: number;
}

/** dist/<file>, also when this module runs from src/ (workers import JavaScript, by path) */
function builtModule(file: string): string {
  const here = import.meta.url;
  return fileURLToPath(new URL(/\/src\/[^/]+$/.test(here) ? `../dist/${file}` : `./${file}`, here));
}

/**
 * `count` (fast, slow) pairs spread evenly over the standard sma-cross grid, fast ∈ {2,4,…,100}
 * × slow ∈ {10,20,…,500} — every window size a real search visits, not just its first corner.
 */
function grid(count: number): Array<{ fast: number; slow: number }> {
  const all: Array<{ fast: number; slow: number }> = [];
  for (let f = 2; f <= 100; f += 2) for (let s = 10; s <= 500; s += 10) all.push({ fast: f, slow: s });
  const n = Math.min(count, all.length);
  return Array.from({ length: n }, (_, i) => all[Math.floor((i * all.length) / n)]!);
}

/**
 * The same rule three ways through the same pool, as phase 1 runs it (two classifiers' regimes,
 * no signals): the kernel's own sma_crossover, the example plugin @regimen/strategy-sma-cross
 * with its AssemblyScript build, and the same plugin's TypeScript positions alone. Before any
 * timing, a sample of trials must give identical rows all three ways and equal the reference.
 */
export async function strategyPluginSuite(o: BenchOptions): Promise<StrategyPluginResult> {
  const { prices, source } = await loadPrices(o);
  const bars = closeOnlyBars(prices);
  const pairs = grid(o.trials);
  const sources: PluginSource[] = [
    { spec: '@regimen/strategy-sma-cross', from: fileURLToPath(new URL('.', import.meta.url)) },
    { spec: builtModule('sma-cross-ts-plugin.js'), from: fileURLToPath(new URL('.', import.meta.url)) },
  ];
  await useStrategySources(sources);
  const kinds = [
    { variant: 'built-in sma_crossover (kernel)', type: 'sma_crossover' },
    { variant: 'AssemblyScript plugin', type: 'sma-cross' },
    { variant: 'TypeScript plugin', type: 'sma-cross-ts' },
  ];
  const trialsOf = (type: string): TrialSpec[] => pairs.map((p, i) => ({ trial_id: `${type}-${i}`, strategy: 's', type, params: { ...p, side: 'long_short' } }));
  const job = (type: string): TrialJob => ({
    bars, window: { start: 0, end: prices.length }, trials: trialsOf(type), regimes: benchRegimes(prices),
    costs: { fee: 0.001, slippage: 0.0005 }, barsPerYear: 252, captureSignals: false,
  });

  // the check: a sample, three ways and the reference, on this thread, before any timing
  const step = Math.max(1, Math.floor(pairs.length / 6));
  const sample = (type: string) => ({ ...job(type), trials: trialsOf(type).filter((_, i) => i % step === 0), captureSignals: true });
  const engine = createWasmEngine();
  const want = referenceEngine.runTrials(sample('sma_crossover'));
  for (const { type } of kinds) {
    engine.runTrials(sample(type)).forEach((row, i) => assertSameRow(`${type} trial ${i * step}`, { ...row, trial_id: '' }, { ...want[i]!, trial_id: '' }));
  }

  const executor = localExecutor({ workers: o.workers, engine: 'wasm', strategyPlugins: sources });
  const runs = new Map<string, number[]>(kinds.map((k) => [k.type, []]));
  try {
    // start the workers, import the plugins and instantiate the WebAssembly in each of them
    for (const { type } of kinds) await executor.run({ ...job(type), trials: trialsOf(type).slice(0, 2 * o.workers) });
    for (let r = 0; r < o.repeat; r++) {
      // each round in a rotated order, so no variant always runs first or last
      for (let k = 0; k < kinds.length; k++) {
        const { type } = kinds[(k + r) % kinds.length]!;
        const t = now();
        await executor.run(job(type));
        runs.get(type)!.push(now() - t);
      }
    }
  } finally {
    await executor.close();
  }
  const barTrials = prices.length * pairs.length;
  const builtin = runs.get('sma_crossover')!;
  const variants = kinds.map(({ variant, type }) => {
    const seconds = median(runs.get(type)!);
    const paired = runs.get(type)!.map((sec, r) => builtin[r]! / sec);
    return { variant, type, seconds, runs: runs.get(type)!, bar_trials_per_s: barTrials / seconds, vs_builtin: median(paired) };
  });
  const ratio = (type: string) => variants.find((v) => v.type === type)!.vs_builtin;
  return {
    suite: 'strategy-plugin',
    bars: prices.length,
    trials: pairs.length,
    workers: o.workers,
    prices: source,
    variants,
    targets: {
      assemblyscript: { want: 0.8, got: ratio('sma-cross'), met: ratio('sma-cross') >= 0.8 },
      typescript: { want: 0.3, got: ratio('sma-cross-ts'), met: ratio('sma-cross-ts') >= 0.3 },
    },
    checked_trials: sample('sma_crossover').trials.length,
  };
}

export function formatStrategyPlugin(r: StrategyPluginResult): string {
  const sci = (x: number) => x.toExponential(3);
  const width = Math.max(...r.variants.map((v) => v.variant.length));
  const lines = r.variants.map((v) => `${v.variant.padEnd(width)}  ${v.seconds.toFixed(3).padStart(9)} s  ${sci(v.bar_trials_per_s)} bar-trials/s  ${v.vs_builtin.toFixed(2)}×`);
  const target = (name: string, t: { want: number; got: number; met: boolean }) => `${name} ≥ ${t.want}×: ${t.met ? 'met' : 'NOT met'} (${t.got.toFixed(2)}×)`;
  return [
    `strategy-plugin: ${r.bars} bars × ${r.trials} sma-crossover trials (2 classifiers, no signals), ${r.workers} workers, prices: ${r.prices}`,
    ...lines,
    `targets: ${target('AssemblyScript plugin', r.targets.assemblyscript)}; ${target('TypeScript plugin', r.targets.typescript)}; ` +
      `${r.checked_trials} trials checked identical three ways and to the reference`,
  ].join('\n');
}
