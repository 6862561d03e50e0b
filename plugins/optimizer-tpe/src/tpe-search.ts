import { admitCandidate, candidateKey, gridPoint, type Candidate, type Evaluated, type Rng, type Search, type SearchSpace } from '@regimen/core';
import { encodeSpace, type Encoding } from './encoding.js';
import type { TpeOptions } from './options.js';
import { defaultGamma, parzenEstimator, type ParzenParam, type ParzenSettings } from './parzen-estimator.js';

interface Observation {
  x: number[];
  score: number;
  /** one score per classifier × regime, in `targets` order */
  regimes: number[];
}

export interface TpeSearch extends Search {
  readonly told: number;
  readonly best: Evaluated | undefined;
  /** the classifier × regime pairs the asks take turns over (empty: the overall objective) */
  readonly targets: readonly string[];
}

/** Random draws tried for a new admissible point before walking the grid for one. */
const RANDOM_TRIES = 256;
/** Combinations of per-dimension candidates tried, best first, before a random point. */
const COMBINATIONS = 512;

const isWorse = (a: number, b: number) => (Number.isNaN(a) ? -Infinity : a) < (Number.isNaN(b) ? -Infinity : b);

/**
 * TPE as Optuna's TPESampler does it (Bergstra et al. 2011; Optuna 3.1's defaults), ask/tell:
 * `startup_trials` uniform points, then per ask the told trials are split at γ(n) = min(⌈n/10⌉, 25)
 * into the best (l) and the rest (g), `ei_candidates` points are drawn from l's Parzen estimator
 * and the one with the largest log l − log g is asked — per dimension independently (Optuna's
 * default) or jointly (`multivariate`). A failed trial (NaN score) is left out of the model.
 *
 * Differences, each because phase 1 needs it: a point already asked is never asked again (the
 * next-best candidate is taken, or a random new one); candidates failing the constraints are never
 * asked; the points handed out and not yet told count as the worst results (Optuna's
 * constant_liar), so a batch for the pool spreads out; and with regime scores in the tells, asks
 * take turns over the classifier × regime pairs (see `regime_aware` and the docs).
 */
