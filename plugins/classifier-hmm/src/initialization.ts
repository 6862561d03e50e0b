import type { Rng } from '@regimen/core';
import type { HmmParams } from './params.js';

/**
 * Starting points for the restarts. Restart 0 is deterministic: the observations sorted by the first
 * feature and cut into K equal groups (means and variances of each group), a sticky transition matrix.
 * Later restarts cycle through three kinds: cuts at random quantiles of the first feature; groups by a
 * short-window |r| with a tiny top group ('tail': seeds a rare crash state — NYSE 1966–1992 with K=3
 * has its best optimum there, and about 40 % of tail starts reach it); groups by a longer rolling
 * volatility (states of equal mean and different variance). Each draws a random persistence.
 * Group statistics keep every start inside the data's range.
 */
export function initialParams(
  y: Float64Array,
  rows: number,
  dims: number,
  states: number,
  restart: number,
  rng: Rng,
  floor: Float64Array,
): HmmParams {
  const k = states;
  const key = new Float64Array(rows);
  const mode = restart === 0 ? 'quantile' : (['random-quantile', 'tail', 'volatility'] as const)[restart % 3]!;
  if (mode === 'tail' || mode === 'volatility') {
    // w = 1 groups by |r| alone; a short window with a tiny top group seeds a rare "crash" state
    const w = mode === 'tail' ? rng.int(1, 3) : rng.int(5, 60);
    let acc = 0;
    for (let t = 0; t < rows; t++) {
      acc += y[t * dims]! ** 2;
      if (t >= w) acc -= y[(t - w) * dims]! ** 2;
      key[t] = acc;
    }
    // centre each window on its bar; using later bars is fine here: this only seeds the fit on training data
    key.copyWithin(0, Math.floor(w / 2));
  } else {
    for (let t = 0; t < rows; t++) key[t] = y[t * dims]!;
  }
  const order = Array.from({ length: rows }, (_, t) => t).sort((a, b) => key[a]! - key[b]! || a - b);

  const cuts: number[] = [0];
  const draw = (g: number) => {
    if (mode === 'random-quantile') return 0.02 + 0.96 * rng.next();
    // the top group holds 0.03 %–0.3 % of the bars in 'tail' mode
    if (mode === 'tail' && g === k - 2) return 1 - (0.0003 + 0.0027 * rng.next());
    return 0.05 + 0.9 * rng.next();
  };
  if (mode === 'quantile') for (let g = 1; g < k; g++) cuts.push(Math.round((g * rows) / k));
  else for (const q of Array.from({ length: k - 1 }, (_, g) => draw(g)).sort((a, b) => a - b)) cuts.push(Math.round(q * rows));
  cuts.push(rows);

  const means = new Float64Array(k * dims);
  const variances = new Float64Array(k * dims);
  for (let g = 0; g < k; g++) {
    let lo = cuts[g]!;
    let hi = cuts[g + 1]!;
    if (hi - lo < 2) {
      // a degenerate cut: widen it to at least two bars inside the data
      lo = Math.max(0, Math.min(lo, rows - 2));
      hi = Math.min(rows, lo + 2);
    }
    for (let f = 0; f < dims; f++) {
      let m = 0;
      for (let r = lo; r < hi; r++) m += y[order[r]! * dims + f]!;
      m /= hi - lo;
      let s = 0;
      for (let r = lo; r < hi; r++) s += (y[order[r]! * dims + f]! - m) ** 2;
      means[g * dims + f] = m;
      variances[g * dims + f] = Math.max(s / (hi - lo), floor[f]!);
    }
  }

  const stay = restart === 0 ? 0.9 : 0.5 + 0.49 * rng.next();
  const transition = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) transition[i * k + j] = k === 1 ? 1 : i === j ? stay : (1 - stay) / (k - 1);
  }
  const initial = new Float64Array(k).fill(1 / k);
  return { states: k, dims, means, variances, transition, initial };
}
