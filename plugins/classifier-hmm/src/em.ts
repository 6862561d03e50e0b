import type { EmEngine } from './em-engine.js';
import { mStep, type EmSettings } from './m-step.js';
import { cloneParams, type HmmParams } from './params.js';
import { extrapolate } from './squarem.js';
import { stationaryDistribution } from './stationary.js';
import { refuse, reopenProposal, zeroMemory, zeroProposal } from './zeros.js';

export interface EmRunSettings extends EmSettings {
  /** EM updates (M-steps) allowed in this run */
  maxIter: number;
  /** converged when a plain EM update gains less than tol·max(1, |LL|) */
  tol: number;
}

export interface EmResult {
  params: HmmParams;
  logLikelihood: number;
  /** EM updates (M-steps) made; extrapolated points are evaluated but not counted */
  iterations: number;
  converged: boolean;
}

/**
 * Baum–Welch accelerated by SQUAREM, with exact-zero transitions reached rather than crept towards.
 * Each cycle: θ1 = M(θ0), θ2 = M(θ1), the extrapolated θ' (squarem.ts), kept only if its
 * log-likelihood is at least that of θ1, else θ2; the next cycle starts from there, its first update
 * being the stabilising EM step. Every accepted point has a log-likelihood no lower than the one
 * before, so the fit never loses likelihood. A cycle is settled when its plain update θ0 → θ1 gains
 * less than tol·max(1, |LL|) and so, by Aitken's estimate from θ1 → θ2, do the updates still to come
 * (or θ0 → θ1 loses to round-off); converged after two settled cycles in a row, since one can be a
 * lull after an extrapolation before a slow mode (a flat ridge, a creep to a zero) shows again — the
 * SII series, K=4, stopped 2.2e-4 short on one. The cycle is still completed, since its
 * extrapolation is where the last of the gap goes, and a zero that should grow is then reopened
 * (zeros.ts). Deterministic: the result depends only on the engine's bits.
 */
export function runEm(engine: EmEngine, start: HmmParams, s: EmRunSettings): EmResult {
  const rows = engine.rows;
  let p = cloneParams(start);
  if (s.initial === 'stationary') p.initial = stationaryDistribution(p.transition, p.states);
  let ll = engine.forward(p);
  let iterations = 0;
  let converged = false;
  let stepMax = 1;
  const zeros = zeroMemory(p.states);
  let calm = 0;
  const small = (gain: number, at: number) => gain <= s.tol * Math.max(1, Math.abs(at));
  while (iterations < s.maxIter && Number.isFinite(ll)) {
    const stats0 = engine.backward(p);
    const p1 = mStep(stats0, p, s, rows);
    iterations++;
    const zero = zeroProposal(p, stats0, s, zeros);
    if (zero) {
      const llz = engine.forward(zero.params);
      if (llz >= ll) {
        p = zero.params;
        ll = llz;
        continue;
      }
      refuse(zero, p, stats0, zeros);
    }
    const p0 = p;
    const llStart = ll;
    const ll1 = engine.forward(p1);
    // EM never lowers the likelihood: a drop is round-off at the optimum
    let settled = !(ll1 >= ll) || small(ll1 - ll, ll1);
    let current = false; // whether the engine's buffers hold p
    if (ll1 >= ll) {
      p = p1;
      ll = ll1;
      current = true;
      if (iterations < s.maxIter) {
        const p2 = mStep(engine.backward(p1), p1, s, rows);
        iterations++;
        // a small step is not yet convergence where EM crawls (a flat ridge, a probability creeping
        // to a zero): if the next plain step gains g2 = ρ·g1, the steps still to come gain about
        // g1·ρ/(1 − ρ) in all (Aitken), so the fit stops only when that, too, is below the tolerance.
        // The extra pass is paid only once the step is small, and before x's, whose buffers the next
        // cycle's E-step reads.
        if (settled && ll1 > llStart) settled = aitkenSmall(ll1 - llStart, engine.forward(p2) - ll1, ll1, s.tol);
        const { params: x, step, clamped } = extrapolate(p0, p1, p2, s, stepMax);
        let llx = -Infinity;
        if (step !== -1) {
          llx = engine.forward(x);
          if (llx >= ll1) {
            if (clamped) stepMax *= 4;
          } else if (clamped) stepMax = Math.max(1, stepMax / 4);
        } else if (clamped) stepMax *= 4;
        if (llx >= ll1) {
          p = x;
          ll = llx;
        } else {
          const ll2 = engine.forward(p2);
          if (ll2 >= ll1) {
            p = p2;
            ll = ll2;
          } else {
            settled = true;
            current = false;
          }
        }
      }
    }
    if (!settled) {
      calm = 0;
      continue;
    }
    // one settled cycle can be a lull before a slow mode shows: two in a row are needed
    if (Number.isFinite(ll1) && ll1 >= llStart && ++calm < 2) continue;
    converged = Number.isFinite(ll1);
    // a zero whose gradient says it should grow is reopened (once) and the fit goes on
    if (converged && p.transition.some((v) => v === 0)) {
      if (!current) engine.forward(p);
      const reopen = reopenProposal(p, engine.backward(p), s, zeros);
      const llr = reopen ? engine.forward(reopen.params) : -Infinity;
      if (reopen && llr >= ll) {
        p = reopen.params;
        ll = llr;
        converged = false;
        continue;
      }
    }
    break;
  }
  return { params: p, logLikelihood: ll, iterations, converged };
}

/**
 * Whether EM whose last two plain steps gained g1 then g2 has converged: g1 is small (tested by the
 * caller) and so is the gain still to come, g1·ρ/(1 − ρ) with ρ = g2/g1 (linear convergence). A
 * second step that gains nothing (ρ ≤ 0, round-off) is the optimum; ρ ≥ 1 is not convergence —
 * unless g1 itself is at round-off level (1e-13·|LL|, a few ulps of a sum over the series), where
 * the ratio of two noises says nothing.
 */
export function aitkenSmall(g1: number, g2: number, at: number, tol: number): boolean {
  const scale = Math.max(1, Math.abs(at));
  if (!(g2 > 0) || g1 <= 1e-13 * scale) return true;
  const rho = g2 / g1;
  return rho < 1 && (g1 * rho) / (1 - rho) <= tol * scale;
}
