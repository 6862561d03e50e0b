import { PATHS } from './em-pass.js';
import { transitionCounts, type EmSettings } from './m-step.js';
import { cloneParams, type HmmParams } from './params.js';
import { stationaryDistribution } from './stationary.js';

/**
 * Exact-zero transitions. Where the maximum has a_ij = 0, EM only creeps towards it: its update is
 * a_ij ← a_ij·G_ij/λ_i with G_ij = ∂LL/∂a_ij and λ_i = Σ_j a_ij G_ij (the row's expected count), a
 * factor that tends to 1 at such a boundary. Both are in the backward pass's statistics, so the
 * Karush–Kuhn–Tucker condition of a zero — G_ij ≤ λ_i — is checked for free:
 * - a positive entry that EM shrinks (G_ij < λ_i) and whose expected count over the whole series is
 *   below a tenth of a transition is proposed at exactly 0 (row renormalised);
 * - at convergence, a zero whose gradient says it should grow (G_ij > λ_i) is reopened.
 * The caller keeps a proposal only if the log-likelihood does not drop; EM keeps a zero zero. A zero
 * proposed too early (the entry's optimum is small but positive) is caught by the reopening.
 */
export interface ZeroMemory {
  /** the expected count at which zeroing an entry was last refused (retry once it has halved) */
  refused: Float64Array;
  /** entries reopened once are never zeroed again (no ping-pong) */
  reopened: Uint8Array;
}

export const zeroMemory = (k: number): ZeroMemory => ({ refused: new Float64Array(k * k).fill(Infinity), reopened: new Uint8Array(k * k) });

/** a tenth of one expected transition over the whole training series */
const FEW = 0.1;

export interface Proposal {
  params: HmmParams;
  entries: number[];
}

function withTransition(p: HmmParams, s: EmSettings, change: (a: Float64Array) => void): HmmParams {
  const q = cloneParams(p);
  change(q.transition);
  const k = p.states;
  for (let i = 0; i < k; i++) {
    let row = 0;
    for (let j = 0; j < k; j++) row += q.transition[i * k + j]!;
    for (let j = 0; j < k; j++) q.transition[i * k + j]! /= row;
  }
  if (s.initial === 'stationary') q.initial = stationaryDistribution(q.transition, k);
  return q;
}

function rowCounts(n: Float64Array, k: number): Float64Array {
  const lambda = new Float64Array(k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) lambda[i]! += n[i * k + j]!;
  return lambda;
}

export function zeroProposal(p: HmmParams, stats: Float64Array, s: EmSettings, memory: ZeroMemory): Proposal | undefined {
  const k = p.states;
  const n = transitionCounts(stats, p);
  const lambda = rowCounts(n, k);
  const g = stats.subarray(PATHS(k, p.dims));
  const entries: number[] = [];
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const e = i * k + j;
      if (p.transition[e]! > 0 && n[e]! < FEW && g[e]! < lambda[i]! && n[e]! < memory.refused[e]! / 2 && !memory.reopened[e]) entries.push(e);
    }
  }
  // a row keeps at least one positive entry
  for (let i = 0; i < k; i++) {
    const zeroed = entries.filter((e) => Math.floor(e / k) === i).length;
    const positive = Array.from({ length: k }, (_, j) => p.transition[i * k + j]! > 0).filter(Boolean).length;
    if (zeroed >= positive) return undefined;
  }
  if (entries.length === 0) return undefined;
  return { params: withTransition(p, s, (a) => entries.forEach((e) => (a[e] = 0))), entries };
}

export function refuse(proposal: Proposal, p: HmmParams, stats: Float64Array, memory: ZeroMemory): void {
  const n = transitionCounts(stats, p);
  for (const e of proposal.entries) memory.refused[e] = n[e]!;
}

export function reopenProposal(p: HmmParams, stats: Float64Array, s: EmSettings, memory: ZeroMemory): Proposal | undefined {
  const k = p.states;
  const lambda = rowCounts(transitionCounts(stats, p), k);
  const g = stats.subarray(PATHS(k, p.dims));
  const entries: number[] = [];
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const e = i * k + j;
      if (p.transition[e] === 0 && !memory.reopened[e] && g[e]! > lambda[i]! * (1 + 1e-9)) entries.push(e);
    }
  }
  if (entries.length === 0) return undefined;
  for (const e of entries) memory.reopened[e] = 1;
  // about one expected transition: n = a·G
  return { params: withTransition(p, s, (a) => entries.forEach((e) => (a[e] = Math.min(0.5, 1 / g[e]!)))), entries };
}
