import { regimenError } from '@regimen/core';

export interface Checksums {
  total_return: number;
  sharpe: number;
  max_drawdown: number;
  trades: number;
}

/** Sums over trials, in trial order, of each metric of rows [total_return, sharpe, max_drawdown, trades]. */
export function checksums(rows: Float64Array): Checksums {
  const c: Checksums = { total_return: 0, sharpe: 0, max_drawdown: 0, trades: 0 };
  for (let i = 0; i < rows.length; i += 4) {
    c.total_return += rows[i];
    c.sharpe += rows[i + 1];
    c.max_drawdown += rows[i + 2];
    c.trades += rows[i + 3];
  }
  return c;
}

/** Metric sums to 1e-9 relative, trades exactly; throws naming the first checksum that differs. */
export function assertSameChecksums(suite: string, got: Checksums, want: Checksums): void {
  for (const key of ['total_return', 'sharpe', 'max_drawdown', 'trades'] as const) {
    const ok = key === 'trades' ? got[key] === want[key] : Math.abs(got[key] - want[key]) <= 1e-9 * Math.abs(want[key]);
    if (!ok) {
      throw regimenError({ code: 'internal', field: `checksums.${key}`, value: got[key], message: `${suite}: differs from the reference (${want[key]})` });
    }
  }
}
