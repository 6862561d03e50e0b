import { errorFunction, probit } from 'simple-statistics';

/** Standard normal cdf through simple-statistics' erf (absolute error < 1.2e-7). */
export function normalCdf(x: number): number {
  return 0.5 * (1 + errorFunction(x / Math.SQRT2));
}

/**
 * Standard normal quantile. simple-statistics' probit uses Winitzki's closed form (error ~1e-3),
 * so two Newton steps on normalCdf polish it to the cdf's own accuracy.
 */
export function normalQuantile(p: number): number {
  let x = probit(p);
  for (let i = 0; i < 2; i++) {
    const pdf = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    if (!(pdf > 1e-300)) break;
    x -= (normalCdf(x) - p) / pdf;
  }
  return x;
}

const EULER_GAMMA = 0.5772156649015329;

export interface DeflatedSharpeInput {
  /** the selected strategy's Sharpe ratio per period (not annualised) */
  sharpe: number;
  /** variance across the trials of their per-period Sharpe ratios */
  variance: number;
  /** number of independent trials the winner was selected from */
  trials: number;
  /** number of returns behind the winner's Sharpe ratio */
  bars: number;
  /** of the winner's returns; 0 for normal returns */
  skewness?: number;
  /** non-excess kurtosis of the winner's returns; 3 for normal returns */
  kurtosis?: number;
}

export interface DeflatedSharpe {
  /** probability that the true Sharpe ratio exceeds the expected maximum of `trials` null Sharpe ratios */
  dsr: number;
  /** that expected maximum, per period */
  sr0: number;
}

/**
 * Deflated Sharpe Ratio, Bailey & López de Prado (2014), "The Deflated Sharpe Ratio: Correcting
 * for Selection Bias, Backtest Overfitting and Non-Normality", J. Portfolio Management 40(5):
 *   SR₀ = √V · ((1−γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e)))          (γ: Euler–Mascheroni)
 *   DSR = Φ( (SR − SR₀)·√(T−1) / √(1 − γ₃·SR + (γ₄−1)/4·SR²) )
 * With one trial there is no selection, SR₀ = 0 and DSR is the Probabilistic Sharpe Ratio.
 * Null when undefined (T < 2, or a non-positive variance term under non-normal moments).
 */
export function deflatedSharpe(x: DeflatedSharpeInput): DeflatedSharpe | null {
  const g3 = x.skewness ?? 0, g4 = x.kurtosis ?? 3;
  if (!(x.bars >= 2) || !Number.isFinite(x.sharpe) || !(x.trials >= 1)) return null;
  const sr0 = x.trials <= 1 || !(x.variance > 0)
    ? 0
    : Math.sqrt(x.variance) * ((1 - EULER_GAMMA) * normalQuantile(1 - 1 / x.trials) + EULER_GAMMA * normalQuantile(1 - 1 / (x.trials * Math.E)));
  const denom = 1 - g3 * x.sharpe + ((g4 - 1) / 4) * x.sharpe * x.sharpe;
  if (!(denom > 0)) return null;
  return { dsr: normalCdf(((x.sharpe - sr0) * Math.sqrt(x.bars - 1)) / Math.sqrt(denom)), sr0 };
}
