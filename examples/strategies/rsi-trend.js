// A strategy plugin with five parameters of its own, as one plain JavaScript file: the example
// space of examples/search-tpe.yaml and of `regimen bench search` (a space too big to sweep by
// hand: 9,800 points). A workflow names it by path: `plugin: ./strategies/rsi-trend.js`.
//
// The rule (a short-horizon RSI pull-back inside a trend, with a stop — the Connors style):
//   long  when RSI(period) < entry and (trend = 0 or close > SMA(trend)); out when RSI > exit or
//         close < entry price·(1 − stop) (stop 0: no stop)
//   short (side long_short) the mirror image: RSI > 100 − entry below the SMA, out when RSI < 100 − exit
// RSI is Wilder's (TTR's convention: the first averages are the means of the first `period` changes).
import { z } from 'zod';

const params = z.strictObject({
  period: z.number().int().min(2).default(3),
  entry: z.number().min(0).max(100).default(20),
  exit: z.number().min(0).max(100).default(60),
  trend: z.number().int().min(0).default(0),
  stop: z.number().min(0).lt(1).default(0),
});

function rsi(close, n, out) {
  let gain = 0, loss = 0;
  for (let t = 1; t <= n && t < close.length; t++) {
    const d = close[t] - close[t - 1];
    if (d > 0) gain += d; else loss -= d;
  }
  gain /= n;
  loss /= n;
  for (let t = n; t < close.length; t++) {
    if (t > n) {
      const d = close[t] - close[t - 1];
      gain = (gain * (n - 1) + (d > 0 ? d : 0)) / n;
      loss = (loss * (n - 1) + (d < 0 ? -d : 0)) / n;
    }
    out[t] = loss === 0 ? 100 : 100 - 100 / (1 + gain / loss);
  }
}

export function rsiTrendStrategy() {
  return {
    kind: 'strategy',
    name: 'rsi_trend',
    apiVersion: 1,
    description: 'RSI pull-back inside an SMA trend with a stop: period, entry, exit, trend, stop',
    params,
    warmup: (p) => Math.max(p.period, p.trend - 1),
    positions(bars, p, out) {
      const close = bars.close;
      const n = close.length;
      const r = new Float64Array(n);
      rsi(close, p.period, r);
      // SMA(trend) at t ≥ trend − 1, from a running sum
      const sma = new Float64Array(n).fill(NaN);
      let sum = 0;
      for (let t = 0; t < n && p.trend > 0; t++) {
        sum += close[t] - (t >= p.trend ? close[t - p.trend] : 0);
        if (t >= p.trend - 1) sma[t] = sum / p.trend;
      }
      const shorts = p.side === 'long_short';
      let pos = 0, entered = 0;
      for (let t = Math.max(p.period, p.trend - 1); t < n; t++) {
        const c = close[t];
        if (pos === 1 && (r[t] > p.exit || (p.stop > 0 && c < entered * (1 - p.stop)))) pos = 0;
        else if (pos === -1 && (r[t] < 100 - p.exit || (p.stop > 0 && c > entered * (1 + p.stop)))) pos = 0;
        else if (pos === 0) {
          if (r[t] < p.entry && (p.trend === 0 || c > sma[t])) (pos = 1), (entered = c);
          else if (shorts && r[t] > 100 - p.entry && (p.trend === 0 || c < sma[t])) (pos = -1), (entered = c);
        }
        out[t] = pos;
      }
    },
  };
}

export default rsiTrendStrategy();
