import { regimenError } from '@regimen/core';

/**
 * A window length as a workflow gives it: a number of bars (an integer ≥ 2), a fraction of all bars
 * (0 < f < 1), or a calendar duration (`90d`, `6mo`, `2y`, `4w`, `12h`, `30min`). Durations count
 * calendar time, so a window of `6mo` holds however many bars those months had.
 */
export type WindowLength = { bars: number } | { fraction: number } | { duration: Duration };

export interface Duration {
  amount: number;
  unit: 'min' | 'h' | 'd' | 'w' | 'mo' | 'y';
  text: string;
}

const UNITS: Record<string, Duration['unit']> = {
  min: 'min', mins: 'min', minute: 'min', minutes: 'min',
  h: 'h', hour: 'h', hours: 'h',
  d: 'd', day: 'd', days: 'd',
  w: 'w', week: 'w', weeks: 'w',
  mo: 'mo', month: 'mo', months: 'mo',
  y: 'y', yr: 'y', year: 'y', years: 'y',
};

export function parseWindowLength(value: number | string, where: { file: string; field: string }): WindowLength {
  const bad = (message: string): never => {
    throw regimenError({ code: 'config', file: where.file, field: where.field, value, message });
  };
  if (typeof value === 'number') {
    if (value > 0 && value < 1) return { fraction: value };
    if (Number.isInteger(value) && value >= 2) return { bars: value };
    return bad('a window is a number of bars (an integer ≥ 2), a fraction of the data (between 0 and 1) or a duration such as 6mo');
  }
  const m = /^\s*(\d+)\s*([a-z]+)\s*$/i.exec(value);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || !unit || Number(m[1]) < 1) return bad('a duration is a positive whole number and a unit: min, h, d, w, mo or y (e.g. 90d, 6mo, 2y)');
  return { duration: { amount: Number(m[1]), unit, text: value.trim() } };
}

const FIXED_MS: Partial<Record<Duration['unit'], number>> = { min: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `ms` moved by `sign` · duration; months and years move the calendar date (UTC), clamped to month ends. */
export function shiftTime(ms: number, d: Duration, sign: 1 | -1): number {
  const fixed = FIXED_MS[d.unit];
  if (fixed !== undefined) return ms + sign * d.amount * fixed;
  const t = new Date(ms);
  const months = sign * d.amount * (d.unit === 'y' ? 12 : 1);
  const y = t.getUTCFullYear();
  const mo = t.getUTCMonth() + months;
  const target = new Date(Date.UTC(y, mo, 1, t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds(), t.getUTCMilliseconds()));
  // 31 March − 1 month is the last day of February, not 3 March
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(t.getUTCDate(), lastDay));
  return target.getTime();
}
