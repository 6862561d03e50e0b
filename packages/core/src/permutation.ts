import { regimenError } from './errors.js';
import type { Rng } from './rng.js';

const ROUNDS = 6;

/**
 * A seeded random permutation of 0..n−1, produced lazily: a balanced Feistel network is a
 * bijection on [0, 4^h) (4^h ≥ n), and walking its outputs while skipping those ≥ n visits every
 * index below n exactly once. Memory is O(1) whatever n is, so a sample of a 10⁷-point grid never
 * builds the grid, and points rejected by constraints are simply replaced by the next ones.
 */
export function* seededPermutation(n: number, rng: Rng): Generator<number> {
  if (n <= 0) return;
  if (n > 2 ** 52) throw regimenError({ code: 'config', value: n, message: 'grid too large to sample (more than 2^52 points)' });
  let half = 1;
  while (4 ** half < n) half++;
  const side = 2 ** half;
  const mask = side - 1;
  const keys = Array.from({ length: ROUNDS }, () => rng.int(0, 0x7fffffff));
  const round = (k: number, x: number) => {
    // murmur3's finaliser: cheap and well mixed, enough to shuffle indices (not for cryptography)
    let h = Math.imul(x ^ k, 0x9e3779b1);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return (h >>> 0) & mask;
  };
  for (let i = 0, domain = side * side; i < domain; i++) {
    let left = Math.floor(i / side), right = i % side;
    for (const k of keys) [left, right] = [right, left ^ round(k, right)];
    const y = left * side + right;
    if (y < n) yield y;
  }
}
