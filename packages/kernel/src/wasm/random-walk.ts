import { createRng } from '@regimen/core';

/** A seeded geometric random walk from 100, no drift, 1% volatility per bar: test and benchmark prices. */
export function randomWalk(bars: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const p = new Float64Array(bars);
  let x = 100;
  for (let t = 0; t < bars; t++) {
    p[t] = x;
    x *= Math.exp(0.01 * rng.normal());
  }
  return p;
}
