import { z } from 'zod';

/** `algorithm_options` of `algorithm: tpe`; defaults are Optuna's TPESampler's where it has one. */
export const TpeOptionsSchema = z
  .object({
    /** trials to ask in all (fewer when a finite space runs out) */
    trials: z.number().int().positive().default(200),
    /** uniform random trials before the model takes over (Optuna: n_startup_trials) */
    startup_trials: z.number().int().min(0).default(10),
    /** candidates drawn from l(x) per ask, the best l/g kept (Optuna: n_ei_candidates) */
    ei_candidates: z.number().int().positive().default(24),
    /** model the dimensions jointly (Optuna: multivariate) instead of one at a time */
    multivariate: z.boolean().default(false),
    /** weight of the prior kernel (Optuna: prior_weight) */
    prior_weight: z.number().positive().default(1),
    consider_prior: z.boolean().default(true),
    consider_magic_clip: z.boolean().default(true),
    consider_endpoints: z.boolean().default(false),
    /**
     * serve every classifier × regime: asks take turns over the regimes, each ask modelled on that
     * regime's scores (every trial informs every regime); false: model the overall objective only
     */
    regime_aware: z.boolean().default(true),
    /**
     * most candidates handed out per ask: a round of the pool. Within a round, candidates already
     * handed out count as bad results (constant liar), so a batch spreads instead of repeating.
     */
    batch: z.number().int().positive().default(16),
  })
  .strict();
export type TpeOptions = z.infer<typeof TpeOptionsSchema>;
