import { createRng, regimenError, type BarColumns, type TaskPool } from '@regimen/core';
import { localExecutor } from '@regimen/backtester';
import { loadMarketData } from '@regimen/data';
import { realDataPath } from '@regimen/plugin-testkit';
import {
  computeFeatures, emBuffers, HmmOptionsSchema, hmmClassifier, initialParams, logLikelihood, mStep, parseModel, plainIteration,
  typescriptEngine, wasmEngine, type EmEngine, type HmmModel, type HmmParams,
} from '@regimen/classifier-hmm';
import type { BenchOptions } from './options.js';
import { loadPrices } from './prices.js';

/** Median seconds of one EM iteration over the fit's bars, per implementation (same start, same bars; 5 samples). */
export interface IterationTimes {
  /** the plain TypeScript Baum–Welch iteration (separate passes, γ stored): the yardstick */
  plain_ts: number;
  /** its CPU seconds (one thread) */
  plain_ts_cpu: number;
  /** the fused, allocation-free passes in TypeScript (the kernel's reference) */
  fused_ts: number;
  /** the same passes in the WebAssembly kernel, which the fit uses */
  fused_wasm: number;
}

export interface RealDataFit {
  series: string;
  bars: number;
  plain_iteration_seconds: number;
  fit_seconds: number;
  /** fit seconds / plain iteration seconds */
  ratio: number;
  iterations: number;
  log_likelihood: number;
}

export interface HmmFitResult {
  suite: 'hmm-fit';
  bars: number;
  states: number;
  restarts: number;
  workers: number;
  /** median wall seconds of one fit (features, every restart on the schedule, best to convergence) on a warm pool */
  seconds: number;
  /** CPU seconds of that fit, all threads (on a busy machine: how much of the wall time was work) */
  cpu_seconds: number;
  /** bars / seconds of the whole fit */
  bars_per_s: number;
  iteration: IterationTimes;
  /** fit seconds / one plain TypeScript iteration (target ≤ 40) */
  ratio: number;
  /**
   * fit CPU seconds (all threads) / the plain iteration's CPU seconds: the fit's work in plain
   * iterations, which a busy machine does not distort the way it distorts wall time across threads
   */
  ratio_cpu: number;
  /** wall seconds of labelling every bar (features, forward filter, argmax) with the fitted model */
  label_seconds: number;
  iterations: number;
  converged: boolean;
  log_likelihood: number;
  /** on the generated series: the largest errors of the fit against the parameters that made it */
  recovery: { mean: number; sd_relative: number; transition: number } | null;
  /** the same ratio on the real series of the tests (training split, K=3, same options and pool) */
  real: RealDataFit[];
  runs: number[];
  prices: string;
}
/**
 * The generating model of the default series: a 3-state Markov chain switching the mean and sd of
 * Gaussian log returns, states in the order the plugin names them (bull, neutral, bear: mean
 * descending). Persistent states and distinct volatilities make it identifiable, so 1M bars must
 * give back these numbers closely — the check that the fit timed is a correct one.
 */
export const HMM_TRUTH = {
  means: [0.0008, 0, -0.0015],
  sds: [0.006, 0.011, 0.025],
  transition: [
    [0.99, 0.007, 0.003],
    [0.012, 0.98, 0.008],
    [0.01, 0.04, 0.95],
  ],
};

/** Prices whose log returns follow HMM_TRUTH (seeded). */
export function regimeSwitchingPrices(n: number, seed: number): Float64Array {
  const rng = createRng(seed).fork('hmm-fit-bench');
  const p = new Float64Array(n);
  let s = 0;
  let logp = Math.log(100);
  for (let t = 0; t < n; t++) {
    if (t > 0) {
      const u = rng.next();
      const row = HMM_TRUTH.transition[s]!;
      s = u < row[0]! ? 0 : u < row[0]! + row[1]! ? 1 : 2;
      logp += HMM_TRUTH.means[s]! + HMM_TRUTH.sds[s]! * rng.normal();
    }
    p[t] = Math.exp(logp);
  }
  return p;
}

function closeBars(close: Float64Array): BarColumns {
  const time = Float64Array.from({ length: close.length }, (_, t) => t * 86_400_000);
  return { time, open: close, high: close, low: close, close };
}

function recovery(m: HmmModel) {
  let mean = 0;
  let sd = 0;
  let transition = 0;
  for (let i = 0; i < 3; i++) {
    mean = Math.max(mean, Math.abs(m.means[i]![0]! - HMM_TRUTH.means[i]!));
    sd = Math.max(sd, Math.abs(Math.sqrt(m.variances[i]![0]!) / HMM_TRUTH.sds[i]! - 1));
    for (let j = 0; j < 3; j++) transition = Math.max(transition, Math.abs(m.transition[i]![j]! - HMM_TRUTH.transition[i]![j]!));
  }
  return { mean, sd_relative: sd, transition };
}

