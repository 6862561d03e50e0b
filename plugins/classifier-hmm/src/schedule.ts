import type { EmResult } from './em.js';

/**
 * The restart schedule: every restart gets PROBE_ITERATIONS EM updates, then only the FINALISTS
 * best by log-likelihood (ties: the lower restart) continue to convergence; restarts that already
 * converged are final as they are. On the real series of the tests, the start that ends at the best
 * optimum leads after a couple of updates (reference.test.ts checks several seeds), so the other
 * restarts need not be run out. Two finalists keep two workers busy.
 */
export const PROBE_ITERATIONS = 4;
export const FINALISTS = 2;

export interface Probed {
  restart: number;
  result: EmResult;
}

export function finalists(probed: Probed[]): Probed[] {
  return [...probed]
    .sort((a, b) => b.result.logLikelihood - a.result.logLikelihood || a.restart - b.restart)
    .slice(0, FINALISTS);
}

/** The best finished restart: highest log-likelihood, ties to the lower restart (never to timing). */
export function bestRestart(done: Probed[]): Probed | undefined {
  let best: Probed | undefined;
  for (const d of [...done].sort((a, b) => a.restart - b.restart)) {
    if (Number.isFinite(d.result.logLikelihood) && (!best || d.result.logLikelihood > best.result.logLikelihood)) best = d;
  }
  return best;
}
