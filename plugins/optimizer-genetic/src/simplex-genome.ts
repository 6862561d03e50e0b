import { simplexWeights, type Rng } from '@regimen/core';
import type { Representation } from './representation.js';

/**
 * Ensemble weights kept feasible by construction, never by penalty: the genome is a point u of the
 * unit simplex and the weights are w = m + (1 − n·m)·u, placed on a 10⁻⁶ grid with simplexWeights,
 * so every candidate has Σw === 1 and w ≥ min_weight exactly. Crossover is a convex combination of
 * the parents' u (still on the simplex); mutation either pulls u towards a random Dirichlet(1)
 * point or switches one strategy off, then renormalises.
 */
export function simplexGenome(names: string[], minWeight: number): Representation {
  const n = names.length;
  const normalise = (u: number[]) => {
    const s = u.reduce((a, b) => a + b, 0);
    return s > 0 ? u.map((x) => x / s) : u.map(() => 1 / n);
  };
  const dirichlet = (rng: Rng) => normalise(names.map(() => -Math.log(1 - rng.next())));
  const mutateOnce = (u: readonly number[], rng: Rng) => {
    const alive = u.map((x, i) => (x > 0 ? i : -1)).filter((i) => i >= 0);
    if (n > 1 && alive.length > 1 && rng.next() < 0.3) {
      const off = alive[rng.int(0, alive.length - 1)]!;
      return normalise(u.map((x, i) => (i === off ? 0 : x)));
    }
    const eps = 0.5 * rng.next();
    const d = dirichlet(rng);
    return normalise(u.map((x, i) => (1 - eps) * x + eps * d[i]!));
  };
  return {
    random: dirichlet,
    // the pure strategies and equal weights: the corners a weight search should never miss
    seeds: () => [names.map(() => 1 / n), ...names.map((_, j) => names.map((__, i) => (i === j ? 1 : 0)))],
    crossover(a, b, rng) {
      const t = rng.next();
      return normalise(a.map((x, i) => t * x + (1 - t) * b[i]!));
    },
    mutate: (u, rate, force, rng) => (force || rng.next() < rate ? mutateOnce(u, rng) : [...u]),
    decode(u) {
      const w = simplexWeights(u, minWeight)!;
      return Object.fromEntries(names.map((name, i) => [name, w[i]!]));
    },
  };
}
