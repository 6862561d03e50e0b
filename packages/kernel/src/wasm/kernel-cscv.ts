import { CSCV_METRICS, CSCV_SPLIT_FIELDS, cscvScores, regimenError, type CscvTerm, type CscvWalkInput } from '@regimen/core';
import { createKernelArena, type KernelArena } from './kernel-arena.js';

let arena: KernelArena | undefined;

/**
 * The CSCV walk in the kernel (assembly/cscv.ts): every split's record, C × CSCV_SPLIT_FIELDS,
 * bit for bit the optimizer's TypeScript walk (its reference). One kernel instance per thread,
 * its memory reused from call to call.
 */
export function cscvWalkWasm(input: CscvWalkInput): Float64Array {
  const { candidates: N, blocks: S, size } = input;
  if (!cscvScores(input.score) || !cscvScores(input.tiebreak)) {
    throw regimenError({ code: 'internal', value: input.score.metric, message: 'the WebAssembly CSCV walk scores only plain metrics' });
  }
  const K = S / 2;
  let C = 1;
  for (let i = 0; i < K; i++) C = (C * (S - i)) / (i + 1);
  const half = C / 2;
  arena ??= createKernelArena();
  const a = arena;
  const mark = a.top();
  try {
    const fields = a.alloc(input.fields.byteLength);
    const stairs = a.alloc(input.stairs.byteLength);
    const steps = a.alloc(input.steps.byteLength);
    const weight = a.alloc(N * 4);
    const stats = a.alloc((K + 1) * N * 80);
    const tie = input.tiebreak !== null;
    const keepScore = a.alloc(half * N * 8);
    const keepTie = tie ? a.alloc(half * N * 8) : 0;
    const keepTotal = a.alloc(half * N * 8);
    const keepOk = a.alloc(half * N);
    const keepBest = a.alloc(half * 4);
    const rowScore = a.alloc(N * 8);
    const rowTie = a.alloc(N * 8);
    const rowTotal = a.alloc(N * 8);
    const rowOk = a.alloc(N);
    const index = a.alloc((1 << S) * 4);
    const out = a.alloc(C * CSCV_SPLIT_FIELDS * 8);
    a.f64(fields, input.fields.length).set(input.fields);
    a.i32(stairs, input.stairs.length).set(input.stairs);
    a.f64(steps, input.steps.length).set(input.steps);
    a.i32(weight, N).set(input.weight);
    // every slot as runningStats leaves it (fields the walk never writes keep these values)
    const s = a.f64(stats, (K + 1) * N * 10);
    s.fill(0);
    for (let i = 0; i < (K + 1) * N; i++) {
      s[i * 10 + 2] = Infinity;
      s[i * 10 + 3] = -Infinity;
      s[i * 10 + 7] = 1;
      s[i * 10 + 8] = 1;
    }
    const code = (t: CscvTerm | null) => (t ? (CSCV_METRICS as readonly string[]).indexOf(t.metric) : -1);
    a.kernel.cscvWalk(N, S, size, fields, stairs, steps, weight, stats, input.moments ? 1 : 0, input.drawdown ? 1 : 0,
      code(input.score), input.score.sign, code(input.tiebreak), input.tiebreak?.sign ?? 1, input.rootBarsPerYear, input.minBars, input.minTrades,
      keepScore, keepTie, keepTotal, keepOk, keepBest, rowScore, rowTie, rowTotal, rowOk, index, out);
    return a.f64(out, C * CSCV_SPLIT_FIELDS).slice();
  } finally {
    a.resetTo(mark);
  }
}
