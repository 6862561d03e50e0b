import { z } from 'zod';
import { MetricsSchema } from './metrics.js';
import { FoldPlanEntrySchema, ParamsSchema } from './files.js';
import { OverfittingSchema } from './overfitting.js';

/** performance/walk_forward_results.json: every fold's out-of-sample result and the folds stitched together. */

const RunMetricsSchema = z.object({
  adaptive: MetricsSchema,
  best_static: MetricsSchema,
  equal_weights: MetricsSchema,
  buy_and_hold: MetricsSchema,
});

export const WalkForwardFoldSchema = FoldPlanEntrySchema.extend({
  /** regime → strategy → parameters, of the classifier that drives the adaptive strategy */
  best_params: z.record(z.string(), z.record(z.string(), ParamsSchema)),
  /** regime → strategy → weight */
  weights: z.record(z.string(), z.record(z.string(), z.number())),
  /** the adaptive strategy on its own training window (the same parameters and weights) */
  in_sample: FoldPlanEntrySchema.shape.in_sample.extend({ adaptive: MetricsSchema }),
  out_of_sample: FoldPlanEntrySchema.shape.out_of_sample.extend(RunMetricsSchema.shape),
  /** out-of-sample cagr / in-sample cagr of the adaptive strategy; null when the in-sample cagr is not positive */
  walk_forward_efficiency: z.number().nullable(),
  proofs: z.object({ look_ahead: z.boolean().nullable(), transitions_verified: z.boolean().nullable() }),
});
export type WalkForwardFold = z.infer<typeof WalkForwardFoldSchema>;

export const ParameterStabilitySchema = z.object({
  folds: z.number().int(),
  modal_share: z.number(),
  modal_params: ParamsSchema.nullable(),
  repeat_rate: z.number().nullable(),
  mean_step: z.number().nullable(),
  winners: z.array(ParamsSchema.nullable()),
});

export const WalkForwardResultsSchema = z.object({
  classifier: z.string(),
  scheme: z.enum(['rolling', 'anchored']),
  gap: z.number().int(),
  folds: z.array(WalkForwardFoldSchema),
  /**
   * Every fold's out-of-sample returns in time order: the equity of the whole out-of-sample
   * stretch and its metrics. Each fold starts flat, as its own validation does, so the bar where
   * one fold hands over to the next earns nothing.
   */
  stitched: z.object({
    first: z.string(),
    last: z.string(),
    bars: z.number().int(),
    metrics: RunMetricsSchema,
    /** bars of the equity series below, per run (run → equity at each out-of-sample bar) */
    equity_file: z.string(),
  }),
  /** stitched out-of-sample cagr / mean in-sample cagr; null when the latter is not positive */
  walk_forward_efficiency: z.number().nullable(),
  /** classifier → regime → strategy → how the winner moved across folds */
  parameter_stability: z.record(z.string(), z.record(z.string(), z.record(z.string(), ParameterStabilitySchema))),
});
export type WalkForwardResults = z.infer<typeof WalkForwardResultsSchema>;

/**
 * analysis/overfitting.json at the top of a walk-forward: every fold's own overfitting.json (in
 * fold order) and each entry's mean PBO over the folds that have one (null where none has), by key.
 */
export const WalkForwardOverfittingSchema = z.object({
  folds: z.array(OverfittingSchema),
  mean_pbo: z.record(z.string(), z.number().nullable()),
});
export type WalkForwardOverfitting = z.infer<typeof WalkForwardOverfittingSchema>;
