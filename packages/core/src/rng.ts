import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';

/**
 * The one seeded random source of Regimen. Every random choice (restarts, sampling, mutation)
 * draws from an Rng derived from the workflow seed, so runs are reproducible. `fork(label)` gives
 * an independent stream per consumer so adding draws in one place never shifts another's.
 */
export interface Rng {
  /** uniform in [0, 1) with 53 random bits */
  next(): number;
  /** uniform integer in [lo, hi], both included */
  int(lo: number, hi: number): number;
  /** standard normal (Box–Muller) */
  normal(): number;
  /** an independent generator keyed by a label */
  fork(label: string): Rng;
}

/** FNV-1a over a string: a stable 32-bit key for deriving seeds from labels. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function createRng(seed: number): Rng {
  const g = xoroshiro128plus(seed | 0);
  let spare: number | undefined;
  const rng: Rng = {
    next: () => uniformFloat64(g),
    int: (lo, hi) => uniformInt(g, lo, hi),
    normal() {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      let u = 0;
      while (u === 0) u = uniformFloat64(g);
      const v = uniformFloat64(g);
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    fork: (label) => createRng((hash32(label) ^ Math.imul(seed | 0, 0x9e3779b1)) | 0),
  };
  return rng;
}
