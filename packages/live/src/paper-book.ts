import type { Costs } from '@regimen/core';

/**
 * Paper booking, DESIGN §5 applied one bar at a time. The target position decided at the close of
 * bar t is filled at that close and held over bar t+1, so bar t earns what the position of bar
 * t−1 earned and pays for the trade made at its close:
 *   cost    = fee + slippage                                   (once, as a double — as the kernel)
 *   charged = cost·|pos[t] − pos[t−1]|
 *   ret[t]  = pos[t−1]·(p[t]/p[t−1] − 1) − charged
 *   E[t]    = E[t−1]·(1 + ret[t])
 * These are the very expressions, in the very order, of the kernel's windowReturns and of the
 * validation equity (E = 1 at the window's first bar), so a ledger booked bar by bar equals the
 * validation engine run over the same bars bit for bit — which `regimen paper status` checks.
 */
export interface PaperMark {
  bar: number;
  close: number;
  /** the target position held from this bar's close */
  position: number;
  equity: number;
}

export interface PaperFill {
  bar: number;
  close: number;
  position: number;
  /** position − the previous position: the trade filled at this bar's close */
  trade: number;
  /** the same close: the fill price of the trade (the decision bar's close) */
  fill_price: number;
  /** (fee + slippage)·|trade|, a fraction of equity */
  cost: number;
  /** the bar's return on equity, net of the cost */
  return: number;
  equity: number;
}

export function bookBar(prev: PaperMark, next: { bar: number; close: number; position: number }, costs: Costs): PaperFill {
  const cost = costs.fee + costs.slippage;
  const charged = cost * Math.abs(next.position - prev.position);
  const ret = prev.position * (next.close / prev.close - 1) - charged;
  return {
    bar: next.bar,
    close: next.close,
    position: next.position,
    trade: next.position - prev.position,
    fill_price: next.close,
    cost: charged,
    return: ret,
    equity: prev.equity * (1 + ret),
  };
}

/** Book bars in order from an opening mark; each fill is the next bar's previous mark. */
export function bookBars(open: PaperMark, bars: ReadonlyArray<{ bar: number; close: number; position: number }>, costs: Costs): PaperFill[] {
  const out: PaperFill[] = [];
  let prev = open;
  for (const b of bars) {
    const f = bookBar(prev, b, costs);
    out.push(f);
    prev = f;
  }
  return out;
}
