import type { Candidate, Rng } from '@regimen/core';

/** How a genome (a vector of numbers) is drawn, bred and turned into a candidate. */
export interface Representation {
  random(rng: Rng): number[];
  /** called with the parents' genomes before each generation is bred (e.g. to scale mutation) */
  prepare?(parents: readonly number[][]): void;
  /** a few genomes worth evaluating first (e.g. the simplex's corners); may be empty */
  seeds(): number[][];
  crossover(a: readonly number[], b: readonly number[], rng: Rng): number[];
  /** mutate each gene with probability `rate`; with `force`, at least one gene changes */
  mutate(g: readonly number[], rate: number, force: boolean, rng: Rng): number[];
  decode(g: readonly number[]): Candidate;
}
