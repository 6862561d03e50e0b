import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRng, type PboResult } from '@regimen/core';
import { cscvWalkWasm } from '@regimen/kernel';
import { embeddedDataPath, loadMarketData } from '@regimen/data';
import { candidateBlocks, compileObjective, cscvSplitRecords, probabilityOfBacktestOverfitting, type CandidateBlocks, type Objective, type PboOptions } from '@regimen/optimizer';
import { taskCommon } from './overfitting.js';
import { runPboTask, type PboTask } from './pbo-task.js';

/**
 * The kernel's CSCV walk (assembly/cscv.ts) against its reference, the optimizer's TypeScript walk:
 * every split's record and the PBO made from them, the same bits — on real candidates (the
 * numpy reference's fixture: momentum rules on SPI closes, a flat one, an exact copy) and on
 * adversarial ones (ties of every kind, NaN and a total loss, halves without variance, filters
 * that drop candidates or every one of them), for every objective the kernel scores.
 */

const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
const encode = (r: PboResult | null) => JSON.stringify(r, (_, v: unknown) => (typeof v === 'number' && (Object.is(v, -0) || !Number.isFinite(v)) ? `#${Object.is(v, -0) ? '-0' : String(v)}` : v));

/** phase 3 ranks without the objective's tiebreak (pbo-task.ts ranker) */
const withoutTiebreak = (o: Objective): Objective => ({ name: o.name, score: o.score, ...(o.uses ? { uses: o.uses } : {}), ...(o.terms ? { terms: { score: o.terms.score } } : {}) });

function expectSame(candidates: CandidateBlocks[], opts: PboOptions, what: string): { used: number } {
  let called = false;
  const walk: PboOptions['walk'] = (input) => ((called = true), cscvWalkWasm(input));
  const ts = cscvSplitRecords(candidates, opts);
  const wasm = cscvSplitRecords(candidates, { ...opts, walk });
  expect(called, `${what}: the kernel's walk ran`).toBe(ts !== null);
  expect(wasm === null, what).toBe(ts === null);
  if (ts && wasm) expect(bits(wasm.splits), what).toBe(bits(ts.splits));
  const a = probabilityOfBacktestOverfitting(candidates, opts);
  const b = probabilityOfBacktestOverfitting(candidates, { ...opts, walk: cscvWalkWasm });
  expect(encode(b), what).toBe(encode(a));
  return { used: a?.splits_used ?? 0 };
}

const OBJECTIVES = ['sharpe', 'sortino', 'max_drawdown', 'total_return', 'volatility', 'trades', 'exposure', 'maximize_sortino', 'minimize_volatility',
  'minimize_max_drawdown', 'maximize_total_return', 'minimize_trades', 'minimize_regime_drawdown'];

