import { describe, expect, it } from 'vitest';
import { NO_REGIME, createRng, type RegimeTrack, type ReplayBatch, type SignalEvents } from '@regimen/core';
import { referenceEngine } from '../reference/engine.js';
import { randomWalk } from './random-walk.js';
import { createKernelArena } from './kernel-arena.js';
import { createWasmEngine } from './wasm-engine.js';

/**
 * The fused replay kernel (four weight sets per pass, combo table, per-block regime gathers)
 * against the TypeScript reference, compared with toEqual: the same numbers, not close ones.
 */
function track(classifier: string, names: string[], bars: number, seed: number, flip: number): RegimeTrack {
  const rng = createRng(seed);
  const labels = new Uint8Array(bars);
  let k = 0;
  for (let t = 0; t < bars; t++) {
    if (rng.next() < flip) k = Math.floor(rng.next() * names.length);
    labels[t] = t < 23 || rng.next() < 0.03 ? NO_REGIME : k;
  }
  return { classifier, names, labels };
}

/** Events at random bars with positions drawn from `values` (one of them each time). */
function events(bars: number, seed: number, rate: number, values: number[]): SignalEvents {
  const rng = createRng(seed);
  const bar: number[] = [];
  const position: number[] = [];
  let prev = 0;
  for (let t = 0; t < bars; t++) {
    if (rng.next() >= rate) continue;
    const p = values[Math.floor(rng.next() * values.length)]!;
    if (p === prev) continue;
    bar.push(t);
    position.push(p);
    prev = p;
  }
  return { bar: Int32Array.from(bar), position: Float64Array.from(position) };
}

function weightSets(count: number, regimes: number, legs: number, seed: number): Float64Array[][] {
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, i) =>
    Array.from({ length: regimes }, (_, k) => Float64Array.from({ length: legs }, (_, s) => {
      // zeros, negatives and weights large enough to clip at ±1
      if ((i + k + s) % 5 === 0) return 0;
      return i % 3 === 2 ? rng.next() * 4 - 2 : rng.next() * 1.2 - 0.1;
    })));
}

