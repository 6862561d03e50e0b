#!/usr/bin/python3
"""An independent reference for a walk-forward's stitched out-of-sample series and its
walk-forward efficiency, written from DESIGN §5 and docs/walk-forward.md with numpy only (none of
Regimen's TypeScript is read or ported).

  python3 walk_forward.py export WORKSPACE > walk-forward-fixture.json
      the inputs, read from a finished walk-forward workspace's own files: the closes of the
      stitched span (from the data file the run read), each fold's out-of-sample window, the
      adaptive strategy's position changes there (analysis/validation_trades.json of the fold),
      and each fold's in-sample adaptive total return and number of returns
      (performance/walk_forward_results.json — the in-sample backtest is an input here, not checked)

  python3 walk_forward.py compute walk-forward-fixture.json > walk-forward-expected.json
      the stitched returns, equity and metrics of the adaptive strategy and buy-and-hold, each
      fold's own out-of-sample metrics, and the walk-forward efficiencies

Rules (docs/walk-forward.md): the out-of-sample windows [s_k, e_k) tile the span [s_1, e_K); the
stitched position at bar t is that of the fold whose window holds t; the span is scored as one
series, ret[t] = pos[t-1]*(p[t]/p[t-1] - 1) - (fee + slippage)*|pos[t] - pos[t-1]| for
t = s_1+1 .. e_K-1. Metrics over those n returns: sharpe = mean/sd(ddof=1)*sqrt(bpy),
sortino = mean/sqrt(sum(min(r,0)^2)/n)*sqrt(bpy), max_drawdown = max(1 - E/cummax(E)) with E_0 = 1,
cagr = E_n^(bpy/n) - 1. WFE per fold = oos cagr / is cagr (None when is cagr <= 0); overall =
stitched cagr / pooled in-sample cagr, pooled = prod(1 + is total return)^(bpy / sum n_is) - 1.
"""
import csv
import json
import math
import os
import sys

import numpy as np


def export(workspace):
    def load(*parts):
        with open(os.path.join(workspace, *parts)) as f:
            return json.load(f)

    manifest = load('metadata', 'workflow.json')
    config = load('metadata', 'config.resolved.json')
    results = load('performance', 'walk_forward_results.json')
    data = config['data']
    if data.get('resample') or data.get('embedded'):
        raise SystemExit('export reads a plain CSV file without resampling')
    with open(data['path']) as f:
        rows = list(csv.DictReader(f))
    times = [r[data['time_column']] for r in rows]
    close = [float(r[data['price']['column']]) for r in rows]
    folds = manifest['folds']
    start, end = folds[0]['out_of_sample']['start'], folds[-1]['out_of_sample']['end']
    out = {
        'source': 'exported by walk_forward.py from a walk-forward workspace of packages/coordinator/reference/walk-forward-fixture.yaml',
        'bars_per_year': manifest['bars_per_year'],
        'costs': {'fee': config['costs']['fee'], 'slippage': config['costs']['slippage']},
        'start': start,
        'close': close[start:end],
        'folds': [],
    }
    for k, fold in enumerate(folds):
        w = fold['out_of_sample']
        # the CSV row of a bar is the bar: the dates the run wrote must be the file's
        assert times[w['start']].startswith(w['first']) and times[w['end'] - 1].startswith(w['last']), fold
        with open(os.path.join(workspace, 'folds', 'fold_%d' % k, 'analysis', 'validation_trades.json')) as f:
            trades = json.load(f)['trades']
        entry = results['folds'][k]
        out['folds'].append({
            'out_of_sample': {'start': w['start'], 'end': w['end']},
            'adaptive_changes': [[t['bar'], t['to_position']] for t in trades],
            'in_sample': {'returns': entry['in_sample']['end'] - entry['in_sample']['start'] - 1,
                          'total_return': entry['in_sample']['adaptive']['total_return']},
        })
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write('\n')


def metrics(pos, close, cost, bpy):
    """DESIGN §5 over the positions pos[0..m-1] at the closes close[0..m-1]: m-1 returns."""
    r = pos[:-1] * (close[1:] / close[:-1] - 1.0) - cost * np.abs(np.diff(pos))
    n = len(r)
    equity = np.concatenate(([1.0], np.cumprod(1.0 + r)))
    mean = r.mean()
    sd = r.std(ddof=1)
    down = math.sqrt(np.sum(np.minimum(r, 0.0) ** 2) / n)
    drawdown = 1.0 - equity / np.maximum.accumulate(equity)
    return {
        'sharpe': float(mean / sd * math.sqrt(bpy)) if sd > 0 else 0.0,
        'sortino': float(mean / down * math.sqrt(bpy)) if down > 0 else 0.0,
        'max_drawdown': float(drawdown.max()),
        'total_return': float(equity[-1] - 1.0),
        'cagr': float(equity[-1] ** (bpy / n) - 1.0),
        'volatility': float(sd * math.sqrt(bpy)),
        'trades': int(np.count_nonzero(np.diff(pos))),
        'exposure': float(np.count_nonzero(pos[:-1]) / n),
    }, equity


def compute(path):
    with open(path) as f:
        fx = json.load(f)
    bpy = fx['bars_per_year']
    cost = fx['costs']['fee'] + fx['costs']['slippage']
    s0 = fx['start']
    close = np.array(fx['close'], dtype=np.float64)
    runs = {'adaptive': np.zeros(len(close)), 'buy_and_hold': np.ones(len(close))}
    folds = []
    for fold in fx['folds']:
        a, b = fold['out_of_sample']['start'] - s0, fold['out_of_sample']['end'] - s0
        # the fold's adaptive positions: flat before its first change, then the last change at or before each bar
        own = np.zeros(b - a)
        for bar, position in fold['adaptive_changes']:
            own[bar - s0 - a:] = position
        runs['adaptive'][a:b] = own
        oos, _ = metrics(own, close[a:b], cost, bpy)
        i = fold['in_sample']
        is_cagr = (1.0 + i['total_return']) ** (bpy / i['returns']) - 1.0
        folds.append({'out_of_sample_cagr': oos['cagr'], 'out_of_sample_total_return': oos['total_return'],
                      'in_sample_cagr': is_cagr,
                      'walk_forward_efficiency': oos['cagr'] / is_cagr if is_cagr > 0 else None})
    stitched, equity = {}, {}
    for name, pos in runs.items():
        stitched[name], equity[name] = metrics(pos, close, cost, bpy)
    growth = np.prod([1.0 + f['in_sample']['total_return'] for f in fx['folds']])
    pooled = float(growth ** (bpy / sum(f['in_sample']['returns'] for f in fx['folds'])) - 1.0)
    out = {
        'bars': len(close),
        'returns': len(close) - 1,
        'price_ratio': float(close[-1] / close[0]),
        'stitched': stitched,
        'equity': {k: v.tolist() for k, v in equity.items()},
        'folds': folds,
        'in_sample_cagr': pooled,
        'walk_forward_efficiency': stitched['adaptive']['cagr'] / pooled if pooled > 0 else None,
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write('\n')


if __name__ == '__main__':
    if len(sys.argv) != 3 or sys.argv[1] not in ('export', 'compute'):
        raise SystemExit(__doc__)
    (export if sys.argv[1] == 'export' else compute)(sys.argv[2])
