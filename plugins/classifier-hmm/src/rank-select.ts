/**
 * The values at the given 0-based ranks of `a` in ascending order — what sorting a copy and
 * indexing it would give — by multiselect: quickselect with a three-way partition (long runs of
 * equal keys, such as zero returns, collapse at once) that recurses only into the parts holding a
 * wanted rank. O(n) for a few ranks instead of a full O(n log n) sort; a part that recurses too
 * deep is sorted instead, so the worst case stays O(n log n).
 */
export function valuesAtRanks(a: Float64Array, ranks: number[]): Map<number, number> {
  const x = a.slice();
  const out = new Map<number, number>();
  const wanted = [...new Set(ranks)].sort((p, q) => p - q);
  select(x, 0, x.length, wanted, out, 0);
  return out;
}

function select(x: Float64Array, lo: number, hi: number, ranks: number[], out: Map<number, number>, depth: number): void {
  if (ranks.length === 0) return;
  if (hi - lo <= 32 || depth > 48) {
    x.subarray(lo, hi).sort();
    for (const r of ranks) out.set(r, x[r]!);
    return;
  }
  const a = x[lo]!;
  const b = x[(lo + hi) >>> 1]!;
  const c = x[hi - 1]!;
  const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
  // [lo, lt) < pivot, [lt, i) = pivot, (gt, hi) > pivot
  let lt = lo;
  let i = lo;
  let gt = hi - 1;
  while (i <= gt) {
    const v = x[i]!;
    if (v < pivot) {
      x[i] = x[lt]!;
      x[lt] = v;
      lt++;
      i++;
    } else if (v > pivot) {
      x[i] = x[gt]!;
      x[gt] = v;
      gt--;
    } else i++;
  }
  for (const r of ranks) if (r >= lt && r <= gt) out.set(r, pivot);
  select(x, lo, lt, ranks.filter((r) => r < lt), out, depth + 1);
  select(x, gt + 1, hi, ranks.filter((r) => r > gt), out, depth + 1);
}