describe('fused replay equals the reference replay', () => {
  const engine = createWasmEngine();
  const bars = 5000;
  const close = randomWalk(bars, 31);
  const regime = track('hmm', ['bull', 'bear', 'flat'], bars, 32, 0.01);
  const vol = track('vol', ['calm', 'wild'], bars, 33, 0.4);
  const ev = [0.02, 0.05, 0.01, 0.1].map((rate, i) => events(bars, 40 + i, rate, i % 2 ? [0, 1] : [-1, 0, 1, 0.5]));
  const legs: ReplayBatch['legs'] = [
    { strategy: 'a', byRegime: [ev[0]!, ev[1]!, null] },
    { strategy: 'b', byRegime: [ev[2]!, ev[2]!, ev[3]!] },
    { strategy: 'c', byRegime: [null, ev[3]!, ev[0]!] },
  ];
  const base = { close, regime, legs, costs: { fee: 0.001, slippage: 0.0005 }, barsPerYear: 252 };

  it('for 1 to 9 weight sets (padding of the four-set passes), two breakdown tracks, windows mid-series', () => {
    for (const window of [{ start: 0, end: bars }, { start: 1234, end: 4321 }, { start: 4998, end: 5000 }, { start: 300, end: 301 }]) {
      for (const count of [1, 2, 3, 4, 5, 7, 9]) {
        const batch: ReplayBatch = { ...base, window, breakdown: [regime, vol], weightSets: weightSets(count, 3, 3, count) };
        const want = referenceEngine.replay(batch);
        expect(engine.replay(batch)).toEqual(want);
      }
    }
  });

  it('is not vacuous: sets clip, trade, differ, and regimes score', () => {
    const batch: ReplayBatch = { ...base, window: { start: 100, end: bars }, breakdown: [regime, vol], weightSets: weightSets(6, 3, 3, 6) };
    const got = engine.replay(batch);
    expect(got).toEqual(referenceEngine.replay(batch));
    expect(new Set(got.map((r) => r.metrics.sharpe)).size).toBe(6);
    expect(got.every((r) => r.metrics.trades > 50 && r.regimes.vol!.wild!.trades > 0 && r.regimes.hmm!.bear!.bars > 100)).toBe(true);
    expect(got.some((r) => r.metrics.max_drawdown > 0.05)).toBe(true);
  });

  it('with legs that are mostly flat (returns between flat bars skipped in the first pass)', () => {
    const sparse = [0.03, 0.06, 0.02].map((rate, i) => events(bars, 60 + i, rate, [0, 0, 0, 1, 0, -0.5]));
    const flatLegs: ReplayBatch['legs'] = [
      { strategy: 'a', byRegime: [sparse[0]!, sparse[1]!, null] },
      { strategy: 'b', byRegime: [sparse[2]!, sparse[2]!, null] },
    ];
    for (const window of [{ start: 0, end: bars }, { start: 2100, end: 4500 }]) {
      const batch: ReplayBatch = { ...base, legs: flatLegs, window, breakdown: [regime, vol], weightSets: weightSets(5, 3, 2, 12) };
      const want = referenceEngine.replay(batch);
      expect(engine.replay(batch)).toEqual(want);
      expect(want[0]!.metrics.exposure).toBeLessThan(0.6);
    }
  });

  it('with long flat stretches (runs of skipped returns across blocks, an all-flat regime) and with NaN/∞ prices (no skipping)', () => {
    const n = 20000;
    const long = randomWalk(n, 71);
    const rare = [0.002, 0.004].map((rate, i) => events(n, 80 + i, rate, [0, 0, 0, 1, -1, 0.5]));
    const hmm = track('hmm', ['bull', 'bear', 'flat'], n, 72, 0.002);
    const wild = track('vol', ['calm', 'wild'], n, 73, 0.3);
    // regime 2 has no legs: every one of its returns is skipped and its mean is +0
    const rareLegs: ReplayBatch['legs'] = [
      { strategy: 'a', byRegime: [rare[0]!, rare[1]!, null] },
      { strategy: 'b', byRegime: [rare[1]!, null, null] },
    ];
    const sets = weightSets(6, 3, 2, 17);
    sets[1]![0]![1] = -0;
    const batch: ReplayBatch = { ...base, close: long, regime: hmm, legs: rareLegs, window: { start: 5, end: n }, breakdown: [hmm, wild], weightSets: sets };
    const want = referenceEngine.replay(batch);
    expect(want[0]!.metrics.exposure).toBeLessThan(0.5);
    expect(want[0]!.regimes.hmm!.flat!.bars).toBeGreaterThan(1000);
    expect(engine.replay(batch)).toEqual(want);
    // a zero price and a NaN close make R non-finite: every return is scored, none skipped
    const broken = long.slice();
    broken[7000] = 0;
    broken[12000] = NaN;
    const bad = { ...batch, close: broken };
    const wantBad = referenceEngine.replay(bad);
    expect(wantBad.every((r) => Number.isNaN(r.metrics.volatility))).toBe(true);
    expect(engine.replay(bad)).toEqual(wantBad);
  });

  it('without breakdown tracks, and with weight sets of fewer regimes than labels outside the window', () => {
    // regime 2 only before the window: sets with weights for regimes 0 and 1 are enough
    const labels = regime.labels.map((l, t) => (t < 1000 ? 2 : l === 2 ? 1 : l));
    const only2 = { ...regime, labels };
    const sets = weightSets(3, 2, 3, 9);
    const batch: ReplayBatch = { ...base, regime: only2, window: { start: 1000, end: bars }, breakdown: [], weightSets: sets };
    expect(engine.replay(batch)).toEqual(referenceEngine.replay(batch));
  });

  it('with more distinct positions than the combo table holds (one combo per bar)', () => {
    const values = Array.from({ length: 4000 }, (_, i) => (i / 4000) * 2.4 - 1.2);
    const dense = events(bars, 50, 0.9, values);
    const dense2 = events(bars, 51, 0.9, values);
    const denseLegs: ReplayBatch['legs'] = [
      { strategy: 'a', byRegime: [dense, dense2, dense] },
      { strategy: 'b', byRegime: [dense2, dense, null] },
    ];
    const batch: ReplayBatch = { ...base, legs: denseLegs, window: { start: 7, end: bars }, breakdown: [vol], weightSets: weightSets(5, 3, 2, 5) };
    expect(engine.replay(batch)).toEqual(referenceEngine.replay(batch));
  });

  it('with non-finite and negative-zero weights (NaN positions, no flat-bar skipping)', () => {
    const sets = weightSets(3, 3, 3, 21);
    sets[0]![1]![2] = Infinity;
    sets[1]![0]![0] = NaN;
    sets[2]![2]![1] = -0;
    const batch: ReplayBatch = { ...base, window: { start: 500, end: bars }, breakdown: [vol, regime], weightSets: sets };
    const want = referenceEngine.replay(batch);
    expect(Number.isNaN(want[1]!.metrics.total_return)).toBe(true);
    expect(engine.replay(batch)).toEqual(want);
  });

  it('throws the reference errors for bad breakdown tracks and bad leg events', () => {
    const batch: ReplayBatch = { ...base, window: { start: 10, end: bars }, breakdown: [vol], weightSets: weightSets(2, 3, 3, 2) };
    const badLabels = vol.labels.slice();
    badLabels[3000] = 7;
    const bad = { ...batch, breakdown: [regime, { ...vol, labels: badLabels }] };
    expect(() => referenceEngine.replay(bad)).toThrow(/regime label 7 at bar 3000 is not one of 2 regimes/);
    expect(() => engine.replay(bad)).toThrow(/regime label 7 at bar 3000 is not one of 2 regimes/);
    const short = { ...batch, breakdown: [{ ...vol, labels: vol.labels.subarray(0, 4000) }] };
    expect(() => referenceEngine.replay(short)).toThrow(/cover 4000 bars/);
    expect(() => engine.replay(short)).toThrow(/cover 4000 bars/);
    const unordered: SignalEvents = { bar: Int32Array.of(5, 3), position: Float64Array.of(1, 0) };
    const badLegs = { ...batch, legs: [{ strategy: 'a', byRegime: [unordered, null, null] }, ...legs.slice(1)] };
    expect(() => referenceEngine.replay(badLegs)).toThrow(/increasing order/);
    expect(() => engine.replay(badLegs)).toThrow(/increasing order/);
    // the engine still scores the good batch afterwards
    expect(engine.replay(batch)).toEqual(referenceEngine.replay(batch));
  });

  it('when equity overflows to ±∞ (max drawdown from troughs stays exact)', () => {
    // price ×1e10 on odd bars, ÷1e10 on even ones; long before the rises overflows the equity,
    // short before some rises sends it to −∞
    const n = 200;
    const p = Float64Array.from({ length: n }, (_, t) => (t % 2 === 1 ? 1e10 : 1));
    const bar: number[] = [];
    const position: number[] = [];
    for (let t = 0; t < n; t++) {
      bar.push(t);
      position.push(t % 2 === 1 ? 0 : t > 120 && t % 6 === 0 ? -1 : 1);
    }
    const e: SignalEvents = { bar: Int32Array.from(bar), position: Float64Array.from(position) };
    const flat: RegimeTrack = { classifier: 'one', names: ['all'], labels: new Uint8Array(n) };
    const batch: ReplayBatch = {
      close: p, window: { start: 0, end: n }, regime: flat, breakdown: [flat], legs: [{ strategy: 'a', byRegime: [e] }],
      weightSets: [[Float64Array.of(1)], [Float64Array.of(0.5)], [Float64Array.of(-1)]], costs: { fee: 0.001, slippage: 0 }, barsPerYear: 252,
    };
    const want = referenceEngine.replay(batch);
    expect(Number.isFinite(want[0]!.metrics.total_return)).toBe(false);
    expect(engine.replay(batch)).toEqual(want);
  });
});

