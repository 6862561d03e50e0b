import { regimenError, type Candidate, type Evaluated, type Search } from '@regimen/core';

/**
 * What a search may spend, the same for every algorithm (grid, random, genetic, tpe, a plugin):
 * the optimizer package wraps whatever the plugin made, so no plugin re-implements it.
 * - max_trials: at most this many trials (per strategy search). Deterministic.
 * - patience: stop once N trials in a row improved no classifier × regime pair's best score (the
 *   regime analysis' objective with its filters, `Evaluated.regimes`); trials are counted in the
 *   order they were asked, so the stop is the same for any worker count. Deterministic.
 * - timeout_seconds: stop asking once this much wall time has passed since the search was made.
 *   Not deterministic — how far a search gets depends on the machine; the stop is recorded.
 */
export interface SearchBudget {
  max_trials?: number;
  timeout_seconds?: number;
  patience?: number;
}

/** Why a search ended: it had nothing left to ask, or a budget stopped it. */
export type StopReason = 'exhausted' | 'max_trials' | 'patience' | 'timeout';

export interface BudgetedSearch extends Search {
  /** null while the search goes on */
  readonly stoppedBy: StopReason | null;
  /** candidates handed out so far */
  readonly asked: number;
  /**
   * Trials that count, a prefix of the asked ones in ask order: all of them, except the trials
   * asked in the same round as a patience stop but after the trial that triggered it (their
   * results are dropped, so the trials kept do not depend on how many were in flight).
   */
  readonly kept: number;
  /** trials told since a classifier × regime pair's best last improved */
  readonly sinceImprovement: number;
}

export interface BudgetClock {
  /** milliseconds, monotonic */
  now(): number;
}

/** `90`, `90s`, `15m`/`15min`, `2h`, `500ms` → seconds; undefined for anything else. */
export function parseDuration(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?\s*$/.exec(value);
  if (!m) return undefined;
  const x = Number(m[1]) * { ms: 0.001, s: 1, m: 60, min: 60, h: 3600 }[m[2] ?? 's']!;
  return x > 0 ? x : undefined;
}

/** A budget from config values; one config error naming the key when a value is not a budget. */
export function searchBudget(cfg: { max_trials?: number; timeout?: number | string; patience?: number }, where = 'budget'): SearchBudget {
  const out: SearchBudget = {};
  for (const key of ['max_trials', 'patience'] as const) {
    const v = cfg[key];
    if (v === undefined) continue;
    if (!(Number.isInteger(v) && v >= 1)) throw regimenError({ code: 'config', field: `${where}.${key}`, value: v, message: `${key} must be a whole number of trials, at least 1 (a budget of ${v} runs nothing)` });
    out[key] = v;
  }
  if (cfg.timeout !== undefined) {
    const s = parseDuration(cfg.timeout);
    if (s === undefined) throw regimenError({ code: 'config', field: `${where}.timeout`, value: cfg.timeout, message: 'timeout must be a positive duration: seconds, or 90s, 15m, 2h' });
    out.timeout_seconds = s;
  }
  return out;
}

/** Does the budget bound an endless search (a continuous space)? Patience alone does not promise an end. */
export function isBounded(budget: SearchBudget): boolean {
  return budget.max_trials !== undefined || budget.timeout_seconds !== undefined;
}

/** The improvement key of a result: each classifier × regime score, or the overall score when it has none. */
function pairScores(r: Evaluated): Array<[string, number]> {
  if (!r.regimes) return [['', r.score]];
  const out: Array<[string, number]> = [];
  for (const [c, regimes] of Object.entries(r.regimes)) for (const [g, s] of Object.entries(regimes)) out.push([`${c}\u0000${g}`, s]);
  return out;
}

/**
 * `search` under `budget`. Results must be told in the order their candidates were asked (phase 1
 * does), which is what makes max_trials and patience independent of the worker count; a search
 * that asks more than it was told (rounds in flight) is cut exactly at the trial that ends it.
 */
export function withBudget(search: Search, budget: SearchBudget, clock: BudgetClock = { now: () => performance.now() }): BudgetedSearch {
  const started = clock.now();
  const best = new Map<string, number>();
  let stoppedBy: StopReason | null = null;
  let asked = 0;
  let told = 0;
  let kept: number | undefined;
  let since = 0;
  // a search always gets its first round: searches run side by side in rounds, and one that found
  // the clock spent by the others' first rounds would otherwise end with no trial at all
  const overTime = () => budget.timeout_seconds !== undefined && asked > 0 && clock.now() - started >= budget.timeout_seconds * 1000;
  const check = (): StopReason | null => {
    if (stoppedBy) return stoppedBy;
    if (budget.max_trials !== undefined && asked >= budget.max_trials) stoppedBy = 'max_trials';
    else if (overTime()) stoppedBy = 'timeout';
    else if (search.done) stoppedBy = 'exhausted';
    return stoppedBy;
  };
  return {
    ask(n) {
      if (check()) return [];
      const room = budget.max_trials !== undefined ? Math.min(n, budget.max_trials - asked) : n;
      const out: Candidate[] = search.ask(room);
      asked += out.length;
      return out;
    },
    tell(results) {
      const counted: Evaluated[] = [];
      for (const r of results) {
        if (kept !== undefined) break;
        told++;
        counted.push(r);
        let improved = false;
        for (const [key, s] of pairScores(r)) {
          if (!Number.isFinite(s)) continue;
          const b = best.get(key);
          if (b === undefined || s > b) {
            best.set(key, s);
            improved = true;
          }
        }
        since = improved ? 0 : since + 1;
        if (budget.patience !== undefined && since >= budget.patience) {
          kept = told;
          stoppedBy = 'patience';
        }
      }
      if (counted.length) search.tell(counted);
    },
    get done() {
      return check() !== null;
    },
    estimate() {
      const inner = search.estimate();
      if (budget.max_trials === undefined) return inner;
      return inner === undefined ? budget.max_trials : Math.min(inner, budget.max_trials);
    },
    get stoppedBy() {
      return stoppedBy;
    },
    get asked() {
      return asked;
    },
    get kept() {
      return kept ?? asked;
    },
    get sinceImprovement() {
      return since;
    },
  };
}
