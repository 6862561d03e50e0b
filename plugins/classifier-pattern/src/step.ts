import { NO_REGIME, regimenError, type BarColumns, type ClassifierStep } from '@regimen/core';
import { BREAKOUT, RANGE, TREND_DOWN, TREND_UP, warmup } from './classify.js';
import type { PatternOptions } from './options.js';

/** indicators.ts's `wilder(x, n, from)` one bar at a time: seed sum, then m += (x − m)/n. */
interface WilderStep { from: number; n: number; s: number; m: number }
/** indicators.ts's `wilderSum(x, n, from)` one bar at a time: s = s·(n−1)/n + x from bar from+n−1. */
interface WilderSumStep { from: number; n: number; k: number; s: number }

const wilderStart = (n: number, from: number): WilderStep => ({ from, n, s: 0, m: NaN });
const wilderSumStart = (n: number, from: number): WilderSumStep => ({ from, n, k: (n - 1) / n, s: 0 });

function wilderNext(w: WilderStep, t: number, x: number): number {
  const first = w.from + w.n - 1;
  if (t < w.from) return NaN;
  if (t < first) {
    w.s += x;
    return NaN;
  }
  if (t === first) {
    w.s += x;
    w.m = w.s / w.n;
  } else w.m += (x - w.m) / w.n;
  return w.m;
}

function wilderSumNext(w: WilderSumStep, t: number, x: number): number {
  if (t < w.from) return NaN;
  if (t < w.from + w.n - 1) {
    w.s += x;
    return NaN;
  }
  w.s = w.s * w.k + x;
  return w.s;
}

/**
 * What the pattern classifier carries from bar to bar, as plain JSON values: the bars seen, the
 * last `channel` highs and lows (the channel of the bar before), the previous bar's high, low and
 * close, the breakout hold count, and the ATR / ADX recursions when those rules are on.
 */
export interface PatternStepState {
  t: number;
  highs: number[];
  lows: number[];
  prev: { high: number; low: number; close: number } | null;
  holdLeft: number;
  atr: WilderStep | null;
  /** the ATR of the bar before (a break compares with it) */
  atrPrev: number;
  adx: { tr: WilderSumStep; plus: WilderSumStep; minus: WilderSumStep; dx: WilderStep } | null;
}

const maxOf = (w: number[]) => w.reduce((m, x) => (x > m ? x : m), w[0]!);
const minOf = (w: number[]) => w.reduce((m, x) => (x < m ? x : m), w[0]!);

/**
 * `labelStep`: `classify` one bar at a time from a saved state, with the arithmetic of
 * indicators.ts (TTR's true range, Wilder average and sum, DI±, DX, ADX) in the same order, so
 * every label equals the whole-series one. The channel's max/min by the scan are the bits core's
 * slidingMax/slidingMin give.
 */
export function patternLabelStep(prior: unknown, data: BarColumns, o: PatternOptions): ClassifierStep {
  const st: PatternStepState = (prior as PatternStepState | null) ?? {
    t: 0, highs: [], lows: [], prev: null, holdLeft: 0,
    atr: o.vol_expansion > 0 ? wilderStart(o.atr, 1) : null, atrPrev: NaN,
    adx: o.trend ? { tr: wilderSumStart(o.adx, 1), plus: wilderSumStart(o.adx, 1), minus: wilderSumStart(o.adx, 1), dx: wilderStart(o.adx, o.adx) } : null,
  };
  const start = warmup(o);
  const above = (a: number, b: number) => a - b > o.tolerance * Math.abs(b);
  const n = data.close.length;
  const labels = new Uint8Array(n).fill(NO_REGIME);
  for (let i = 0; i < n; i++, st.t++) {
    const t = st.t;
    const high = data.high[i]!;
    const low = data.low[i]!;
    const close = data.close[i]!;
    for (const [name, v] of [['high', high], ['low', low], ['close', close]] as const) {
      if (!Number.isFinite(v)) throw regimenError({ code: 'data', field: `${name}[${t}]`, value: v, message: 'the pattern classifier needs finite prices' });
    }
    const p = st.prev;
    const range = p ? Math.max(high, p.close) - Math.min(low, p.close) : NaN;
    const avgRange = st.atr ? wilderNext(st.atr, t, range) : NaN;
    let adx = NaN;
    let diPlus = NaN;
    let diMinus = NaN;
    if (st.adx) {
      let dmp = NaN;
      let dmn = NaN;
      if (p) {
        const dh = high - p.high;
        const dl = p.low - low;
        const none = dh === dl || (dh < 0 && dl < 0);
        dmp = none || !(dh > dl) ? 0 : dh;
        dmn = none || !(dl > dh) ? 0 : dl;
      }
      const tr = wilderSumNext(st.adx.tr, t, range);
      const sp = wilderSumNext(st.adx.plus, t, dmp);
      const sn = wilderSumNext(st.adx.minus, t, dmn);
      let dx = NaN;
      if (t >= o.adx) {
        diPlus = tr > 0 ? (100 * sp) / tr : 0;
        diMinus = tr > 0 ? (100 * sn) / tr : 0;
        dx = diPlus + diMinus > 0 ? (100 * Math.abs(diPlus - diMinus)) / (diPlus + diMinus) : 0;
      }
      adx = wilderNext(st.adx.dx, t, dx);
    }
    if (t >= start) {
      let broke = above(close, maxOf(st.highs)) || above(minOf(st.lows), close);
      if (broke && st.atr) broke = !above(o.vol_expansion * st.atrPrev, range);
      if (broke) st.holdLeft = o.hold;
      if (st.holdLeft > 0) {
        labels[i] = BREAKOUT;
        st.holdLeft--;
      } else if (st.adx && !(adx < o.adx_threshold)) {
        labels[i] = diPlus >= diMinus ? TREND_UP : TREND_DOWN;
      } else {
        labels[i] = RANGE;
      }
    }
    st.highs.push(high);
    st.lows.push(low);
    if (st.highs.length > o.channel) {
      st.highs.shift();
      st.lows.shift();
    }
    st.prev = { high, low, close };
    st.atrPrev = avgRange;
  }
  return { labels, state: st };
}
