import { z } from 'zod';
import { MetricsSchema } from './metrics.js';

/**
 * performance/universe_results.json: a universe's series side by side out of sample, how often
 * the adaptive strategy beats each baseline across them (a sign test), and equal-weight
 * portfolios of the series.
 */

/** the validation runs every series has: the adaptive strategy and its three baselines */
export const UNIVERSE_RUNS = ['adaptive', 'best_static', 'equal_weights', 'buy_and_hold'] as const;
export type UniverseRun = (typeof UNIVERSE_RUNS)[number];
const perRun = <T extends z.ZodType>(t: T) => z.object({ adaptive: t, best_static: t, equal_weights: t, buy_and_hold: t });

export const UniverseSeriesResultSchema = z.object({
  name: z.string(),
  /** the series' workspace, relative to the universe's */
  workspace: z.string(),
  source: z.string(),
  column: z.string(),
  /** the out-of-sample stretch: the test split, or a walk-forward's folds stitched */
  first: z.string(),
  last: z.string(),
  bars: z.number().int(),
  metrics: perRun(MetricsSchema),
  /** the objective's score of each run (higher is better), what the comparisons count */
  scores: perRun(z.number()),
});
export type UniverseSeriesResult = z.infer<typeof UniverseSeriesResultSchema>;

/**
 * The adaptive strategy against one baseline over the series: wins, losses and ties by score, and
 * the two-sided exact sign test of "as likely to win as to lose" (ties left out, as the sign test
 * does): p = min(1, 2·P(X ≤ min(wins, losses))), X ~ Binomial(wins + losses, 1/2).
 */
export const SignTestSchema = z.object({
  wins: z.number().int().min(0),
  losses: z.number().int().min(0),
  ties: z.number().int().min(0),
  /** null when every series is a tie (no test) */
  p_value: z.number().min(0).max(1).nullable(),
});
export type SignTest = z.infer<typeof SignTestSchema>;

/** metrics of a portfolio's returns (it has no positions of its own: no trades or exposure) */
export const PortfolioMetricsSchema = MetricsSchema.omit({ trades: true, exposure: true });
export type PortfolioMetrics = z.infer<typeof PortfolioMetricsSchema>;

export const UniverseResultsSchema = z.object({
  /** single (the test split) or walk_forward (the folds stitched) */
  method: z.enum(['single', 'walk_forward']),
  /** the classifier whose regimes drive each series' adaptive strategy */
  classifier: z.string(),
  /** what the comparisons rank by (regime_analysis.objective) */
  objective: z.string(),
  series: z.array(UniverseSeriesResultSchema),
  /** the adaptive strategy against each baseline */
  comparisons: z.object({ best_static: SignTestSchema, equal_weights: SignTestSchema, buy_and_hold: SignTestSchema }),
  /**
   * Equal-weight portfolios of the series, one per run, rebalanced to equal weights at every bar
   * of the shared calendar: the out-of-sample timestamps that every series has. A series' return
   * from one shared bar to the next is its equity's growth between them (compounding any bars of
   * its own in between); the portfolio's is their mean. Null when the series share fewer than two
   * bars. Rebalancing is not costed (each series' own trading costs are in its equity).
   */
  portfolio: z
    .object({
      first: z.string(),
      last: z.string(),
      bars: z.number().int(),
      bars_per_year: z.number(),
      metrics: perRun(PortfolioMetricsSchema),
      /** every run's portfolio equity at every shared bar */
      equity_file: z.string(),
    })
    .nullable(),
});
export type UniverseResults = z.infer<typeof UniverseResultsSchema>;
