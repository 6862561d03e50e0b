import { candidateKey, regimenError, type Candidate, type Evaluated, type Rng, type Search, type SearchSpace } from '@regimen/core';
import { geneVector } from './genes.js';
import type { GeneticOptions } from './options.js';
import type { Representation } from './representation.js';
import { simplexGenome } from './simplex-genome.js';

interface Member {
  genome: number[];
  candidate: Candidate;
  key: string;
}

export interface GeneticSearch extends Search {
  /** generations completed so far */
  readonly generation: number;
  readonly best: Evaluated | undefined;
  /** distinct candidates evaluated (told) */
  readonly evaluated: number;
}

/** Tries to breed a child that is new and admissible before settling for what it has. */
const NOVELTY_TRIES = 20;

const rankScore = (s: number | undefined) => (s === undefined || Number.isNaN(s) ? -Infinity : s);

/**
 * Generational genetic search driven by ask/tell. A generation's candidates are handed out by
 * ask(); once every one of them is told, the next generation is bred (elitism, tournament
 * selection, crossover, mutation). ask() returns [] while earlier candidates still await tell().
 * Scores are cached by canonical candidate: a candidate seen before is never asked again and
 * takes its cached score. Every random choice comes from `rng`, so a seed fixes the run.
 */
export function createGeneticSearch(space: SearchSpace, o: GeneticOptions, rng: Rng): GeneticSearch {
  const names = space.dimensions.map((d) => d.name);
  let rep: Representation;
  if (space.simplex) {
    if (names.length * space.simplex.min_weight > 1 + 1e-12) {
      throw regimenError({ code: 'config', field: 'min_weight', value: space.simplex.min_weight, message: `min_weight × ${names.length} weights exceeds 1` });
    }
    rep = simplexGenome(names, space.simplex.min_weight);
  } else rep = geneVector(space.dimensions);
  const admissible = (c: Candidate) => space.constraints.every((ok) => ok(c));
  const member = (genome: number[]): Member => {
    const candidate = rep.decode(genome);
    return { genome, candidate, key: candidateKey(candidate) };
  };

  const cache = new Map<string, number>();
  const queue: Member[] = [];
  const outstanding = new Set<string>();
  let population: Member[] = [];
  let generation = 0;
  let best: Evaluated | undefined;
  let stale = 0;
  let stopped = false;

  /** Admit a new member unless its candidate is already in this generation. */
  const enlist = (next: Member[], inGen: Set<string>, m: Member) => {
    if (inGen.has(m.key)) return false;
    inGen.add(m.key);
    next.push(m);
    if (!cache.has(m.key)) queue.push(m);
    return true;
  };

  const firstGeneration = () => {
    const next: Member[] = [];
    const inGen = new Set<string>();
    for (const g of rep.seeds()) {
      if (next.length >= o.population) break;
      const m = member(g);
      if (admissible(m.candidate)) enlist(next, inGen, m);
    }
    for (let tries = 0; next.length < o.population && tries < 100 * o.population; tries++) {
      const m = member(rep.random(rng));
      if (admissible(m.candidate)) enlist(next, inGen, m);
    }
    return next;
  };

  const tournament = (ranked: Member[]) => {
    let winner = rng.int(0, ranked.length - 1);
    for (let i = 1; i < o.tournament; i++) winner = Math.min(winner, rng.int(0, ranked.length - 1));
    return ranked[winner]!;
  };

  const breed = (ranked: Member[]) => {
    rep.prepare?.(ranked.map((m) => m.genome));
    const next: Member[] = [];
    const inGen = new Set<string>();
    for (const m of ranked.slice(0, o.elite)) enlist(next, inGen, m);
    for (let slot = 0; next.length < o.population && slot < 4 * o.population; slot++) {
      const a = tournament(ranked);
      const b = tournament(ranked);
      let child: Member | undefined;
      for (let t = 0; t < NOVELTY_TRIES; t++) {
        const mixed = rng.next() < o.crossover_rate ? rep.crossover(a.genome, b.genome, rng) : [...a.genome];
        const m = member(rep.mutate(mixed, o.mutation_rate, t > 0, rng));
        if (!admissible(m.candidate)) continue;
        child = m;
        if (!cache.has(m.key) && !inGen.has(m.key)) break;
      }
      // a child that is old news still takes part with its cached score; a slot with none is retried
      if (child) enlist(next, inGen, child);
    }
    return next;
  };

  const rank = (ms: Member[]) =>
    ms
      .map((m, i) => ({ m, i }))
      .sort((x, y) => rankScore(cache.get(y.m.key)) - rankScore(cache.get(x.m.key)) || x.i - y.i)
      .map((x) => x.m);

  /** Close every generation whose candidates are all scored; breed the next or stop. */
  const advance = () => {
    while (!stopped && queue.length === 0 && outstanding.size === 0) {
      if (population.length === 0) {
        stopped = true;
        break;
      }
      generation++;
      const ranked = rank(population);
      const top = ranked[0]!;
      const topScore = rankScore(cache.get(top.key));
      if (best === undefined || topScore > rankScore(best.score)) {
        best = { candidate: top.candidate, score: cache.get(top.key)! };
        stale = 0;
      } else stale++;
      if (generation >= o.generations || stale >= o.patience) {
        stopped = true;
        break;
      }
      const parents = ranked.filter((m) => cache.has(m.key));
      if (parents.length === 0) {
        stopped = true;
        break;
      }
      population = breed(parents);
      // nothing new to try: the population has converged on candidates already evaluated
      if (queue.length === 0) stopped = true;
    }
  };

  population = firstGeneration();

  return {
    ask(n) {
      advance();
      const out: Candidate[] = [];
      while (out.length < n && queue.length) {
        const m = queue.shift()!;
        if (cache.has(m.key) || outstanding.has(m.key)) continue;
        outstanding.add(m.key);
        out.push(m.candidate);
      }
      return out;
    },
    tell(results) {
      for (const r of results) {
        const key = candidateKey(r.candidate);
        cache.set(key, r.score);
        outstanding.delete(key);
      }
      advance();
    },
    get done() {
      advance();
      return stopped && outstanding.size === 0;
    },
    estimate: () => o.population * o.generations,
    get generation() {
      return generation;
    },
    get best() {
      return best;
    },
    get evaluated() {
      return cache.size;
    },
  };
}
