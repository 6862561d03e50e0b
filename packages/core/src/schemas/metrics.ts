import { z } from 'zod';

/** DESIGN §5 metrics over the n = N−1 bar returns. */
export const MetricsSchema = z.object({
  sharpe: z.number(),
  sortino: z.number(),
  max_drawdown: z.number().min(0),
  total_return: z.number(),
  cagr: z.number(),
  volatility: z.number().min(0),
  trades: z.number().int().min(0),
  exposure: z.number().min(0).max(1),
});
export type Metrics = z.infer<typeof MetricsSchema>;

export const RegimeMetricsSchema = MetricsSchema.extend({ bars: z.number().int().min(0) });
export type RegimeMetrics = z.infer<typeof RegimeMetricsSchema>;

export const METRIC_NAMES = ['sharpe', 'sortino', 'max_drawdown', 'total_return', 'cagr', 'volatility', 'trades', 'exposure'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** classifier → regime → metrics of the bars whose position was taken in that regime */
export const RegimeBreakdownSchema = z.record(z.string(), z.record(z.string(), RegimeMetricsSchema));
export type RegimeBreakdown = z.infer<typeof RegimeBreakdownSchema>;