describe('addRepeated: a run of skipped returns added in O(1), the bits of adding one by one', () => {
  const arena = createKernelArena();
  const out = arena.alloc(16);
  const oneByOne = (q: number, c: number, L: number) => {
    for (let j = 0; j < L; j++) q += c;
    return q;
  };
  const bits = (x: number) => Buffer.from(Float64Array.of(x).buffer).toString('hex');
  /** ulp of x's binade (x a positive normal double) */
  const ulp = (x: number) => 2 ** (Math.floor(Math.log2(x)) - 52);
  function check(q0: number, q1: number, c0: number, c1: number, L: number): void {
    arena.kernel.replayAddRepeated(q0, q1, c0, c1, L, out);
    const [g0, g1] = arena.f64(out, 2);
    expect([bits(g0!), bits(g1!)], `q ${q0} ${q1}, c ${c0} ${c1}, L ${L}`).toEqual([bits(oneByOne(q0, c0, L)), bits(oneByOne(q1, c1, L))]);
  }

  it('on sums of squares like the kernel makes, runs of every length up to a block', () => {
    const rng = createRng(7);
    for (let i = 0; i < 3000; i++) {
      const mean = (rng.next() - 0.4) * 10 ** (-2 - 6 * rng.next());
      const c = mean * mean;
      const q = i % 17 === 0 ? 0 : rng.next() * 10 ** (-12 + 14 * rng.next());
      const L = i % 5 === 0 ? Math.floor(rng.next() * 2048) : Math.floor(rng.next() * 40);
      check(q, q * 3 + c, c, c * 0.7, L);
    }
  });

  it('when every step is a tie (c an odd multiple of half the spacing), from odd and even q', () => {
    for (const e of [-30, 0, 7]) {
      const u = 2 ** (e - 52);
      for (const j of [0, 1, 2, 3, 10, 11]) {
        for (const m of [0, 1, 2, 5, 2 ** 20 + 1]) {
          const q = 2 ** e + m * u;
          const c = (j + 0.5) * u;
          for (const L of [8, 9, 100, 2047]) check(q, q + u, c, c, L);
        }
      }
    }
    expect(ulp(1)).toBe(2 ** -52);
  });

  it('across binades, from +0, subnormal and tiny steps, c = +0, and near the largest double', () => {
    for (const L of [7, 8, 9, 64, 1000, 2048]) {
      check(0, 0, 0.1, 1e-300, L); // from +0: the first step sets the binade
      check(0.9, 1.5, 0.01, 0.37, L); // crosses 1 and 2
      check(5e-324, 1e-310, 5e-324, 3e-320, L); // subnormal
      check(1, 2 ** 40, 2 ** -60, 1e-5, L); // steps below half a spacing: q stays
      check(3, 0, 0, 0, L); // c = +0
      check(2 ** 1022, 1.7e308, 2 ** 1015, 1e300, L); // the top binades, overflow to ∞
      check(Infinity, 1, 1, Infinity, L);
      check(NaN, 1, 1, NaN, L);
    }
  });
});