// Sampling error at 1M bars is ~1e-5 on a mean, ~0.3 % on an sd and ~0.002 on a transition
// probability of the rarest state; these bounds are a few times that, and widen as 1/√bars below 1M.
const TOLERANCE = { mean: 2e-4, sd_relative: 0.03, transition: 0.02 };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const now = () => performance.now() / 1000;

function timed(times: number, f: () => void): number {
  const runs: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = now();
    f();
    runs.push(now() - t);
  }
  return median(runs);
}

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/**
 * Median wall and CPU seconds of one call of f, over 5 samples of enough calls to take ≥ 50 ms each
 * (small series).
 */
function perCall(f: () => void): { wall: number; cpu: number } {
  let calls = 1;
  for (;;) {
    const t = now();
    for (let i = 0; i < calls; i++) f();
    if (now() - t >= 0.05) break;
    calls *= 2;
  }
  const cpu: number[] = [];
  const wall = timed(5, () => {
    const c = cpuSeconds();
    for (let i = 0; i < calls; i++) f();
    cpu.push(cpuSeconds() - c);
  });
  return { wall: wall / calls, cpu: median(cpu) / calls };
}

/** One EM iteration of each implementation from the fit's first start (restart 0), on the fit's features. */
function iterationTimes(bars: BarColumns): IterationTimes {
  const f = computeFeatures(bars, [{ name: 'log_return' }]);
  const floor = Float64Array.from([1e-12]);
  const start = initialParams(f.values, f.rows, 1, 3, 0, createRng(0), floor);
  const settings = { initial: 'stationary' as const, floor };
  const buf = emBuffers(f.rows, 3);
  logLikelihood(f.values, f.rows, start, buf);
  const plain = perCall(() => plainIteration(f.values, f.rows, start, settings, buf));
  const fused = (engine: EmEngine) => perCall(() => {
    engine.forward(start);
    const next: HmmParams = mStep(engine.backward(start), start, settings, f.rows);
    if (!Number.isFinite(next.means[0]!)) throw regimenError({ code: 'internal', message: 'the fused iteration produced no model' });
  }).wall;
  return { plain_ts: plain.wall, plain_ts_cpu: plain.cpu, fused_ts: fused(typescriptEngine(f.values, f.rows, 1, 3)), fused_wasm: fused(wasmEngine(f.values, f.rows, 1, 3)) };
}

/** The HMM plugin's fit with the run's pool, as the coordinator calls it. */
function fitOn(pool: TaskPool | undefined) {
  const plugin = hmmClassifier();
  const options = HmmOptionsSchema.parse({ states: 3 });
  return async (bars: BarColumns, seed: number) => parseModel(await plugin.fit(bars, options, pool ? { seed, pool } : { seed }));
}

/** The real series of the tests: their training splits (70 %). */
function realSeries(): Array<{ series: string; bars: BarColumns }> {
  const files = [
    { series: 'NYSE composite daily (embedded)', file: realDataPath('nyse_composite_daily_close.csv'), column: 'close' },
    { series: 'SPI daily', file: realDataPath('swx_daily_close.csv'), column: 'SPI' },
    { series: 'USD/CHF 30-minute', file: realDataPath('usdchf_30min.csv'), column: 'close' },
  ];
  return files.map((s) => {
    const all = loadMarketData(s.file, { column: s.column }).bars;
    const n = Math.floor(0.7 * all.close.length);
    return { series: s.series, bars: closeBars(all.close.slice(0, n)) };
  });
}

/**
 * Fit a K=3 Gaussian HMM (the hmm plugin with its defaults: 8 seeded restarts on its restart
 * schedule) with `--workers` pool threads on `--bars` bars of a generated regime-switching series,
 * or on `--prices`; in the same run, time one plain TypeScript Baum–Welch iteration over the same
 * bars (and the fused TypeScript and WebAssembly iterations) and report the fit as a multiple of it.
 * On the generated series the fitted parameters are checked against the generating ones before any
 * time is reported. The pool is started (one small fit) before timing.
 */
