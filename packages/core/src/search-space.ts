import { canonicalJson } from './io.js';
import { RegimenError } from './errors.js';
import type { Candidate, Dimension, SearchSpace } from './plugin.js';
import type { ParamValue } from './types.js';

/**
 * How every optimizer reads a SearchSpace. It lives in core because the optimizer role and each
 * optimizer plugin (built-in or third-party) must decode dimensions, grid indices and weight
 * vectors identically, and plugins may depend on core only.
 */

/** 12 significant digits: a float grid of 0.1 steps gives 0.3, not 0.30000000000000004. */
export function roundSignificant(x: number, digits = 12): number {
  return x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(digits));
}

/** A float dimension without step or count (and min < max) is continuous: sampling searches (random, genetic) can use it, a grid cannot. */
export function isContinuous(d: Dimension): boolean {
  return d.kind === 'float' && d.step === undefined && d.count === undefined && d.max > d.min;
}

/** Number of grid values of a dimension; Infinity for a continuous one. */
export function dimensionSize(d: Dimension): number {
  switch (d.kind) {
    case 'values':
      return d.values.length;
    case 'int':
      return Math.floor((d.max - d.min) / d.step) + 1;
    case 'float':
      if (d.max === d.min) return 1;
      if (d.count !== undefined) return d.count;
      // the 1e-9 guard keeps (1 − 0)/0.1 = 9.999999999999998 from losing the last point
      if (d.step !== undefined) return Math.floor((d.max - d.min) / d.step + 1e-9) + 1;
      return Infinity;
  }
}

/** The i-th grid value of a dimension (0 ≤ i < dimensionSize). */
export function dimensionValue(d: Dimension, i: number): ParamValue {
  switch (d.kind) {
    case 'values':
      return d.values[i]!;
    case 'int':
      return d.min + i * d.step;
    case 'float': {
      const n = dimensionSize(d);
      if (n === 1 || i === 0) return d.min;
      if (d.count !== undefined && i === n - 1) return d.max;
      if (d.count !== undefined && d.log) {
        const lo = Math.log(d.min), hi = Math.log(d.max);
        return roundSignificant(Math.exp(lo + (i * (hi - lo)) / (n - 1)));
      }
      if (d.count !== undefined) return roundSignificant(d.min + (i * (d.max - d.min)) / (n - 1));
      // min + i·step, never a running sum, so the error does not grow with i
      return roundSignificant(d.min + i * d.step!);
    }
  }
}

/** Product of the dimension sizes, before constraints (Infinity when a dimension is continuous). */
export function gridSize(space: Pick<SearchSpace, 'dimensions'>): number {
  let n = 1;
  for (const d of space.dimensions) n *= dimensionSize(d);
  return n;
}

/** Mixed-radix decode of a grid index, last dimension fastest. No constraint or simplex step. */
export function gridPoint(space: Pick<SearchSpace, 'dimensions'>, index: number): Candidate {
  const ds = space.dimensions;
  const digits = new Array<number>(ds.length);
  let rest = index;
  for (let j = ds.length - 1; j >= 0; j--) {
    const size = dimensionSize(ds[j]!);
    digits[j] = rest % size;
    rest = Math.floor(rest / size);
  }
  const c: Candidate = {};
  ds.forEach((d, j) => (c[d.name] = dimensionValue(d, digits[j]!)));
  return c;
}

/** Weights are whole multiples of 1/WEIGHT_UNITS (10⁻⁶): readable in JSON and exact to compare. */
export const WEIGHT_UNITS = 1_000_000;

function sequentialSum(ws: readonly number[]): number {
  let s = 0;
  for (const w of ws) s += w;
  return s;
}

/**
 * Map a point u of the unit simplex (u ≥ 0, any positive sum) to weights w = m + (1 − n·m)·u that
 * hold the constraints EXACTLY in floating point: every w ≥ m and Σw (added left to right) === 1.
 * Units are allocated by largest remainder (ties → lower index); the last weight that is not pinned
 * at the floor takes 1 − Σ(previous), which makes the left-to-right sum exactly 1 (for s in [0,1],
 * fl(s + fl(1 − s)) = 1). In the rare case where that residual lands one ulp under m, one unit moves
 * to it from the largest weight: a 10⁻⁶ change, never a violated constraint. Null when n·m > 1;
 * when n·m = 1 every weight is m (the sum may then miss 1 by an ulp).
 */
