import { dimensionSize, dimensionValue, roundSignificant, type Candidate, type Dimension, type Rng } from '@regimen/core';
import type { Representation } from './representation.js';

/**
 * One gene per dimension. `index` genes hold a position on an ordered grid (int ranges, stepped or
 * counted floats, lists of numbers), so bounds and step alignment hold by construction; `real`
 * genes hold a continuous float (its log for log ranges); `categorical` genes hold a list position
 * with no order, so they mutate by jumping to another value.
 */
type Gene =
  | { kind: 'index'; dim: Dimension; size: number }
  | { kind: 'categorical'; dim: Dimension; size: number }
  | { kind: 'real'; name: string; lo: number; hi: number; log: boolean };

function geneOf(d: Dimension): Gene {
  if (d.kind === 'float' && d.step === undefined && d.count === undefined && d.max > d.min) {
    const log = Boolean(d.log) && d.min > 0;
    return { kind: 'real', name: d.name, lo: log ? Math.log(d.min) : d.min, hi: log ? Math.log(d.max) : d.max, log };
  }
  const size = dimensionSize(d);
  if (d.kind === 'values' && !d.values.every((v) => typeof v === 'number')) return { kind: 'categorical', dim: d, size };
  return { kind: 'index', dim: d, size };
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

function randomGene(g: Gene, rng: Rng): number {
  return g.kind === 'real' ? g.lo + rng.next() * (g.hi - g.lo) : rng.int(0, g.size - 1);
}

/** BLX-α blend (α = 0.25): a child may land a little outside its parents, which keeps diversity. */
function crossGene(g: Gene, a: number, b: number, rng: Rng): number {
  if (g.kind === 'categorical' || rng.next() < 0.5) return rng.next() < 0.5 ? a : b;
  const t = -0.25 + 1.5 * rng.next();
  const x = a + t * (b - a);
  return g.kind === 'real' ? clamp(x, g.lo, g.hi) : clamp(Math.round(x), 0, g.size - 1);
}

/**
 * `spread` is the gene's standard deviation across the parents: mutation steps shrink as the
 * population converges (as in differential evolution), so late generations refine instead of
 * jumping about; a floor keeps a collapsed population moving.
 */
function mutateGene(g: Gene, x: number, spread: number, rng: Rng): number {
  if (g.kind === 'real') {
    if (rng.next() < 0.1) return randomGene(g, rng);
    const sd = Math.min(0.1 * (g.hi - g.lo), Math.max(spread, 1e-4 * (g.hi - g.lo)));
    return clamp(x + rng.normal() * sd, g.lo, g.hi);
  }
  if (g.size <= 1) return x;
  if (g.kind === 'categorical' || rng.next() < 0.1) {
    const y = rng.int(0, g.size - 2);
    return y >= x ? y + 1 : y;
  }
  let step = Math.round(rng.normal() * Math.max(1, Math.min(g.size / 10, spread)));
  if (step === 0) step = rng.next() < 0.5 ? -1 : 1;
  const y = clamp(x + step, 0, g.size - 1);
  return y === x ? clamp(x - step, 0, g.size - 1) : y;
}

export function geneVector(dimensions: Dimension[]): Representation {
  const genes = dimensions.map(geneOf);
  const mutable = genes.map((g, i) => (g.kind === 'real' || g.size > 1 ? i : -1)).filter((i) => i >= 0);
  let spread = genes.map((g) => (g.kind === 'real' ? 0.1 * (g.hi - g.lo) : g.size / 10));
  return {
    random: (rng) => genes.map((g) => randomGene(g, rng)),
    prepare(parents) {
      if (parents.length < 2) return;
      spread = genes.map((_, i) => {
        const v = parents.map((p) => p[i]!);
        const mean = v.reduce((a, b) => a + b, 0) / v.length;
        return Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
      });
    },
    seeds: () => [],
    crossover: (a, b, rng) => genes.map((g, i) => crossGene(g, a[i]!, b[i]!, rng)),
    mutate(x, rate, force, rng) {
      const y = genes.map((g, i) => (rng.next() < rate ? mutateGene(g, x[i]!, spread[i]!, rng) : x[i]!));
      if (force && mutable.length && y.every((v, i) => v === x[i])) {
        const i = mutable[rng.int(0, mutable.length - 1)]!;
        y[i] = mutateGene(genes[i]!, x[i]!, spread[i]!, rng);
      }
      return y;
    },
    decode(x) {
      const c: Candidate = {};
      genes.forEach((g, i) => {
        if (g.kind === 'real') c[g.name] = roundSignificant(g.log ? Math.exp(x[i]!) : x[i]!);
        else c[g.dim.name] = dimensionValue(g.dim, x[i]!);
      });
      return c;
    },
  };
}
