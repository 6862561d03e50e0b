import { z } from 'zod';
import { ParamsSchema } from './files.js';

/** analysis/pareto_fronts.json: written by phase 2 when regime_analysis has several `objectives`. */
export const PARETO_FRONTS_FILE = 'pareto_fronts.json';

export const ParetoSelectSchema = z.enum(['first_objective', 'knee', 'weighted']);
export type ParetoSelect = z.infer<typeof ParetoSelectSchema>;

export const ParetoPointSchema = z.object({
  trial_id: z.string(),
  params: ParamsSchema,
  /** one score per objective, in the order of `objectives`, each higher-is-better */
  scores: z.array(z.number()),
});
export type ParetoPoint = z.infer<typeof ParetoPointSchema>;

export const ParetoFrontSchema = z.object({
  /** trials ranked in the regime (they pass min_bars and min_trades and score finitely on every objective) */
  considered: z.number().int(),
  /** the non-dominated trials, best first objective first (then the next objectives, then trial id) */
  front: z.array(ParetoPointSchema),
  /** the member `select` picked: the regime's winner in regime_optimal_params.json; null when no trial was ranked (the overall best stood in) */
  winner: z.string().nullable(),
});
export type ParetoFront = z.infer<typeof ParetoFrontSchema>;

export const ParetoFrontsSchema = z.object({
  objectives: z.array(z.string()).min(1),
  select: ParetoSelectSchema,
  weights: z.array(z.number()).nullable(),
  /** classifier → regime → strategy → front */
  classifiers: z.record(z.string(), z.record(z.string(), z.record(z.string(), ParetoFrontSchema))),
});
export type ParetoFronts = z.infer<typeof ParetoFrontsSchema>;