describe('the CSCV walk in WebAssembly equals its TypeScript reference bit for bit', () => {
  const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../../optimizer/reference/fixture.json', import.meta.url)), 'utf8')) as {
    bars_per_year: number;
    cases: Array<{ name: string; blocks: number; objective: string; min_bars: number; min_trades: number; returns: number[][]; traded: number[][] }>;
  };

  it.each(fixture.cases.map((c) => [c.name, c] as const))('real candidates: %s, with every plain objective', (_name, c) => {
    const blocks = c.returns.map((returns, n) => candidateBlocks({ returns, traded: c.traded[n] }, c.blocks));
    for (const name of [c.objective, ...OBJECTIVES]) {
      const o = compileObjective(name);
      expect(o.terms, name).toBeDefined();
      for (const objective of o.tiebreak ? [o, withoutTiebreak(o)] : [o]) {
        expectSame(blocks, { blocks: c.blocks, objective, barsPerYear: fixture.bars_per_year, minBars: c.min_bars, minTrades: c.min_trades }, `${c.name} ${name}${objective.tiebreak ? ' +tiebreak' : ''}`);
      }
    }
  });

  /**
   * Candidates built to hit every branch: noise, exact copies (multiplicities), a flat one and a
   * constant one (sd exactly 0: Sharpe ties at 0), one constant over the first half of the blocks
   * (a set without variance while the others have it), one with a NaN return and one with a total
   * loss (equity 0, the staircase's h = ∞), one with huge returns (equity overflow), sparse traders
   * (the trades filter drops them on some sets) and integer-valued metrics (trades, exposure) that
   * tie often.
   */
  function adversarial(S: number, size: number, seed: number): CandidateBlocks[] {
    const rng = createRng(seed);
    const T = S * size + 3;
    const out: Array<{ returns: number[]; traded: number[]; exposed: number[] }> = [];
    const noise = (scale: number, drift: number) => Array.from({ length: T }, () => drift + scale * rng.normal());
    const flags = (p: number) => Array.from({ length: T }, () => (rng.next() < p ? 1 : 0));
    for (let i = 0; i < 6; i++) out.push({ returns: noise(0.01, 0.0005 * (i - 2)), traded: flags(0.1), exposed: flags(0.7) });
    out.push({ ...out[1]! }, { ...out[1]! }, { ...out[4]! });
    out.push({ returns: new Array<number>(T).fill(0), traded: new Array<number>(T).fill(0), exposed: new Array<number>(T).fill(0) });
    out.push({ returns: new Array<number>(T).fill(0.001), traded: flags(0.05), exposed: new Array<number>(T).fill(1) });
    const halfFlat = noise(0.02, 0);
    for (let j = 3; j < 3 + (S / 2) * size; j++) halfFlat[j] = 0.002;
    out.push({ returns: halfFlat, traded: flags(0.2), exposed: flags(0.5) });
    const nan = noise(0.01, 0);
    nan[3 + size + 1] = NaN;
    out.push({ returns: nan, traded: flags(0.1), exposed: flags(0.9) });
    const ruin = noise(0.01, 0.001);
    ruin[Math.min(3 + 2 * size, T - 2)] = -1;
    out.push({ returns: ruin, traded: flags(0.1), exposed: flags(0.9) });
    out.push({ returns: noise(50, 30), traded: flags(0.5), exposed: flags(0.5) });
    // the same returns, different trades: equal on every metric but trades and exposure
    out.push({ returns: out[0]!.returns, traded: flags(0.02), exposed: flags(0.3) });
    out.push({ returns: noise(0.005, 0), traded: flags(0.01), exposed: flags(0.1) });
    return out.map((c) => candidateBlocks(c, S));
  }

  it.each([2, 4, 6, 8, 10])('adversarial candidates, S = %i: every plain objective, with and without the tiebreak, with filters', (S) => {
    const size = 7;
    const candidates = adversarial(S, size, 100 + S);
    let used = 0;
    for (const name of OBJECTIVES) {
      const o = compileObjective(name);
      for (const objective of o.tiebreak ? [o, withoutTiebreak(o)] : [o]) {
        for (const [minBars, minTrades] of [[0, 0], [S * size, 0], [0, 2 * S * size * 0.05], [S * size + 1, 0], [0, 1e9]] as const) {
          used += expectSame(candidates, { blocks: S, objective, barsPerYear: 252, minBars, minTrades }, `S=${S} ${name}${objective.tiebreak ? ' +tiebreak' : ''} min_bars ${minBars} min_trades ${minTrades}`).used;
        }
      }
    }
    // the filters leave splits to judge in most combinations (the comparison is not all of nulls)
    expect(used).toBeGreaterThan(0);
  });

  it('two candidates, all copies of one, and ranks decided by multiplicity alone', () => {
    const rng = createRng(5);
    const series = () => ({ returns: Array.from({ length: 64 }, () => 0.01 * rng.normal()) });
    const a = candidateBlocks(series(), 8), b = candidateBlocks(series(), 8);
    for (const name of ['sharpe', 'minimize_regime_drawdown', 'trades']) {
      const objective = compileObjective(name);
      expectSame([a, b], { blocks: 8, objective }, `${name}: two`);
      expectSame([a, a, a], { blocks: 8, objective }, `${name}: copies`);
      expectSame([a, b, b, b, a, b], { blocks: 8, objective }, `${name}: multiplicities`);
    }
  });

  it('objectives the kernel cannot score exactly (Math.pow, expressions) stay on the TypeScript walk', () => {
    const rng = createRng(9);
    const candidates = Array.from({ length: 5 }, () => candidateBlocks({ returns: Array.from({ length: 40 }, () => 0.01 * rng.normal()) }, 4));
    for (const name of ['cagr', 'calmar', 'maximize_cagr', 'sharpe - 2*max_drawdown']) {
      const objective = compileObjective(name);
      expect(objective.terms, name).toBeUndefined();
      let called = false;
      const r = probabilityOfBacktestOverfitting(candidates, { blocks: 4, objective, walk: (input) => ((called = true), cscvWalkWasm(input)) });
      expect(called, name).toBe(false);
      expect(encode(r), name).toBe(encode(probabilityOfBacktestOverfitting(candidates, { blocks: 4, objective })));
    }
  });

  it('a PBO task of real weight sets: the same file whichever walk runs it (--engine js walks in TypeScript)', () => {
    const close = loadMarketData(embeddedDataPath()).bars.close.slice(0, 1500);
    const n = close.length;
    const window = { start: 100, end: n };
    const labels = new Uint8Array(n - window.start);
    const legs = [new Float64Array(n - window.start), new Float64Array(n - window.start)];
    for (let t = window.start; t < n; t++) {
      labels[t - window.start] = close[t]! > close[t - 40]! ? 0 : 1;
      legs[0]![t - window.start] = close[t]! > close[t - 20]! ? 1 : 0;
      legs[1]![t - window.start] = close[t]! < close[t - 5]! ? 1 : -0.5;
    }
    const rng = createRng(3);
    const weights = Float64Array.from({ length: 60 * 2 * 2 }, () => Math.round(rng.next() * 10) / 10);
    const entries = [0, 1].flatMap((regime) => [
      { track: 0, regime, objective: 'minimize_regime_drawdown', tiebreak: false, minBars: 20, minTrades: 0 },
      { track: 0, regime, objective: 'sharpe', tiebreak: true, minBars: 20, minTrades: 4 },
    ]);
    const task: PboTask = { ...taskCommon(close, window, 8, { fee: 0.0005, slippage: 0 }, 252), labels: [labels], candidates: { kind: 'weight-sets', track: 0, legs, weights, regimes: 2 }, entries };
    const wasm = runPboTask(task);
    expect(wasm.every((r) => r !== null && r.splits_used > 0)).toBe(true);
    expect(encode2(runPboTask(task, null))).toBe(encode2(wasm));
    expect(encode2(runPboTask({ ...task, engine: 'js' }))).toBe(encode2(wasm));
  });
});

const encode2 = (rs: Array<PboResult | null>) => rs.map(encode).join('\n');
