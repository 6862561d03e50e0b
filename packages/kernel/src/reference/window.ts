import { regimenError, type ScoreWindow } from '@regimen/core';

/** A score window must be integer bounds with 0 ≤ start < end ≤ length (n = end − start − 1 ≥ 0). */
export function checkWindow(window: ScoreWindow, length: number, what: string): void {
  const { start, end } = window;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start || end > length) {
    throw regimenError({
      code: 'internal',
      field: 'window',
      value: { start, end },
      message: `score window must satisfy 0 <= start < end <= ${length} (${what} length)`,
    });
  }
}

/** A fold's window must lie inside the batch's window, over which the signals are captured. */
export function checkCovers(outer: ScoreWindow, inner: ScoreWindow): void {
  if (inner.start < outer.start || inner.end > outer.end) {
    throw regimenError({ code: 'internal', field: 'folds', value: inner, message: `a fold's window must lie inside the batch window [${outer.start}, ${outer.end})` });
  }
}
