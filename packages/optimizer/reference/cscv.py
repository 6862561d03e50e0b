#!/usr/bin/env python3
"""CSCV / PBO written from the paper, independently of the TypeScript (packages/optimizer/src/overfitting.ts).

Bailey, Borwein, López de Prado & Zhu (2015), "The Probability of Backtest Overfitting",
J. Computational Finance 20(4), §2-3, with the contract of DESIGN §5 and docs/overfitting.md:
  * the T x N matrix M of returns is cut into S equal blocks of rows (the first T mod S dropped);
  * for every combination J of S/2 blocks (in lexicographic order) the in-sample matrix is the rows
    of J in time order and the out-of-sample one the rows of the complement;
  * each candidate's performance on a matrix is the objective of its DESIGN §5 metrics there
    (Sharpe = mean / sample sd * sqrt(bars per year), 0 without variance; max drawdown with E_0 = 1);
    the filters min_bars / min_trades hold a half to ceil(threshold / 2); a dropped candidate is not
    ranked in that half;
  * n* = best in sample by (score, tiebreak), the lowest index on ties; its out-of-sample rank among
    the survivors there plus n* is a mid-rank; omega = rank / (M + 1), lambda = logit(omega);
  * PBO = (#lambda < 0 + 0.5 #lambda = 0) / #splits used (>= 2 survivors in sample, >= 1 other out).
Everything is computed bar by bar with numpy from the raw returns: no block summaries.

Usage: cscv.py [OUT_DIR]   writes fixture.json (the candidates, built from real SPI closes) and
expected.json (this implementation's results) to OUT_DIR (default: beside this file).
"""
import itertools
import json
import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '..', '..', 'plugin-testkit', 'data', 'swx_daily_close.csv')


def candidates_from_spi(first, bars):
    """Long-only momentum rules on the SPI index (pos_t = 1 when p_t > p_{t-L}), a flat one and a copy."""
    closes = []
    with open(DATA) as f:
        header = f.readline().strip().split(',')
        col = header.index('SPI')
        for line in f:
            closes.append(float(line.strip().split(',')[col]))
    p = np.array(closes[first - 1:first + bars])  # bars + 1 prices: bars returns
    fee = 0.0005
    returns, traded = [], []
    for lookback in (5, 10, 20, 40, 60, 90, 120, 180, 250):
        full = np.array(closes)
        pos_all = np.zeros(len(full))
        pos_all[lookback:] = (full[lookback:] > full[:-lookback]).astype(float)
        pos = pos_all[first - 1:first + bars]
        r = pos[:-1] * (p[1:] / p[:-1] - 1) - fee * np.abs(pos[1:] - pos[:-1])
        returns.append(r)
        traded.append((pos[1:] != pos[:-1]).astype(int))
    returns.append(np.zeros(bars))          # flat: Sharpe exactly 0 in every half
    traded.append(np.zeros(bars, dtype=int))
    returns.append(returns[2].copy())       # an exact copy of the 20-bar rule: exact ties
    traded.append(traded[2].copy())
    return returns, traded


def metrics(r, tr, bpy):
    n = len(r)
    sd = float(np.std(r, ddof=1)) if n > 1 and np.ptp(r) > 0 else 0.0
    mean = float(np.mean(r)) if n else 0.0
    equity = np.cumprod(1 + r)
    peak = np.maximum.accumulate(np.concatenate(([1.0], equity)))[1:]
    mdd = float(max(0.0, np.max(1 - equity / peak))) if n else 0.0
    return {
        'sharpe': mean / sd * math.sqrt(bpy) if sd > 0 else 0.0,
        'max_drawdown': mdd,
        'total_return': float(equity[-1] - 1) if n else 0.0,
        'trades': int(np.sum(tr)),
        'bars': n,
    }


OBJECTIVES = {
    # (score, tiebreak or None), higher is better, as packages/optimizer/src/objective.ts names them
    'sharpe': lambda m: (m['sharpe'], None),
    'minimize_regime_drawdown': lambda m: (-m['max_drawdown'], m['sharpe']),
}