export function createTpeSearch(space: SearchSpace, o: TpeOptions, rng: Rng): TpeSearch {
  const enc: Encoding = encodeSpace(space.dimensions);
  const params: ParzenParam[] = enc.coordinates.map((k) => k.param);
  const settings: ParzenSettings = { prior: o.consider_prior, priorWeight: o.prior_weight, magicClip: o.consider_magic_clip, endpoints: o.consider_endpoints, multivariate: o.multivariate };
  const observations: Observation[] = [];
  const pointOf = new Map<string, number[]>(); // every key asked → its coordinates
  const pending = new Map<string, number[]>(); // asked, not yet told
  let targets: string[] = [];
  let asked = 0;
  let modelAsks = 0;
  let exhausted = false;
  let best: Evaluated | undefined;
  const budget = Math.min(o.trials, enc.size);

  const coordinatesAsked = new Set<string>(); // the cheap test first: candidate keys cost a canonical JSON each
  /** A new admissible candidate at these coordinates, or undefined. */
  const admit = (x: readonly number[]): { c: Candidate; key: string } | undefined => {
    if (coordinatesAsked.has(x.join(','))) return undefined;
    const c = admitCandidate(space, enc.decode(x));
    if (!c) return undefined;
    const key = candidateKey(c);
    return pointOf.has(key) ? undefined : { c, key };
  };

  function randomPoint(): { c: Candidate; key: string; x: number[] } | undefined {
    for (let t = 0; t < RANDOM_TRIES; t++) {
      const x = enc.coordinates.map((k) => k.random(rng));
      const a = admit(x);
      if (a) return { ...a, x };
    }
    if (!Number.isFinite(enc.size)) return undefined;
    // crowded: walk the grid from a random place for a point not asked yet
    const start = rng.int(0, enc.size - 1);
    for (let i = 0; i < enc.size; i++) {
      const point = gridPoint(space, (start + i) % enc.size);
      const x = enc.encode(point);
      const a = x && admit(x);
      if (a) return { ...a, x: x! };
    }
    return undefined;
  }

  /** Split for one target: the best γ(n) told trials (l), the rest plus the pending ones (g), chronological. */
  function split(value: (ob: Observation) => number): { below: number[][]; above: number[][] } {
    const told = observations.filter((ob) => !Number.isNaN(ob.score));
    const ranked = told.map((ob, i) => ({ i, v: value(ob) })).sort((a, b) => (isWorse(a.v, b.v) ? 1 : isWorse(b.v, a.v) ? -1 : a.i - b.i));
    const nBelow = defaultGamma(told.length);
    const isBelow = new Set(ranked.slice(0, nBelow).map((r) => r.i));
    const below: number[][] = [], above: number[][] = [];
    told.forEach((ob, i) => (isBelow.has(i) ? below : above).push(ob.x));
    for (const x of pending.values()) above.push(x);
    return { below, above };
  }

  function modelPoint(): { c: Candidate; key: string; x: number[] } | undefined {
    const t = targets.length ? modelAsks % targets.length : -1;
    modelAsks++;
    const { below, above } = split((ob) => (t < 0 ? ob.score : ob.regimes[t]!));
    if (o.multivariate) {
      const l = parzenEstimator(below, params, settings);
      const g = parzenEstimator(above, params, settings);
      for (let round = 0; round < 4; round++) {
        const xs = l.sample(rng, o.ei_candidates);
        const ll = l.logPdf(xs), lg = g.logPdf(xs);
        const order = xs.map((_, i) => i).sort((a, b) => ll[b]! - lg[b]! - (ll[a]! - lg[a]!) || a - b);
        for (const i of order) {
          const a = admit(xs[i]!);
          if (a) return { ...a, x: xs[i]! };
        }
      }
      return randomPoint();
    }
    // one dimension at a time, as Optuna's sample_independent: each dimension's own l/g and candidates
    const perDim = params.map((p, d) => {
      const l = parzenEstimator(below.map((x) => [x[d]!]), [p], settings);
      const g = parzenEstimator(above.map((x) => [x[d]!]), [p], settings);
      // candidates repeat on a grid: each distinct value is scored once
      const values = [...new Set(l.sample(rng, o.ei_candidates).map((x) => x[0]!))];
      const xs = values.map((v) => [v]);
      const ll = l.logPdf(xs), lg = g.logPdf(xs);
      const byValue = new Map<number, number>();
      xs.forEach((x, i) => byValue.set(x[0]!, ll[i]! - lg[i]!));
      // distinct values, best first (ties: the smaller coordinate, for determinism)
      return [...byValue].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    });
    return bestCombination(perDim) ?? randomPoint();
  }

  /**
   * Optuna takes each dimension's best candidate; when that combination is already asked or fails
   * a constraint, the next combinations by total log l − log g are tried, best first.
   */
  function bestCombination(perDim: Array<Array<[number, number]>>): { c: Candidate; key: string; x: number[] } | undefined {
    const total = (ix: number[]) => ix.reduce((s, j, d) => s + perDim[d]![j]![1], 0);
    const start = perDim.map(() => 0);
    const frontier: Array<{ ix: number[]; total: number }> = [{ ix: start, total: total(start) }];
    const queued = new Set<string>([start.join(',')]);
    for (let tries = 0; tries < COMBINATIONS && frontier.length; tries++) {
      let bi = 0;
      for (let i = 1; i < frontier.length; i++) if (frontier[i]!.total > frontier[bi]!.total) bi = i;
      const { ix } = frontier.splice(bi, 1)[0]!;
      const x = ix.map((j, d) => perDim[d]![j]![0]);
      const a = admit(x);
      if (a) return { ...a, x };
      ix.forEach((j, d) => {
        if (j + 1 >= perDim[d]!.length) return;
        const next = ix.slice();
        next[d] = j + 1;
        const key = next.join(',');
        if (!queued.has(key)) queued.add(key), frontier.push({ ix: next, total: total(next) });
      });
    }
    return undefined;
  }

  return {
    ask(n) {
      const out: Candidate[] = [];
      const want = Math.min(n, o.batch, budget - asked);
      while (out.length < want && !exhausted) {
        const complete = observations.filter((ob) => !Number.isNaN(ob.score)).length;
        const next = complete < o.startup_trials || params.length === 0 ? randomPoint() : modelPoint();
        if (!next) {
          exhausted = true;
          break;
        }
        pointOf.set(next.key, next.x);
        pending.set(next.key, next.x);
        coordinatesAsked.add(next.x.join(','));
        asked++;
        out.push(next.c);
      }
      return out;
    },
    tell(results) {
      for (const r of results) {
        if (r.regimes && o.regime_aware && targets.length === 0) {
          targets = Object.entries(r.regimes).flatMap(([c, rs]) => Object.keys(rs).map((name) => `${c}\u0000${name}`));
        }
        const key = candidateKey(r.candidate);
        const x = pointOf.get(key) ?? enc.encode(r.candidate);
        pending.delete(key);
        if (!x) continue; // not a point of this space: nothing to learn from it
        if (!pointOf.has(key)) pointOf.set(key, x);
        const regimes = targets.map((t) => {
          const [c, name] = t.split('\u0000') as [string, string];
          return r.regimes?.[c]?.[name] ?? Number.NaN;
        });
        observations.push({ x, score: r.score, regimes });
        if (!Number.isNaN(r.score) && (best === undefined || r.score > best.score)) best = r;
      }
    },
    get done() {
      return exhausted || asked >= budget;
    },
    estimate: () => (Number.isFinite(budget) ? budget : undefined),
    get told() {
      return observations.length;
    },
    get best() {
      return best;
    },
    get targets() {
      return targets.map((t) => t.replace('\u0000', '.'));
    },
  };
}
