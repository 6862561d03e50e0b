import type { ParetoSelect } from '@regimen/core';
import { compareIds } from './objective.js';

/** A candidate of a front: an id and its scores, every one higher-is-better. */
export interface Scored {
  id: string;
  scores: number[];
}

/** a dominates b: at least as good on every objective and better on one. */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < b[i]!) return false;
    if (a[i]! > b[i]!) better = true;
  }
  return better;
}

/** Lexicographic on the scores (descending), then id: the total order fronts are listed in. */
export function compareLexicographic(a: Scored, b: Scored): number {
  for (let i = 0; i < a.scores.length; i++) if (a.scores[i] !== b.scores[i]) return b.scores[i]! - a.scores[i]!;
  return compareIds(a.id, b.id);
}

/**
 * The non-dominated members (every score finite), in lexicographic order. Sorted first, each
 * candidate need only be compared with the front so far: a later one can never dominate an
 * earlier one (it is not better on the first objective where they differ), so the scan is
 * O(n · front). Equal score vectors do not dominate each other: both stay.
 */
export function paretoFront<T extends Scored>(items: readonly T[]): T[] {
  const sorted = items.filter((x) => x.scores.every(Number.isFinite)).sort(compareLexicographic);
  const front: T[] = [];
  for (const x of sorted) if (!front.some((f) => dominates(f.scores, x.scores))) front.push(x);
  return front;
}

/** Each objective scaled to [0, 1] over the front (1 = the front's best); an objective the front does not vary on is 1 for all. */
function normalised(front: readonly Scored[]): number[][] {
  const k = front[0]!.scores.length;
  const lo = Array.from({ length: k }, (_, i) => Math.min(...front.map((f) => f.scores[i]!)));
  const hi = Array.from({ length: k }, (_, i) => Math.max(...front.map((f) => f.scores[i]!)));
  return front.map((f) => f.scores.map((s, i) => (hi[i]! > lo[i]! ? (s - lo[i]!) / (hi[i]! - lo[i]!) : 1)));
}

/**
 * The member a rule picks from a (non-empty, lexicographically ordered) front:
 * - first_objective: the best first objective (ties: the next objectives, then trial id) — the
 *   single-objective winner, with its ties broken by the other objectives;
 * - knee: nearest (Euclidean) the ideal point — every objective at the front's best — once each
 *   objective is scaled to [0, 1] over the front, so units do not matter: the balanced compromise;
 * - weighted: the largest Σ wᵢ·(scaled score i), scaled as for knee.
 * Ties go to the earlier member in front order, so the pick is deterministic.
 */
export function selectFromFront<T extends Scored>(front: readonly T[], rule: ParetoSelect, weights?: readonly number[] | null): T {
  if (rule === 'first_objective' || front.length === 1) return front[0]!;
  const u = normalised(front);
  const value = rule === 'knee'
    ? (row: number[]) => -Math.hypot(...row.map((x) => 1 - x))
    : (row: number[]) => row.reduce((a, x, i) => a + (weights?.[i] ?? 0) * x, 0);
  let best = 0;
  for (let j = 1; j < front.length; j++) if (value(u[j]!) > value(u[best]!)) best = j;
  return front[best]!;
}
