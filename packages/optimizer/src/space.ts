import {
  regimenError,
  type Candidate,
  type Dimension,
  type DimensionSpec,
  type ParameterSpaceSpec,
  type Params,
  type ParamValue,
  type RangeSpec,
  type SearchSpace,
} from '@regimen/core';
import { compileConstraint } from './constraint.js';

const isInt = (x: number) => Number.isInteger(x);

/** Distinct values in first-occurrence order. */
function dedupe(values: readonly ParamValue[]): ParamValue[] {
  const out: ParamValue[] = [];
  for (const v of values) if (!out.some((o) => Object.is(o, v))) out.push(v);
  return out;
}

function rangeDimension(name: string, r: RangeSpec, field: string): Dimension {
  const bad = (message: string): never => {
    throw regimenError({ code: 'config', field, value: r, message });
  };
  if (!(r.max >= r.min)) bad('max must be >= min');
  if (r.log && !(r.min > 0)) bad('a log-scale range needs min > 0 (its bounds must be positive)');
  if (r.log && r.step !== undefined) bad('a log-scale range takes count (log-spaced grid points) or neither (sampled log-uniformly), not step');
  const continuous = r.step === undefined && r.count === undefined && r.min !== r.max;
  if (continuous && r.type !== 'float' && !r.log) bad('a range needs step or count (or type: float / log: true for a continuous range, which random and genetic search sample)');
  // int when asked, or when min, max and step are all whole numbers and nothing says otherwise
  const asInt = r.type === 'int' || (r.type === undefined && r.count === undefined && isInt(r.min) && isInt(r.max) && (r.step === undefined || isInt(r.step)));
  if (asInt) {
    if (!isInt(r.min) || !isInt(r.max) || (r.step !== undefined && !isInt(r.step))) bad('an int range needs whole min, max and step');
    // every integer is a grid point; samplers draw them log-uniformly
    if (r.count === undefined && r.log) return { name, kind: 'int', min: r.min, max: r.max, step: 1, log: true };
    if (r.count === undefined) return { name, kind: 'int', min: r.min, max: r.max, step: r.step ?? 1 };
    // an int range by count (e.g. log-spaced lookbacks): the rounded points, duplicates dropped
    const f: Dimension = { name, kind: 'float', min: r.min, max: r.max, count: r.count, log: r.log };
    return { name, kind: 'values', values: dedupe(floatPoints(f).map((x) => Math.round(x))) };
  }
  return { name, kind: 'float', min: r.min, max: r.max, ...(r.step !== undefined && r.count === undefined ? { step: r.step } : {}), ...(r.count !== undefined ? { count: r.count } : {}), ...(r.log ? { log: true } : {}) };
}

function floatPoints(d: Dimension & { kind: 'float' }): number[] {
  const n = d.count ?? 1;
  if (n === 1 || d.min === d.max) return [d.min];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = i / (n - 1);
    out.push(d.log ? Math.exp(Math.log(d.min) + t * (Math.log(d.max) - Math.log(d.min))) : d.min + t * (d.max - d.min));
  }
  return out;
}

/** One config dimension → a Dimension: a list (deduplicated, order kept), a range, or a constant. */
export function buildDimension(name: string, spec: DimensionSpec, field = name): Dimension {
  if (Array.isArray(spec)) {
    if (spec.length === 0) throw regimenError({ code: 'config', field, value: spec, message: 'an empty list of values' });
    return { name, kind: 'values', values: dedupe(spec) };
  }
  if (spec !== null && typeof spec === 'object') return rangeDimension(name, spec, field);
  return { name, kind: 'values', values: [spec] };
}

export interface SearchSpaceOptions {
  /** expressions over parameter names, e.g. `fast < slow` */
  constraints?: string[];
  /** fixed parameters: constant dimensions; a fixed value overrides a searched one of the same name */
  fixed?: Params;
  /** the config field of the strategy, for error messages (e.g. `workflow.strategies.trend`) */
  where?: string;
}

