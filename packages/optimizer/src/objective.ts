import { CSCV_METRICS, METRIC_NAMES, regimenError, type CscvTerm, type Metrics, type RegimeMetrics } from '@regimen/core';
import { compileExpression } from './expression.js';

/**
 * An objective turns metrics into one score, higher is better. Names: a metric (`sharpe`),
 * `maximize_<metric>` / `minimize_<metric>`, `calmar` (cagr / max_drawdown, 0 when there is no
 * drawdown), `minimize_regime_drawdown` (the seed's: −max_drawdown, ties broken by the higher
 * sharpe through `tiebreak` rather than by blending a small multiple into the score), or an
 * expression over metric names (`sharpe - 2*max_drawdown`). A bare `max_drawdown` or
 * `volatility` means minimise it; every other bare metric is maximised.
 */
export interface Objective {
  name: string;
  score(m: Metrics | RegimeMetrics): number;
  /** second key when scores tie, higher is better */
  tiebreak?(m: Metrics | RegimeMetrics): number;
  /** the metrics score and tiebreak read (a superset); undefined: any */
  uses?: readonly string[];
  /** the metrics score alone reads, when fewer than `uses` (for a ranking without the tiebreak) */
  scoreUses?: readonly string[];
  /**
   * score = sign·metric (and the tiebreak likewise) when the objective is that plain, over a metric
   * the kernel's CSCV walk computes: the PBO then ranks in WebAssembly (overfitting.ts)
   */
  terms?: { score: CscvTerm; tiebreak?: CscvTerm };
}

export const OBJECTIVE_METRICS = [...METRIC_NAMES, 'calmar', 'bars'] as const;
const LOWER_IS_BETTER = new Set(['max_drawdown', 'volatility']);

function calmar(m: Metrics): number {
  return m.max_drawdown > 0 ? m.cagr / m.max_drawdown : 0;
}

export function metricValue(m: Metrics | RegimeMetrics, name: string): number {
  if (name === 'calmar') return calmar(m);
  const v = (m as unknown as Record<string, unknown>)[name];
  return typeof v === 'number' ? v : NaN;
}

const FUNCTIONS = { abs: Math.abs, min: Math.min, max: Math.max, sqrt: Math.sqrt, log: Math.log };

export function compileObjective(spec: string, where = 'objective'): Objective {
  const name = spec.trim();
  const known = OBJECTIVE_METRICS as readonly string[];
  const unknown = (metric: string): never => {
    throw regimenError({ code: 'config', field: where, value: spec, message: `objective: unknown metric "${metric}" (known: ${known.join(', ')})` });
  };
  if (name === 'minimize_regime_drawdown') {
    // −x and −1·x are the same bits for every x: the kernel's walk multiplies by the sign
    return { name, score: (m) => -m.max_drawdown, tiebreak: (m) => m.sharpe, uses: ['max_drawdown', 'sharpe'], scoreUses: ['max_drawdown'], terms: { score: { metric: 'max_drawdown', sign: -1 }, tiebreak: { metric: 'sharpe', sign: 1 } } };
  }
  const directed = /^(maximize|minimize)_(.+)$/.exec(name);
  if (directed) {
    const metric = directed[2]!;
    if (!known.includes(metric)) unknown(metric);
    const sign = directed[1] === 'maximize' ? 1 : -1;
    return { name, score: (m) => sign * metricValue(m, metric), uses: [metric], ...plainTerms(metric, sign) };
  }
  if (known.includes(name)) {
    const sign = LOWER_IS_BETTER.has(name) ? -1 : 1;
    return { name, score: (m) => sign * metricValue(m, name), uses: [name], ...plainTerms(name, sign) };
  }
  const evaluate = compileExpression(name, { names: known, noun: 'metric', what: 'objective', field: where, functions: FUNCTIONS });
  return {
    name,
    uses: known.filter((k) => new RegExp(`\\b${k}\\b`).test(name)),
    score(m) {
      const env: Record<string, number> = {};
      for (const k of known) env[k] = metricValue(m, k);
      return Number(evaluate(env));
    },
  };
}

const plainTerms = (metric: string, sign: number): Pick<Objective, 'terms'> => ((CSCV_METRICS as readonly string[]).includes(metric) ? { terms: { score: { metric, sign } } } : {});

/** Trial ids compare as numbers when both are digits (`2` before `10`), else as plain strings. */
export function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b) && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface Ranked {
  id: string;
  score: number;
  tiebreak?: number;
}

/** Score descending (NaN last), then tiebreak descending, then id ascending: a total, deterministic order. */
export function compareRanked(a: Ranked, b: Ranked): number {
  const key = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? -Infinity : x);
  const s = key(b.score) - key(a.score);
  if (s !== 0 && !Number.isNaN(s)) return s;
  const t = key(b.tiebreak) - key(a.tiebreak);
  if (t !== 0 && !Number.isNaN(t)) return t;
  return compareIds(a.id, b.id);
}