export function simplexWeights(u: readonly number[], minWeight: number): number[] | null {
  const n = u.length;
  if (n === 0) return null;
  let kmin = Math.max(0, Math.ceil(minWeight * WEIGHT_UNITS - 1e-7));
  while (kmin / WEIGHT_UNITS < minWeight) kmin++;
  const free = WEIGHT_UNITS - n * kmin;
  if (free < 0) return null;
  // n·m = 1 leaves one point, every weight m; both invariants cannot then hold to the last ulp, min_weight wins
  if (free === 0) return u.map(() => kmin / WEIGHT_UNITS);
  let total = 0;
  for (const x of u) total += Math.max(0, x);
  const share = u.map((x) => (total > 0 ? Math.max(0, x) / total : 1 / n));
  const exact = share.map((s) => s * free);
  const k = exact.map((e) => Math.floor(e));
  let left = free - k.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => i).sort((a, b) => exact[b]! - Math.floor(exact[b]!) - (exact[a]! - Math.floor(exact[a]!)) || a - b);
  for (let j = 0; left > 0; j = (j + 1) % n, left--) k[order[j]!]!++;
  for (let i = 0; i < n; i++) k[i]! += kmin;

  for (let attempt = 0; attempt <= n; attempt++) {
    // the residual sits after every non-zero weight, so later zeros do not disturb the sum
    let r = n - 1;
    if (kmin === 0) while (r > 0 && k[r] === 0) r--;
    const w = k.map((ki) => ki / WEIGHT_UNITS);
    w[r] = 1 - sequentialSum(w.slice(0, r));
    for (let i = r + 1; i < n; i++) w[i] = 0;
    if (sequentialSum(w) === 1 && w.every((x) => x >= minWeight)) return w;
    let big = -1;
    for (let i = 0; i < n; i++) if (i !== r && k[i]! > kmin && (big < 0 || k[i]! > k[big]!)) big = i;
    if (big < 0) return w;
    k[big]!--;
    k[r]!++;
  }
  throw new RegimenError({ code: 'internal', value: u, message: 'could not place weights exactly on the simplex' });
}

/**
 * A raw grid point of a weight space → its normalised weights (w / Σw, then exact as above),
 * or null when all weights are 0 or a normalised weight is below min_weight.
 */
export function normaliseWeights(raw: readonly number[], minWeight: number): number[] | null {
  const n = raw.length;
  if (raw.some((x) => !(x >= 0))) return null;
  const total = raw.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return null;
  const w = raw.map((x) => x / total);
  if (w.some((x) => x < minWeight - 1e-12)) return null;
  const room = 1 - n * minWeight;
  const u = room > 1e-12 ? w.map((x) => Math.max(0, x - minWeight) / room) : w.map(() => 1);
  return simplexWeights(u, minWeight);
}

/**
 * The candidate a search may ask for this grid point: weight spaces normalised onto the simplex,
 * then every constraint checked. Null when the point is not admissible.
 */
export function admitCandidate(space: SearchSpace, point: Candidate): Candidate | null {
  let c = point;
  if (space.simplex) {
    const names = space.dimensions.map((d) => d.name);
    const w = normaliseWeights(names.map((n) => Number(point[n])), space.simplex.min_weight);
    if (!w) return null;
    c = Object.fromEntries(names.map((n, i) => [n, w[i]!]));
  }
  for (const ok of space.constraints) if (!ok(c)) return null;
  return c;
}

/**
 * Every admissible candidate of a discrete space, in grid order (last dimension fastest) or in
 * the order of the given indices, decoded one index at a time: a 10⁷-point space is never held in
 * memory. Weight (simplex) spaces are normalised and their duplicates skipped; those spaces are
 * small, so the set of keys seen is too.
 */
export function* iterateGrid(space: SearchSpace, indices?: Iterable<number>): Generator<Candidate> {
  const bad = space.dimensions.find(isContinuous);
  if (bad) throw new RegimenError({ code: 'config', field: bad.name, message: 'a continuous dimension (no step or count) cannot be enumerated as a grid: give it step or count, or use algorithm random or genetic' });
  const seen = space.simplex ? new Set<string>() : undefined;
  const order = indices ?? (function* () {
    for (let i = 0, n = gridSize(space); i < n; i++) yield i;
  })();
  for (const i of order) {
    const c = admitCandidate(space, gridPoint(space, i));
    if (!c) continue;
    if (seen) {
      const key = candidateKey(c);
      if (seen.has(key)) continue;
      seen.add(key);
    }
    yield c;
  }
}

/** The identity of a candidate for caches and de-duplication. */
export function candidateKey(c: Candidate): string {
  return canonicalJson(c);
}
