import { z } from 'zod';
import { MetricsSchema, ParamsSchema, RegimeBreakdownSchema, type TrialPerformance } from '@regimen/core';
import { compareIds } from './objective.js';

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

/** Sorted by strategy, then trial id, so the file does not depend on the order results arrived in. */
export function parameterSurface(trials: TrialPerformance[]): ParameterSurface {
  const rows = trials.map((t) => ({ trial_id: t.trial_id, strategy: t.strategy, params: t.params, bars: t.bars, metrics: t.metrics, regimes: t.regimes }));
  rows.sort((a, b) => (a.strategy < b.strategy ? -1 : a.strategy > b.strategy ? 1 : compareIds(a.trial_id, b.trial_id)));
  return { trials: rows };
}
