import type { Metrics } from '@regimen/core';

/** Plain-text tables for the terminal: right-aligned numbers, no dependency. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export const num = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));
export const pct = (x: number) => (Number.isFinite(x) ? (100 * x).toFixed(1) + '%' : String(x));

export const METRIC_HEADER = ['sharpe', 'sortino', 'max_dd', 'return', 'cagr', 'trades', 'exposure'];
export function metricCells(m: Metrics): string[] {
  return [num(m.sharpe), num(m.sortino), pct(m.max_drawdown), pct(m.total_return), pct(m.cagr), String(m.trades), pct(m.exposure)];
}

export function paramsText(p: Record<string, unknown>): string {
  return Object.entries(p)
    .filter(([k]) => k !== 'side')
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}
