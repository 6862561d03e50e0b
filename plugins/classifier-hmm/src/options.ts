import { z } from 'zod';

/**
 * A feature is computed at bar t from closes up to t (causal):
 * - `log_return`: r_t = ln(p_t / p_{t-1}), defined from bar 1;
 * - `rolling_vol` (window w, default 20): the sample sd of r_{t-w+1..t}, defined from bar w.
 */
const FeatureInput = z.union([
  z.literal('log_return'),
  z.literal('rolling_vol'),
  z.object({ name: z.literal('log_return') }).strict(),
  z.object({ name: z.literal('rolling_vol'), window: z.number().int().min(2).max(10_000).default(20) }).strict(),
]);

export type FeatureSpec = { name: 'log_return' } | { name: 'rolling_vol'; window: number };

export const FeatureSpecSchema = z.discriminatedUnion('name', [
  z.object({ name: z.literal('log_return') }).strict(),
  z.object({ name: z.literal('rolling_vol'), window: z.number().int().min(2) }).strict(),
]);

function normalizeFeature(f: z.infer<typeof FeatureInput>): FeatureSpec {
  if (f === 'log_return') return { name: 'log_return' };
  if (f === 'rolling_vol') return { name: 'rolling_vol', window: 20 };
  return f;
}

/**
 * Options of the Gaussian HMM classifier. Every option has a default, so `{}` is valid.
 * - `states` (3): K, the number of hidden states.
 * - `features` (['log_return']): one Gaussian per feature per state, diagonal covariance.
 * - `initial` ('stationary'): the distribution of the first state. 'stationary' is Hamilton's convention
 *   (statsmodels' MarkovRegression default): the stationary distribution of the transition matrix, no
 *   free parameters. 'fitted' estimates it by EM (K−1 free parameters, usually degenerate on one state).
 * - `restarts` (8): seeded Baum–Welch starts; the best log-likelihood wins.
 * - `max_iter` (300) and `tol` (1e-8): EM stops when, in two cycles in a row, a plain step gains less
 *   than tol·max(1, |LL|) and so do, by Aitken's estimate from the next step's gain, all the steps still
 *   to come (em.ts), so a fit crawling along a flat ridge or toward a zero transition is not stopped short.
 * - `seed`: overrides the workflow seed (ClassifierContext.seed) for the restarts.
 * - `min_dwell` (1): a switch to a new state is taken only after it has been the filtered argmax for
 *   min_dwell consecutive bars (1 = plain argmax, no hysteresis).
 * - `variance_floor` (1e-3): lower bound of every state variance, relative to the feature's variance
 *   over the training data. Exact-zero returns (flat prices) are kept; the floor keeps a state from
 *   collapsing onto them with an unbounded likelihood.
 */
export const HmmOptionsSchema = z
  .object({
    states: z.number().int().min(1).max(32).default(3),
    features: z
      .array(FeatureInput)
      .min(1)
      .default(['log_return'])
      .transform((fs) => fs.map(normalizeFeature)),
    initial: z.enum(['stationary', 'fitted']).default('stationary'),
    restarts: z.number().int().min(1).max(1000).default(8),
    max_iter: z.number().int().min(1).default(300),
    tol: z.number().min(0).default(1e-8),
    seed: z.number().int().optional(),
    min_dwell: z.number().int().min(1).default(1),
    variance_floor: z.number().gt(0).lt(1).default(1e-3),
  })
  .strict();

export type HmmOptions = z.output<typeof HmmOptionsSchema>;
export type HmmOptionsInput = z.input<typeof HmmOptionsSchema>;
