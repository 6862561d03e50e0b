/**
 * How the page writes numbers — shared by the page and its tests, so "the number shown equals the
 * file's number" is checked as "the text is this format of the file's value" (and the full value
 * is the cell's tooltip).
 */

export function formatNumber(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined) return '—';
  if (!Number.isFinite(x)) return String(x);
  return x.toFixed(digits);
}

export function formatPercent(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined) return '—';
  if (!Number.isFinite(x)) return String(x);
  return (100 * x).toFixed(digits) + '%';
}

export function formatInteger(x: number): string {
  return x.toLocaleString('en-US');
}

export const METRIC_FORMATS: Record<string, (x: number) => string> = {
  sharpe: (x) => formatNumber(x),
  sortino: (x) => formatNumber(x),
  calmar: (x) => formatNumber(x),
  max_drawdown: (x) => formatPercent(x),
  total_return: (x) => formatPercent(x),
  cagr: (x) => formatPercent(x),
  volatility: (x) => formatPercent(x),
  exposure: (x) => formatPercent(x),
  trades: formatInteger,
  trials: formatInteger,
  folds: formatInteger,
  bars: formatInteger,
  runs: formatInteger,
  share: (x) => formatPercent(x, 1),
  duration: (x) => formatNumber(x, 1),
  weight: (x) => formatNumber(x, 3),
  dsr: (x) => formatNumber(x, 3),
  score: (x) => formatNumber(x, 4),
  pbo: (x) => formatNumber(x, 3),
  slope: (x) => formatNumber(x, 3),
  efficiency: (x) => formatNumber(x, 3),
};

/** A metric as the page shows it; a metric it does not know is written with 4 decimals. */
export function formatMetric(name: string, x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  return (METRIC_FORMATS[name] ?? ((v: number) => formatNumber(v, 4)))(x);
}

/** Parameters as `name=value` pairs. */
export function formatParams(p: Record<string, unknown>): string {
  return Object.entries(p)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}
