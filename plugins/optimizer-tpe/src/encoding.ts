import { dimensionSize, dimensionValue, isContinuous, type Candidate, type Dimension, type ParamValue, type Rng } from '@regimen/core';
import type { ParzenParam } from './parzen-estimator.js';

/**
 * How TPE sees a search space. A list of values is categorical (as Optuna's suggest_categorical);
 * an int or stepped range, and a range by count (log-spaced or not), is a grid whose points are
 * numbered 0..n−1 on a line with step 1 — every Parzen rule is affine-invariant, so this is
 * Optuna's stepped int/float exactly, and a log-spaced count grid is a stepped grid in log space;
 * a continuous float is a number (its log when `log`), and so is a log-uniform int range (Optuna's
 * log int: log(min − ½)..log(max + ½), rounded). A dimension of one value is not modelled.
 */
export interface Coordinate {
  dimension: Dimension;
  param: ParzenParam;
  /** a value of the dimension → its coordinate; undefined when it is not one of its values */
  encode(v: ParamValue): number | undefined;
  decode(x: number): ParamValue;
  /** a uniform random coordinate (Optuna's RandomSampler for start-up trials) */
  random(rng: Rng): number;
}

export interface Encoding {
  coordinates: Coordinate[];
  /** single-value dimensions: name → value */
  fixed: Candidate;
  /** number of points of the space before constraints (Infinity with a continuous dimension) */
  size: number;
  encode(c: Candidate): number[] | undefined;
  decode(x: readonly number[]): Candidate;
}

function gridCoordinate(d: Dimension): Coordinate {
  const n = dimensionSize(d);
  const index = new Map<ParamValue, number>();
  for (let i = 0; i < n; i++) if (!index.has(dimensionValue(d, i))) index.set(dimensionValue(d, i), i);
  const param: ParzenParam = d.kind === 'values' ? { kind: 'categorical', choices: n } : { kind: 'numeric', low: -0.5, high: n - 0.5, step: 1 };
  return { dimension: d, param, encode: (v) => index.get(v), decode: (x) => dimensionValue(d, x), random: (rng) => rng.int(0, n - 1) };
}

function continuousCoordinate(d: Dimension & { kind: 'float' }): Coordinate {
  const log = d.log === true;
  const low = log ? Math.log(d.min) : d.min, high = log ? Math.log(d.max) : d.max;
  return {
    dimension: d,
    param: { kind: 'numeric', low, high, step: null },
    encode: (v) => (typeof v === 'number' && v >= d.min && v <= d.max ? (log ? Math.log(v) : v) : undefined),
    decode: (x) => Math.min(Math.max(log ? Math.exp(x) : x, d.min), d.max),
    random: (rng) => low + rng.next() * (high - low),
  };
}

/**
 * An int range drawn log-uniformly (`{min, max, log: true}`): as Optuna's log IntDistribution, a
 * number in log space between log(min − ½) and log(max + ½), rounded back to the nearest integer.
 */
function logIntCoordinate(d: Dimension & { kind: 'int' }): Coordinate {
  const low = Math.log(d.min - 0.5), high = Math.log(d.max + 0.5);
  return {
    dimension: d,
    param: { kind: 'numeric', low, high, step: null },
    encode: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= d.min && v <= d.max ? Math.log(v) : undefined),
    decode: (x) => Math.min(Math.max(Math.round(Math.exp(x)), d.min), d.max),
    random: (rng) => low + rng.next() * (high - low),
  };
}

export function encodeSpace(dimensions: readonly Dimension[]): Encoding {
  const coordinates: Coordinate[] = [];
  const fixed: Candidate = {};
  let size = 1;
  for (const d of dimensions) {
    const n = dimensionSize(d);
    size *= n;
    if (n === 1) fixed[d.name] = dimensionValue(d, 0);
    else if (d.kind === 'int' && d.log && d.step === 1 && d.min >= 1) coordinates.push(logIntCoordinate(d));
    else coordinates.push(isContinuous(d) ? continuousCoordinate(d as Dimension & { kind: 'float' }) : gridCoordinate(d));
  }
  return {
    coordinates,
    fixed,
    size,
    encode(c) {
      const x: number[] = [];
      for (const k of coordinates) {
        const v = k.encode(c[k.dimension.name]!);
        if (v === undefined) return undefined;
        x.push(v);
      }
      return x;
    },
    decode(x) {
      const c: Candidate = {};
      // the space's own order, so candidate keys do not depend on which dimensions are modelled
      let j = 0;
      for (const d of dimensions) c[d.name] = d.name in fixed ? fixed[d.name]! : coordinates[j]!.decode(x[j++]!);
      return c;
    },
  };
}
