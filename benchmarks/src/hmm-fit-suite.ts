import { createRng, regimenError, type BarColumns } from '@regimen/core';
import { HmmOptionsSchema, hmmClassifier, parseModel, type HmmModel } from '@regimen/classifier-hmm';
import type { BenchOptions } from './options.js';
import { loadPrices } from './prices.js';

export interface HmmFitResult {
  suite: 'hmm-fit';
  bars: number;
  states: number;
  restarts: number;
  /** median wall seconds of one fit (every restart, Baum–Welch to convergence); feature computation included */
  seconds: number;
  /** bars / seconds of the whole fit */
  bars_per_s: number;
  /** wall seconds of labelling every bar (forward filter + argmax) with the fitted model */
  label_seconds: number;
  iterations: number;
  converged: boolean;
  log_likelihood: number;
  /** on the generated series: the largest errors of the fit against the parameters that made it */
  recovery: { mean: number; sd_relative: number; transition: number } | null;
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

/**
 * Fit a K=3 Gaussian HMM (the hmm plugin with its defaults: 8 seeded restarts, up to 300 EM
 * iterations) on `--bars` bars of a generated regime-switching series, or on `--prices`. On the
 * generated series the fitted parameters are checked against the generating ones before any
 * time is reported.
 */
export async function hmmFitSuite(o: BenchOptions): Promise<HmmFitResult> {
  const given = o.prices !== undefined;
  const { prices, source } = given ? await loadPrices(o) : { prices: regimeSwitchingPrices(o.bars, o.seed), source: `3-state regime-switching returns, seed ${o.seed}` };
  const bars = closeBars(prices);
  const plugin = hmmClassifier();
  const options = HmmOptionsSchema.parse({ states: 3 });

  const runs: number[] = [];
  let model: HmmModel | undefined;
  for (let i = 0; i < o.repeat; i++) {
    const t = now();
    model = parseModel(plugin.fit(bars, options, { seed: o.seed }));
    runs.push(now() - t);
  }
  const m = model!;
  const t = now();
  plugin.label(bars, m, options);
  const labelSeconds = now() - t;

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

  const seconds = median(runs);
  return {
    suite: 'hmm-fit',
    bars: prices.length,
    states: 3,
    restarts: options.restarts,
    seconds,
    bars_per_s: prices.length / seconds,
    label_seconds: labelSeconds,
    iterations: m.iterations,
    converged: m.converged,
    log_likelihood: m.log_likelihood,
    recovery: rec,
    runs,
    prices: source,
  };
}

/** The table `regimen bench hmm-fit` prints (for report.ts's formatResult). */
export function formatHmmFit(r: HmmFitResult): string {
  const rec = r.recovery
    ? `recovery vs the generating model: mean ${r.recovery.mean.toExponential(2)}, sd ${(100 * r.recovery.sd_relative).toFixed(2)} %, transition ${r.recovery.transition.toFixed(4)}`
    : 'recovery: not checked (--prices)';
  return [
    `hmm-fit: K=${r.states} Gaussian HMM, ${r.bars} bars, ${r.restarts} restarts, prices: ${r.prices}`,
    `fit ${r.seconds.toFixed(2)} s (best restart: ${r.iterations} iterations, converged ${r.converged}, log-likelihood ${r.log_likelihood.toFixed(1)}); label ${r.label_seconds.toFixed(3)} s`,
    rec,
  ].join('\n');
}
