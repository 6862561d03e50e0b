import { z } from 'zod';

/**
 * analysis/overfitting.json (the coordinator writes it at the end of phase 3; the optimizer's
 * overfitting.ts computes each PBO). Version 2: every PBO is of a selection the run makes, and says
 * what was ranked, by which statistic, over which bars (docs/overfitting.md).
 */

export const OVERFITTING_VERSION = 2;

export const PboResultSchema = z.object({
  /** candidates given (trials, or weight sets) */
  candidates: z.number().int(),
  blocks: z.number().int(),
  bars_per_block: z.number().int(),
  /** C(S, S/2) */
  splits: z.number().int(),
  /** splits with ≥ 2 candidates surviving the filters in sample and ≥ 1 besides the winner out of sample */
  splits_used: z.number().int(),
  /** used splits with λ = 0 exactly (the winner at the median out of sample), each counted one half */
  at_median: z.number().int(),
  /** (#{λ < 0} + ½·#{λ = 0}) / splits_used */
  pbo: z.number(),
  logits: z.object({
    mean: z.number(),
    quantiles: z.tuple([z.number(), z.number(), z.number(), z.number(), z.number()]),
    histogram: z.object({ edges: z.array(z.number()), counts: z.array(z.number().int()) }),
  }),
  /** the winner's statistic out of sample ≈ intercept + slope · in sample, over the used splits */
  degradation: z.object({
    slope: z.number(),
    intercept: z.number(),
    in_sample_mean: z.number(),
    out_of_sample_mean: z.number(),
    /** [in-sample, out-of-sample] statistic of the winner at evenly spaced used splits (≤ 100, 6 significant digits) */
    sample: z.array(z.tuple([z.number(), z.number()])),
  }),
  /** share of used splits where the winner's total return out of sample is negative */
  probability_of_loss: z.number(),
});
export type PboResult = z.infer<typeof PboResultSchema>;

export const PboKindSchema = z.enum(['selection', 'ensemble', 'strategy', 'all_trials']);
export type PboKind = z.infer<typeof PboKindSchema>;

export const PboEntrySchema = z.object({
  /** selection/<classifier>/<regime>/<strategy>, ensemble/<classifier>/<regime>, strategy/<strategy>, all_trials */
  key: z.string(),
  /** selection: the per-regime winner of a strategy (phase 2); ensemble: a regime's weights (phase 3); strategy, all_trials: secondary lines, Sharpe over the whole window */
  kind: PboKindSchema,
  classifier: z.string().nullable(),
  regime: z.string().nullable(),
  strategy: z.string().nullable(),
  /** what was ranked, in words */
  ranked: z.string(),
  /** the statistic ranking them: the objective of the phase that selects */
  statistic: z.string(),
  /** the run's filters; each half of the bars is held to ⌈threshold / 2⌉ */
  min_bars: z.number().int(),
  min_trades: z.number().int(),
  /** which bars, in words */
  bars: z.string(),
  /** returns ranked (before the first bars mod S are dropped) */
  bar_count: z.number().int(),
  result: PboResultSchema.nullable(),
  /** why there is no result; null when there is one */
  reason: z.string().nullable(),
});
export type PboEntry = z.infer<typeof PboEntrySchema>;

const OLD_FILE = 'written by an earlier Regimen whose PBO ranked a stand-in for the run\'s selection; rerun from phase ensemble_optimization (regimen run <workspace> --from-phase ensemble_optimization)';

/** analysis/overfitting.json of a workspace (or of a fold) */
export const OverfittingSchema = z.object({
  version: z.literal(OVERFITTING_VERSION, { error: OLD_FILE }),
  /** the training window the returns were taken over */
  window: z.object({ start: z.number().int(), end: z.number().int() }),
  /** S; null when the window is too short for 2 blocks of 4 returns */
  blocks: z.number().int().nullable(),
  entries: z.array(PboEntrySchema),
});
export type Overfitting = z.infer<typeof OverfittingSchema>;
