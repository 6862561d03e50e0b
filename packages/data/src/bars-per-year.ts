import { regimenError } from '@regimen/core';
import { DAY_MS } from './time.js';

export const TRADING_DAYS_PER_YEAR = 252;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * bars_per_year from timestamps (DESIGN §5). The median spacing between bars decides the kind, so
 * weekends, holidays and the odd gap do not:
 *   median spacing < 20 h       intraday: 252 × the median number of bars per UTC calendar date
 *                                          (30-min FX: 48 a day → 12,096)
 *   20 h .. 4 days              daily: 252 (trading days; weekends make some gaps 3 days)
 *   4 .. 10 days                weekly: 52
 *   10 .. 45 days               monthly: 12
 *   45 .. 120 days              quarterly: 4
 *   more                        yearly: 1
 * Intraday counts bars per calendar date rather than dividing a day by the spacing, so a session
 * of 6.5 hours of 30-min bars gives 13 a day, not 48; partial days at the week's edges (FX opens
 * Sunday evening UTC) fall away in the median.
 */
export function inferBarsPerYear(time: Float64Array): number {
  if (time.length < 2) {
    throw regimenError({ code: 'data', field: 'bars_per_year', value: time.length, message: 'cannot infer bars_per_year from fewer than 2 bars; give workflow.data.bars_per_year' });
  }
  const gaps: number[] = new Array(time.length - 1);
  for (let i = 1; i < time.length; i++) gaps[i - 1] = time[i]! - time[i - 1]!;
  const spacing = median(gaps);
  const days = spacing / DAY_MS;
  if (days < 20 / 24) {
    const perDate: number[] = [];
    let day = Math.floor(time[0]! / DAY_MS);
    let count = 0;
    for (let i = 0; i < time.length; i++) {
      const d = Math.floor(time[i]! / DAY_MS);
      if (d !== day) {
        perDate.push(count);
        day = d;
        count = 0;
      }
      count++;
    }
    perDate.push(count);
    return TRADING_DAYS_PER_YEAR * median(perDate);
  }
  if (days <= 4) return TRADING_DAYS_PER_YEAR;
  if (days <= 10) return 52;
  if (days <= 45) return 12;
  if (days <= 120) return 4;
  return 1;
}
