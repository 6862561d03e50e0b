import { z } from 'zod';
import { MetricsSchema, RegimeBreakdownSchema } from './metrics.js';
import { ParamsSchema } from './files.js';

/**
 * Schemas of the optimizer's analysis files beside the seed's (DESIGN §4). They live in core, with
 * every other file's schema, so a reader of a workspace (the report, a notebook) validates them
 * without importing the optimizer that writes them.
 */

const RankedTrialSchema = z.object({ trial_id: z.string(), params: ParamsSchema, score: z.number() });

export const RegimeReportEntrySchema = z.object({
  /** trials of this strategy */
  trials: z.number().int(),
  /** trials that passed the filters and were ranked */
  considered: z.number().int(),
  excluded: z.object({
    missing: z.number().int(),
    below_min_bars: z.number().int(),
    below_min_trades: z.number().int(),
    non_finite: z.number().int(),
  }),
  /** why the regime was skipped and the winner taken from overall metrics; null when ranked normally */
  skipped: z.string().nullable(),
  winner: RankedTrialSchema.extend({
    /** `regime`: ranked on this regime's metrics; `overall`: the fallback */
    basis: z.enum(['regime', 'overall']),
    bars: z.number().int().nullable(),
    metrics: z.record(z.string(), z.number().nullable()),
  }),
  runners_up: z.array(RankedTrialSchema),
  /** best score − median score of the trials considered */
  spread: z.number().nullable(),
  deflated_sharpe: z
    .object({
      dsr: z.number(),
      sr0: z.number(),
      sharpe_per_bar: z.number(),
      variance: z.number(),
      trials: z.number().int(),
      bars: z.number().int(),
      skewness: z.number(),
      kurtosis: z.number(),
      /** moments were not measured and normal returns were assumed */
      assumed_normal: z.boolean(),
    })
    .nullable(),
});
export type RegimeReportEntry = z.infer<typeof RegimeReportEntrySchema>;

/** analysis/regime_report.json */
export const RegimeAnalysisReportSchema = z.object({
  objective: z.string(),
  metrics: z.array(z.string()),
  min_bars: z.number().int(),
  min_trades: z.number().int(),
  runners_up: z.number().int(),
  bars_per_year: z.number().nullable(),
  classifiers: z.record(z.string(), z.record(z.string(), z.record(z.string(), RegimeReportEntrySchema))),
  skipped: z.array(z.object({ classifier: z.string(), regime: z.string(), strategy: z.string(), reason: z.string() })),
  /** several objectives: each winner was picked from its regime's Pareto front by `select` (analysis/pareto_fronts.json) */
  pareto: z.object({ objectives: z.array(z.string()), select: z.enum(['first_objective', 'knee', 'weighted']), weights: z.array(z.number()).nullable() }).optional(),
});
export type RegimeAnalysisReport = z.infer<typeof RegimeAnalysisReportSchema>;

/** analysis/parameter_surface.json: every trial's parameters and metrics, overall and per classifier/regime. */
export const ParameterSurfaceSchema = z.object({
  trials: z.array(
    z.object({
      trial_id: z.string(),
      strategy: z.string(),
      params: ParamsSchema,
      bars: z.number().int(),
      metrics: MetricsSchema,
      regimes: RegimeBreakdownSchema,
    }),
  ),
});
export type ParameterSurface = z.infer<typeof ParameterSurfaceSchema>;

/** One classifier's part of analysis/ensemble_report.json: every weight set's score per regime, and each regime's pick. */
export const EnsembleReportSchema = z.object({
  classifier: z.string(),
  regimes: z.record(
    z.string(),
    z.object({
      ensemble_trial_id: z.string().nullable(),
      score: z.number().nullable(),
      /** null when a weight set was picked; otherwise why equal weights stand in */
      fallback: z.string().nullable(),
    }),
  ),
  weight_sets: z.array(
    z.object({
      ensemble_trial_id: z.string(),
      weights: z.record(z.string(), z.number()),
      scores: z.record(z.string(), z.number().nullable()),
      /** when the search scored this weight set: 0 for the first (absent in workspaces from before it was recorded) */
      evaluation: z.number().int().min(0).optional(),
    }),
  ),
});
export type EnsembleReport = z.infer<typeof EnsembleReportSchema>;

/** analysis/ensemble_report.json: classifier → its EnsembleReport */
export const EnsembleReportFileSchema = z.record(z.string(), EnsembleReportSchema);
export type EnsembleReportFile = z.infer<typeof EnsembleReportFileSchema>;
