import type { Dimension, ParamValue, Params } from '@regimen/core';

/**
 * How stable the winning parameters are across the folds of a walk-forward, for one strategy in
 * one regime. A winner that repeats, or moves little, is evidence of a real optimum; one that jumps
 * around the space from fold to fold is what noise looks like.
 *
 * - `modal_share`: the share of the folds (with a winner) whose winner is the most frequent one;
 * - `repeat_rate`: the share of consecutive fold pairs (both with a winner) whose winner is the same;
 * - `mean_step`: the mean distance between consecutive folds' winners, in [0, 1]: each numeric
 *   parameter's difference divided by its range in the search space, a categorical one 0 or 1, the
 *   root mean square over the parameters. 0 means the winner never moved; 1 that it jumped from one
 *   corner of the space to the opposite one every time.
 * Parameters that are not searched (a single value) do not count.
 */
export interface ParameterStability {
  /** folds with a winner for this strategy in this regime */
  folds: number;
  modal_share: number;
  modal_params: Params | null;
  repeat_rate: number | null;
  mean_step: number | null;
  /** the winner of each fold, null where the regime had none */
  winners: Array<Params | null>;
}

type Span = { kind: 'numeric'; range: number } | { kind: 'categorical' };

function spanOf(d: Dimension): Span | null {
  if (d.kind === 'int' || d.kind === 'float') return d.max > d.min ? { kind: 'numeric', range: d.max - d.min } : null;
  if (d.values.length < 2) return null;
  if (d.values.every((v) => typeof v === 'number')) {
    const nums = d.values as number[];
    return { kind: 'numeric', range: Math.max(...nums) - Math.min(...nums) };
  }
  return { kind: 'categorical' };
}

const key = (p: Params) => JSON.stringify(Object.keys(p).sort().map((k) => [k, p[k]]));

function distance(a: Params, b: Params, spans: Map<string, Span>): number {
  let sum = 0;
  for (const [name, s] of spans) {
    const x: ParamValue | undefined = a[name];
    const y: ParamValue | undefined = b[name];
    const d = s.kind === 'numeric' && typeof x === 'number' && typeof y === 'number' ? Math.abs(x - y) / s.range : x === y ? 0 : 1;
    sum += d * d;
  }
  return spans.size ? Math.sqrt(sum / spans.size) : 0;
}

export function parameterStability(winners: Array<Params | null>, dimensions: Dimension[]): ParameterStability {
  const spans = new Map<string, Span>();
  for (const d of dimensions) {
    const s = spanOf(d);
    if (s) spans.set(d.name, s);
  }
  const present = winners.filter((w): w is Params => w !== null);
  const counts = new Map<string, { n: number; params: Params }>();
  for (const w of present) {
    const k = key(w);
    counts.set(k, { n: (counts.get(k)?.n ?? 0) + 1, params: counts.get(k)?.params ?? w });
  }
  // the most frequent winner; a tie goes to the one that won first
  let modal: { n: number; params: Params } | null = null;
  for (const c of counts.values()) if (!modal || c.n > modal.n) modal = c;
  let pairs = 0;
  let repeats = 0;
  let steps = 0;
  for (let i = 1; i < winners.length; i++) {
    const a = winners[i - 1];
    const b = winners[i];
    if (!a || !b) continue;
    pairs++;
    if (key(a) === key(b)) repeats++;
    steps += distance(a, b, spans);
  }
  return {
    folds: present.length,
    modal_share: present.length ? modal!.n / present.length : 0,
    modal_params: modal?.params ?? null,
    repeat_rate: pairs ? repeats / pairs : null,
    mean_step: pairs ? steps / pairs : null,
    winners,
  };
}
