import { describe, expect, it } from 'vitest';
import { createRng, type Candidate, type Evaluated, type Search } from '@regimen/core';
import { parseDuration, searchBudget, withBudget, type BudgetedSearch } from './budget.js';

/** An endless search asking 0, 1, 2, … and a scorer of per-regime scores by index. */
function counter(): Search {
  let i = 0;
  return { ask: (n) => Array.from({ length: n }, () => ({ i: i++ })), tell: () => {}, done: false, estimate: () => undefined };
}

/** Drive a search like phase 1: ask rounds of `round`, tell in ask order. Returns the kept trial indices. */
function drive(s: BudgetedSearch, round: number, regimes: (i: number) => Evaluated['regimes']): number[] {
  const all: Candidate[] = [];
  while (!s.done) {
    const cs = s.ask(round);
    if (cs.length === 0) break;
    all.push(...cs);
    s.tell(cs.map((c) => ({ candidate: c, score: 0, regimes: regimes(c.i as number) })));
  }
  return all.slice(0, s.kept).map((c) => c.i as number);
}

describe('search budgets', () => {
  it('max_trials caps the trials exactly, whatever the round size', () => {
    for (const round of [1, 7, 64, 1000]) {
      const s = withBudget(counter(), { max_trials: 100 });
      expect(drive(s, round, () => undefined)).toHaveLength(100);
      expect(s.stoppedBy).toBe('max_trials');
      expect(s.estimate()).toBe(100);
    }
  });

  it('patience stops at the same trial for any round size (no pair improved for N trials, in ask order)', () => {
    // two classifiers' regimes with random scores: improvements get rarer as bests grow
    const rng = createRng(5);
    const scores = Array.from({ length: 5000 }, () => ({ hmm: { bull: rng.next(), bear: rng.next() }, pattern: { range: rng.next(), x: NaN } }));
    const stops = [1, 3, 64, 256, 5000].map((round) => {
      const s = withBudget(counter(), { patience: 40 });
      const kept = drive(s, round, (i) => scores[i]);
      expect(s.stoppedBy).toBe('patience');
      return kept.length;
    });
    expect(new Set(stops).size).toBe(1);
    // the reference: the first index after which 40 trials in a row improve no pair
    const best = new Map<string, number>();
    let since = 0, stop = -1;
    for (let i = 0; i < scores.length && stop < 0; i++) {
      let improved = false;
      for (const [c, rs] of Object.entries(scores[i]!)) for (const [r, x] of Object.entries(rs)) {
        if (Number.isFinite(x) && !(x <= (best.get(c + r) ?? -Infinity))) (best.set(c + r, x), (improved = true));
      }
      since = improved ? 0 : since + 1;
      if (since === 40) stop = i + 1;
    }
    expect(stops[0]).toBe(stop);
  });

  it('patience without regime scores watches the overall score; NaN never improves', () => {
    const s = withBudget(counter(), { patience: 3 });
    s.ask(6);
    s.tell([1, 2, NaN, 1, 2, 9].map((score, i) => ({ candidate: { i }, score })));
    expect(s.stoppedBy).toBe('patience');
    expect(s.kept).toBe(5);
  });

  it('timeout stops asking once the clock passes it, and says so — but never before the first round', () => {
    let t = 0;
    const late = withBudget(counter(), { timeout_seconds: 2 }, { now: () => t });
    t = 5000;
    expect(late.done).toBe(false);
    expect(late.ask(3)).toHaveLength(3);
    expect(late.done).toBe(true);
    t = 0;
    const s = withBudget(counter(), { timeout_seconds: 2 }, { now: () => t });
    expect(s.ask(5)).toHaveLength(5);
    t = 1999;
    expect(s.done).toBe(false);
    t = 2000;
    expect(s.done).toBe(true);
    expect(s.ask(5)).toEqual([]);
    expect(s.stoppedBy).toBe('timeout');
  });

  it('an exhausted search ends as exhausted', () => {
    const items = [1, 2, 3];
    const inner: Search = { ask: (n) => items.splice(0, n).map((i) => ({ i })), tell: () => {}, get done() { return items.length === 0; }, estimate: () => 3 };
    const s = withBudget(inner, { max_trials: 10 });
    expect(drive(s, 2, () => undefined)).toEqual([1, 2, 3]);
    expect(s.stoppedBy).toBe('exhausted');
    expect(s.estimate()).toBe(3);
  });

  it('parses budgets and durations; a budget of 0 is one config error naming the key', () => {
    expect(searchBudget({ max_trials: 50, timeout: '15m', patience: 200 })).toEqual({ max_trials: 50, timeout_seconds: 900, patience: 200 });
    expect([parseDuration(90), parseDuration('90s'), parseDuration('2h'), parseDuration('1.5min'), parseDuration('500ms')]).toEqual([90, 90, 7200, 90, 0.5]);
    expect([parseDuration('0s'), parseDuration('soon'), parseDuration(-1)]).toEqual([undefined, undefined, undefined]);
    expect(() => searchBudget({ max_trials: 0 }, 'p1')).toThrow(/max_trials must be .* at least 1 \(a budget of 0 runs nothing\)/);
    expect(() => searchBudget({ patience: 1.5 })).toThrow(/patience/);
    expect(() => searchBudget({ timeout: '0s' })).toThrow(/timeout must be a positive duration/);
  });
});