def cscv(returns, traded, S, objective, bpy, min_bars=0, min_trades=0):
    R = np.array(returns).T  # T x N
    TR = np.array(traded).T
    T, N = R.shape
    size = T // S
    skip = T - size * S
    rows = lambda blocks: np.concatenate([np.arange(skip + b * size, skip + (b + 1) * size) for b in blocks])
    key = OBJECTIVES[objective]
    need_bars, need_trades = math.ceil(min_bars / 2), math.ceil(min_trades / 2)

    def scored(blocks):
        idx = rows(blocks)
        out = []
        for n in range(N):
            m = metrics(R[idx, n], TR[idx, n], bpy)
            s, t = key(m)
            ok = math.isfinite(s) and m['bars'] >= need_bars and m['trades'] >= need_trades
            out.append({'score': s, 'tie': t if t is not None else 0.0, 'ok': ok, 'total': m['total_return']})
        return out

    def order(x):
        return (x['score'], x['tie'])

    logits, ins, outs, losses, used, at_median, below = [], [], [], 0, 0, 0, 0
    for train in itertools.combinations(range(S), S // 2):
        test = [b for b in range(S) if b not in train]
        a, b = scored(train), scored(test)
        survivors = [n for n in range(N) if a[n]['ok']]
        if len(survivors) < 2:
            continue
        best = survivors[0]
        for n in survivors[1:]:
            if order(a[n]) > order(a[best]):
                best = n
        others = [n for n in range(N) if n != best and b[n]['ok']]
        if not others:
            continue
        worse = sum(1 for n in others if order(b[best]) > order(b[n]))
        tied = sum(1 for n in others if order(b[best]) == order(b[n]))
        M = len(others) + 1
        rank = 1 + worse + tied / 2
        omega = rank / (M + 1)
        lam = math.log(omega / (1 - omega))
        used += 1
        if 2 * rank < M + 1:
            below += 1
        elif 2 * rank == M + 1:
            at_median += 1
        logits.append(lam)
        ins.append(a[best]['score'])
        outs.append(b[best]['score'])
        losses += b[best]['total'] < 0
    logits = np.array(logits)
    slope, intercept = np.polyfit(np.array(ins), np.array(outs), 1)
    lo, hi = logits.min(), logits.max()
    width = (hi - lo) / 20 if hi > lo else 1.0
    counts = np.zeros(20, dtype=int)
    for x in logits:
        counts[min(19, int(math.floor((x - lo) / width)))] += 1
    return {
        'candidates': N,
        'splits': math.comb(S, S // 2),
        'splits_used': used,
        'at_median': at_median,
        'pbo': (below + at_median / 2) / used,
        'logit_mean': float(logits.mean()),
        'histogram': counts.tolist(),
        'slope': float(slope),
        'intercept': float(intercept),
        'in_sample_mean': float(np.mean(ins)),
        'out_of_sample_mean': float(np.mean(outs)),
        'probability_of_loss': losses / used,
    }


CASES = [
    # name, first bar, bars, S, objective, min_bars, min_trades
    ('sharpe_12_blocks', 300, 480, 12, 'sharpe', 0, 0),
    ('drawdown_min_trades', 300, 403, 8, 'minimize_regime_drawdown', 20, 8),
    ('sharpe_min_trades_10_blocks', 1200, 500, 10, 'sharpe', 0, 12),
]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else HERE
    bpy = 252
    fixture, expected = {'bars_per_year': bpy, 'cases': []}, {'cases': []}
    for name, first, bars, S, objective, min_bars, min_trades in CASES:
        returns, traded = candidates_from_spi(first, bars)
        fixture['cases'].append({
            'name': name, 'blocks': S, 'objective': objective, 'min_bars': min_bars, 'min_trades': min_trades,
            'returns': [r.tolist() for r in returns], 'traded': [t.tolist() for t in traded],
        })
        expected['cases'].append({'name': name, **cscv(returns, traded, S, objective, bpy, min_bars, min_trades)})
    for file, value in (('fixture.json', fixture), ('expected.json', expected)):
        with open(os.path.join(out, file), 'w') as f:
            json.dump(value, f, indent=1 if file == 'expected.json' else None)
            f.write('\n')


if __name__ == '__main__':
    main()
