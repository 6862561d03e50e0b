import type { Candidate, Evaluated, Search } from './plugin.js';

/** A search that keeps count of what it was told and the best result. */
export interface StreamSearch extends Search {
  readonly told: number;
  readonly best: Evaluated | undefined;
}

/**
 * A search that hands out a fixed stream of candidates — grid order, a sampler's draws — whatever
 * it is told: `next()` gives the next candidate or undefined at the end. One candidate is pulled
 * ahead so `done` is exact, and `ask(n)` returns the next n of the stream, so the candidates never
 * depend on how many are asked at a time.
 */
export function streamSearch(next: () => Candidate | undefined, estimate: () => number | undefined): StreamSearch {
  let pending: Candidate | undefined;
  let ended = false;
  const peek = () => {
    if (pending === undefined && !ended) {
      pending = next();
      ended = pending === undefined;
    }
    return pending;
  };
  let told = 0;
  let best: Evaluated | undefined;
  return {
    ask(n) {
      const out: Candidate[] = [];
      while (out.length < n) {
        const c = peek();
        if (c === undefined) break;
        out.push(c);
        pending = undefined;
      }
      return out;
    },
    tell(results) {
      for (const r of results) {
        told++;
        if (!Number.isNaN(r.score) && (best === undefined || r.score > best.score)) best = r;
      }
    },
    get done() {
      return peek() === undefined;
    },
    estimate,
    get told() {
      return told;
    },
    get best() {
      return best;
    },
  };
}