/**
 * A config parameter space → SearchSpace. Dimensions keep the spec's key order, fixed parameters
 * follow as single-value dimensions. Nothing is enumerated here: grids are decoded lazily by index.
 */
export function buildSearchSpace(space: ParameterSpaceSpec, opts: SearchSpaceOptions = {}): SearchSpace {
  const prefix = opts.where ? `${opts.where}.` : '';
  const fixed = opts.fixed ?? {};
  const dimensions: Dimension[] = [];
  for (const [name, spec] of Object.entries(space)) {
    if (name in fixed) continue;
    dimensions.push(buildDimension(name, spec, `${prefix}parameter_space.${name}`));
  }
  for (const [name, value] of Object.entries(fixed)) dimensions.push({ name, kind: 'values', values: [value] });
  const names = dimensions.map((d) => d.name);
  const constraints = (opts.constraints ?? []).map((expr, i) => compileConstraint(expr, names, `${prefix}constraints[${i}]`));
  return { dimensions, constraints };
}

export interface WeightSpaceOptions {
  /** grid values per strategy (default: 0, 0.1, …, 1) */
  values?: Record<string, DimensionSpec>;
  sum_to_one: boolean;
  min_weight: number;
  where?: string;
}

/** Used when a weight space names no values: 11 levels per strategy. */
export const DEFAULT_WEIGHT_VALUES: DimensionSpec = { min: 0, max: 1, step: 0.1 };

/**
 * The Phase-3 search space: one weight per strategy. With sum_to_one the space is a simplex:
 * every grid point is divided by its sum, the all-zero point is dropped, points with a normalised
 * weight under min_weight are dropped, and duplicates after normalisation are asked once — the
 * seed's [0, 0.5, 1]² grid gives (1,0), (0,1), (½,½), (⅓,⅔), (⅔,⅓). Weights are multiples of 10⁻⁶
 * summing to exactly 1 (see simplexWeights in core). Without sum_to_one weights are used as listed,
 * each within [0, 1] and at least min_weight.
 */
export function weightSpace(strategies: readonly string[], opts: WeightSpaceOptions): SearchSpace {
  const field = opts.where ?? 'weight_space';
  if (strategies.length === 0) throw regimenError({ code: 'config', field, message: 'a weight space needs at least one strategy' });
  for (const name of Object.keys(opts.values ?? {})) {
    if (!strategies.includes(name)) throw regimenError({ code: 'config', field: `${field}.${name}`, value: name, message: `not a strategy of this workflow (strategies: ${strategies.join(', ')})` });
  }
  const m = opts.min_weight;
  if (!(m >= 0 && m <= 1)) throw regimenError({ code: 'config', field: 'weight_constraints.min_weight', value: m, message: 'min_weight must be within [0, 1]' });
  if (opts.sum_to_one && strategies.length * m > 1 + 1e-12) {
    throw regimenError({ code: 'config', field: 'weight_constraints.min_weight', value: m, message: `min_weight × ${strategies.length} strategies exceeds 1: no weights can sum to one` });
  }
  const dimensions = strategies.map((s) => {
    const d = buildDimension(s, opts.values?.[s] ?? DEFAULT_WEIGHT_VALUES, `${field}.${s}`);
    const lo = d.kind === 'values' ? Math.min(...d.values.map(Number)) : d.min;
    const hi = d.kind === 'values' ? Math.max(...d.values.map(Number)) : d.max;
    const numeric = d.kind !== 'values' || d.values.every((v) => typeof v === 'number');
    if (!numeric || !(lo >= 0) || (!opts.sum_to_one && hi > 1)) {
      throw regimenError({ code: 'config', field: `${field}.${s}`, value: opts.values?.[s], message: opts.sum_to_one ? 'weights must be numbers >= 0' : 'weights must be numbers within [0, 1]' });
    }
    return d;
  });
  if (opts.sum_to_one) return { dimensions, constraints: [], simplex: { min_weight: m } };
  const atLeast = (c: Candidate) => strategies.every((s) => (c[s] as number) >= m);
  return { dimensions, constraints: m > 0 ? [atLeast] : [] };
}
