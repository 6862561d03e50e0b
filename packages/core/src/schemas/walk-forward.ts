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
  /** out-of-sample cagr / in-sample cagr of the adaptive strategy; null (undefined) when the in-sample cagr is ≤ 0 */
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
   * The consecutive out-of-sample windows as one series (docs/walk-forward.md): at each bar the
   * position of the fold whose window holds it, scored by DESIGN §5 over the whole span, so every
   * out-of-sample return is counted once — the first return of a fold is earned by the previous
   * fold's last position, and the switch to the new fold's first position pays its cost there.
   */
  stitched: z.object({
    first: z.string(),
    last: z.string(),
    /** bars in the span first..last (the sum of the folds' out-of-sample bars) */
    bars: z.number().int(),
    /** returns the metrics are over: bars − 1 (each fold's window has its bars − 1, plus one per hand-over) */
    returns: z.number().int(),
    metrics: RunMetricsSchema,
    /** bars of the equity series below, per run (run → equity at each out-of-sample bar) */
    equity_file: z.string(),
  }),
  /**
   * The folds' in-sample adaptive returns pooled: (Π_k (1 + total_return_k))^(bars_per_year / Σ_k n_k) − 1,
   * n_k the returns of fold k's in-sample window (the bar-weighted geometric mean of their cagrs)
   */
  in_sample_cagr: z.number(),
  /** stitched out-of-sample cagr of the adaptive strategy / in_sample_cagr; null (undefined) when in_sample_cagr ≤ 0 */
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
