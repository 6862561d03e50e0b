#!/usr/bin/python3
"""Independent reference optimum for the Gaussian HMM classifier.

Fits statsmodels' MarkovRegression (k_regimes=K, trend='c', switching_variance=True) — a Gaussian
HMM on log returns with the stationary ("steady-state") initial distribution, Hamilton's convention —
on the training part (first floor(0.7·N) closes) of two real daily series, for K = 2 and 3, with
many random search starts, and writes to statsmodels_optimum.json the best fit found ("best") and the
best fit whose variances all stay above 1e-3 of the sample variance ("best_regular"). They differ for
the SPI with K=3: statsmodels has no variance floor and parks a state of variance ~1e-35 on the
exact-zero returns (an unbounded likelihood, not an optimum); the classifier's floor rules that out.

Run with Debian's python (apt-get install python3-statsmodels):
    /usr/bin/python3 plugins/classifier-hmm/reference/statsmodels_reference.py

Returns are fitted in percent (×100) because the optimiser is better conditioned there; the
log-likelihood of the raw returns is LL_percent + n·ln(100) (a change of variables).
"""
import csv, json, math, os, sys, warnings
import numpy as np
import statsmodels
from statsmodels.tsa.regime_switching.markov_regression import MarkovRegression

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = '/work/shared/data'
SERIES = [('nyse_composite_daily_close.csv', 'close'), ('swx_daily_close.csv', 'SPI')]
TRAIN_FRACTION = 0.7


def train_returns(file, column):
    with open(os.path.join(DATA, file)) as fh:
        rows = list(csv.DictReader(fh))
    close = np.array([float(r[column]) for r in rows])
    train = close[: math.floor(TRAIN_FRACTION * len(close))]
    return np.diff(np.log(train)), len(close), len(train)


def describe(model, res, k, n):
    p = res.params
    names = list(model.param_names)
    states = sorted(
        ({'mean': float(p[names.index(f'const[{i}]')]) / 100, 'variance': float(p[names.index(f'sigma2[{i}]')]) / 1e4}
         for i in range(k)),
        key=lambda s: -s['mean'],
    )
    return {
        'log_likelihood': float(res.llf + n * math.log(100.0)),
        'log_likelihood_percent': float(res.llf),
        'states': states,
    }


def best_fit(r, k):
    y = 100.0 * r
    n = len(y)
    # variances below this (1e-3 of the sample variance, the HMM classifier's default floor) mean a
    # state collapsed onto the exact-zero returns: the likelihood is unbounded there, not an optimum
    floor = 1e-3 * float(np.var(y, ddof=1))
    model = MarkovRegression(y, k_regimes=k, trend='c', switching_variance=True)
    best, best_regular = None, None
    # several independent searches: each is EM + BFGS from the best of `search_reps` random starts
    for seed in range(6):
        np.random.seed(seed)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            res = model.fit(search_reps=40, em_iter=20, maxiter=500, disp=False)
        sig = [res.params[list(model.param_names).index(f'sigma2[{i}]')] for i in range(k)]
        if best is None or res.llf > best.llf:
            best = res
        if min(sig) >= floor and (best_regular is None or res.llf > best_regular.llf):
            best_regular = res
    out = {'k': k, 'n': n, 'n_params': len(best.params), 'best': describe(model, best, k, n)}
    out['best_regular'] = describe(model, best_regular, k, n) if best_regular is not None else None
    return out


def main():
    out = {'statsmodels': statsmodels.__version__, 'train_fraction': TRAIN_FRACTION, 'fits': []}
    for file, column in SERIES:
        r, n_all, n_train = train_returns(file, column)
        for k in (2, 3):
            fit = best_fit(r, k)
            fit.update({'file': file, 'column': column, 'bars': n_all, 'train_bars': n_train})
            print(json.dumps(fit), file=sys.stderr)
            out['fits'].append(fit)
    with open(os.path.join(HERE, 'statsmodels_optimum.json'), 'w') as fh:
        json.dump(out, fh, indent=2)
        fh.write('\n')


if __name__ == '__main__':
    main()