export async function hmmFitSuite(o: BenchOptions): Promise<HmmFitResult> {
  const given = o.prices !== undefined;
  const { prices, source } = given ? await loadPrices(o) : { prices: regimeSwitchingPrices(o.bars, o.seed), source: `3-state regime-switching returns, seed ${o.seed}` };
  const bars = closeBars(prices);
  const options = HmmOptionsSchema.parse({ states: 3 });
  const executor = localExecutor({ workers: o.workers, engine: 'wasm' });
  const pool: TaskPool | undefined = executor.runTask ? { workers: o.workers, run: executor.runTask.bind(executor) } : undefined;
  const fit = fitOn(pool);
  try {
    await fit(closeBars(regimeSwitchingPrices(2000, o.seed)), o.seed);
    const iteration = iterationTimes(bars);
    const runs: number[] = [];
    const cpu: number[] = [];
    let model: HmmModel | undefined;
    for (let i = 0; i < o.repeat; i++) {
      const t = now();
      const c = cpuSeconds();
      model = await fit(bars, o.seed);
      runs.push(now() - t);
      cpu.push(cpuSeconds() - c);
    }
    const m = model!;
    const labelSeconds = timed(5, () => hmmClassifier().label(bars, m, options));

    const rec = given ? null : recovery(m);
    if (rec) {
      const widen = Math.max(1, Math.sqrt(1e6 / o.bars));
      for (const key of Object.keys(TOLERANCE) as Array<keyof typeof TOLERANCE>) {
        const tol = TOLERANCE[key] * widen;
        if (!(rec[key] <= tol)) {
          throw regimenError({ code: 'internal', field: `hmm-fit recovery.${key}`, value: rec[key], message: `fitted HMM is ${rec[key]} from the generating model (tolerance ${tol})` });
        }
      }
    }
    if (!Number.isFinite(m.log_likelihood)) throw regimenError({ code: 'internal', field: 'hmm-fit log_likelihood', value: m.log_likelihood, message: 'the fit has no finite log-likelihood' });

    const real: RealDataFit[] = [];
    for (const { series, bars: b } of realSeries()) {
      const plain = iterationTimes(b).plain_ts;
      const fits: number[] = [];
      let rm: HmmModel | undefined;
      for (let i = 0; i < Math.max(3, o.repeat); i++) {
        const t = now();
        rm = await fit(b, o.seed);
        fits.push(now() - t);
      }
      const seconds = median(fits);
      real.push({ series, bars: b.close.length, plain_iteration_seconds: plain, fit_seconds: seconds, ratio: seconds / plain, iterations: rm!.iterations, log_likelihood: rm!.log_likelihood });
    }

    const seconds = median(runs);
    return {
      suite: 'hmm-fit',
      bars: prices.length,
      states: 3,
      restarts: options.restarts,
      workers: o.workers,
      seconds,
      cpu_seconds: median(cpu),
      bars_per_s: prices.length / seconds,
      iteration,
      ratio: seconds / iteration.plain_ts,
      ratio_cpu: median(cpu) / iteration.plain_ts_cpu,
      label_seconds: labelSeconds,
      iterations: m.iterations,
      converged: m.converged,
      log_likelihood: m.log_likelihood,
      recovery: rec,
      real,
      runs,
      prices: source,
    };
  } finally {
    await executor.close();
  }
}

/** The table `regimen bench hmm-fit` prints (for report.ts's formatResult). */
export function formatHmmFit(r: HmmFitResult): string {
  const rec = r.recovery
    ? `recovery vs the generating model: mean ${r.recovery.mean.toExponential(2)}, sd ${(100 * r.recovery.sd_relative).toFixed(2)} %, transition ${r.recovery.transition.toFixed(4)}`
    : 'recovery: not checked (--prices)';
  const it = r.iteration;
  const ms = (s: number) => `${(1000 * s).toFixed(1)} ms`;
  return [
    `hmm-fit: K=${r.states} Gaussian HMM, ${r.bars} bars, ${r.restarts} restarts, ${r.workers} workers, prices: ${r.prices}`,
    `one EM iteration over the bars: plain TypeScript ${ms(it.plain_ts)}, fused TypeScript ${ms(it.fused_ts)} (${(it.plain_ts / it.fused_ts).toFixed(2)}×), ` +
      `fused WebAssembly ${ms(it.fused_wasm)} (${(it.plain_ts / it.fused_wasm).toFixed(2)}×)`,
    `fit ${r.seconds.toFixed(3)} s = ${r.ratio.toFixed(1)} plain iterations (target ≤ 40); ${r.cpu_seconds.toFixed(2)} CPU-s over all threads = ${r.ratio_cpu.toFixed(1)} plain iterations' CPU; best restart ${r.iterations} iterations, converged ${r.converged}, log-likelihood ${r.log_likelihood.toFixed(3)}`,
    `label ${r.label_seconds.toFixed(3)} s (${r.bars} bars)`,
    rec,
    ...r.real.map((x) => `real data, ${x.series} (${x.bars} training bars): fit ${x.fit_seconds.toFixed(3)} s / plain iteration ${ms(x.plain_iteration_seconds)} = ${x.ratio.toFixed(1)}×; ${x.iterations} iterations, log-likelihood ${x.log_likelihood.toFixed(4)}`),
  ].join('\n');
}
