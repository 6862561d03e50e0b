import type { Rng } from '@regimen/core';
import type { HmmParams } from './params.js';
import { valuesAtRanks } from './rank-select.js';

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
  const cuts: number[] = [0];
  const draw = (g: number) => {
    if (mode === 'random-quantile') return 0.02 + 0.96 * rng.next();
    // the top group holds 0.03 %–0.3 % of the bars in 'tail' mode
    if (mode === 'tail' && g === k - 2) return 1 - (0.0003 + 0.0027 * rng.next());
    // markets are calm most of the time: the calmest group holds 50–90 % of the bars
    if (g === 0) return 0.5 + 0.4 * rng.next();
    return 0.05 + 0.9 * rng.next();
  };
  if (mode === 'quantile') for (let g = 1; g < k; g++) cuts.push(Math.round((g * rows) / k));
  else for (const q of Array.from({ length: k - 1 }, (_, g) => draw(g)).sort((a, b) => a - b)) cuts.push(Math.round(q * rows));
  cuts.push(rows);

  const groups: Array<[number, number]> = [];
  for (let g = 0; g < k; g++) {
    let lo = cuts[g]!;
    let hi = cuts[g + 1]!;
    if (hi - lo < 2) {
      // a degenerate cut: widen it to at least two bars inside the data
      lo = Math.max(0, Math.min(lo, rows - 2));
      hi = Math.min(rows, lo + 2);
    }
    groups.push([lo, hi]);
  }
  const { means, variances } = rankGroupMoments(y, rows, dims, key, groups);
  for (let i = 0; i < k * dims; i++) variances[i] = Math.max(variances[i]!, floor[i % dims]!);

  // regimes persist: volatility groups start sticky (a start with short dwell times often ends in a
  // poorer optimum); random-quantile starts keep the wide range for variety
  const stay = restart === 0 ? 0.9 : mode === 'random-quantile' ? 0.5 + 0.49 * rng.next() : 0.9 + 0.09 * rng.next();
  const transition = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) transition[i * k + j] = k === 1 ? 1 : i === j ? stay : (1 - stay) / (k - 1);
  }
  const initial = new Float64Array(k).fill(1 / k);
  return { states: k, dims, means, variances, transition, initial };
}

/**
 * Mean and variance of each feature over the bars whose rank by key (ties: the earlier bar first)
 * lies in [lo, hi) of each group, without sorting the bars themselves: rank(t) ≥ c holds exactly
 * when key_t exceeds the c-th smallest key v_c, or equals it and at least c − #{key < v_c} earlier
 * bars share that key. The few v_c come from a multiselect (rank-select.ts). Each bar gets its level
 * — how many of the cut ranks it reaches — and the moments are gathered per level in two passes,
 * then combined into each group's (Chan et al.'s pairwise update: no E[y²] − μ²), fast at a million
 * bars.
 */
export function rankGroupMoments(y: Float64Array, rows: number, dims: number, key: Float64Array, groups: Array<[number, number]>) {
  const bounds = [...new Set(groups.flat())].filter((c) => c > 0 && c < rows).sort((a, b) => a - b);
  const ranked = valuesAtRanks(key.subarray(0, rows), bounds);
  const value = bounds.map((c) => ranked.get(c)!);
  const below = new Float64Array(bounds.length);
  for (let t = 0; t < rows; t++) for (let b = 0; b < bounds.length; b++) if (key[t]! < value[b]!) below[b]!++;
  const need = bounds.map((c, b) => c - below[b]!);
  const levels = bounds.length + 1;
  const level = new Uint8Array(rows);
  const seen = new Float64Array(bounds.length);
  const count = new Float64Array(levels);
  const mean = new Float64Array(levels * dims);
  const m2 = new Float64Array(levels * dims);
  for (let t = 0; t < rows; t++) {
    const v = key[t]!;
    let l = 0;
    for (let b = 0; b < bounds.length; b++) {
      if (v > value[b]! || (v === value[b]! && seen[b]! >= need[b]!)) l = b + 1;
      if (v === value[b]!) seen[b]!++;
    }
    level[t] = l;
    count[l]!++;
    for (let f = 0; f < dims; f++) mean[l * dims + f]! += y[t * dims + f]!;
  }
  for (let i = 0; i < levels * dims; i++) mean[i] = count[Math.floor(i / dims)]! > 0 ? mean[i]! / count[Math.floor(i / dims)]! : 0;
  for (let t = 0; t < rows; t++) {
    const l = level[t]!;
    for (let f = 0; f < dims; f++) m2[l * dims + f]! += (y[t * dims + f]! - mean[l * dims + f]!) ** 2;
  }
  // rank ≥ c ⟺ level ≥ index(c): 0 for c = 0, every level for c = rows
  const index = (c: number) => (c <= 0 ? 0 : c >= rows ? levels : bounds.indexOf(c) + 1);
  const k = groups.length;
  const means = new Float64Array(k * dims);
  const variances = new Float64Array(k * dims);
  groups.forEach(([lo, hi], g) => {
    const from = index(lo);
    const to = index(hi);
    let n = 0;
    for (let l = from; l < to; l++) n += count[l]!;
    for (let f = 0; f < dims; f++) {
      let m = 0;
      for (let l = from; l < to; l++) m += count[l]! * mean[l * dims + f]!;
      m /= n;
      let q = 0;
      for (let l = from; l < to; l++) q += m2[l * dims + f]! + count[l]! * (mean[l * dims + f]! - m) ** 2;
      means[g * dims + f] = m;
      variances[g * dims + f] = q / n;
    }
  });
  return { means, variances };
}
