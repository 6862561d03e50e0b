"""Expected values for parzen-estimator.test.ts, from Optuna's own Parzen estimator.

Run with Debian's python3-optuna (3.1.0): /usr/bin/python3 optuna-parzen.py > optuna-parzen.json
Each case: a search space, observations (chronological), Optuna's settings; out: the mixture
weights, each numeric parameter's kernel means and bandwidths, each categorical parameter's
kernel matrix, and log_pdf at probe points. Observations and probes are written in the estimator's coordinates: the log of a log-scaled float.
"""
import json
import math

import numpy as np
import optuna
from scipy.special import logsumexp
from scipy.stats import norm, truncnorm
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import default_weights, default_gamma

rng = np.random.RandomState(20261207)


def case(name, space, observations, probes, multivariate=False, endpoints=False, magic_clip=True, prior_weight=1.0):
    params = _ParzenEstimatorParameters(True, prior_weight, magic_clip, endpoints, default_weights, multivariate)
    obs = {k: np.asarray([o[k] for o in observations], dtype=float) for k in space}
    pe = _ParzenEstimator(obs, space, params)
    probe = {k: np.asarray([p[k] for p in probes], dtype=float if not isinstance(space[k], CategoricalDistribution) else int) for k in space}
    out = {"name": name, "multivariate": multivariate, "endpoints": endpoints, "magic_clip": magic_clip, "prior_weight": prior_weight,
           "space": {}, "observations": [coords(space, o) for o in observations], "probes": [coords(space, p) for p in probes],
           "weights": pe._weights.tolist(), "mus": {}, "sigmas": {}, "categorical": {}, "log_pdf": pe.log_pdf(probe).tolist()}
    out["log_pdf_scipy"] = scipy_log_pdf(pe, space, [coords(space, p) for p in probes])
    for k, d in space.items():
        if isinstance(d, CategoricalDistribution):
            out["space"][k] = {"kind": "categorical", "choices": len(d.choices)}
            out["categorical"][k] = pe._categorical_weights[k].tolist()
        else:
            out["space"][k] = {"kind": "numeric", "low": float(pe._low[k]), "high": float(pe._high[k]), "step": pe._q[k], "log": bool(d.log)}
            out["mus"][k] = pe._mus[k].tolist()
            out["sigmas"][k] = pe._sigmas[k].tolist()
    return out


def scipy_log_pdf(pe, space, probes):
    """The same mixture's log density from scipy's truncated normal (Optuna's kernels and weights).

    Optuna 3.1's own _truncnorm.logpdf leaves out the −log(scale) term of a continuous kernel's
    density; scipy's includes it, and so does Regimen. Grid (stepped) and categorical parameters
    use masses, where the scale cancels, so there the two agree.
    """
    out = []
    for p in probes:
        comp = np.log(pe._weights).copy()
        for k, d in space.items():
            if isinstance(d, CategoricalDistribution):
                comp += np.log(pe._categorical_weights[k][:, int(p[k])])
                continue
            low, high, q = pe._low[k], pe._high[k], pe._q[k]
            mus, sigmas = pe._mus[k], pe._sigmas[k]
            a, b = (low - mus) / sigmas, (high - mus) / sigmas
            if q is None:
                comp += truncnorm.logpdf(p[k], a, b, loc=mus, scale=sigmas)
            else:
                lo, hi = max(p[k] - q / 2, low), min(p[k] + q / 2, high)
                comp += np.log(truncnorm.cdf(hi, a, b, loc=mus, scale=sigmas) - truncnorm.cdf(lo, a, b, loc=mus, scale=sigmas))
        out.append(float(logsumexp(comp)))
    return out


def coords(space, point):
    """A point in the estimator's coordinates: the log of a log-scaled float's value."""
    return {k: math.log(v) if getattr(space[k], "log", False) else v for k, v in point.items()}


def draw(space, n):
    obs = []
    for _ in range(n):
        o = {}
        for k, d in space.items():
            if isinstance(d, CategoricalDistribution):
                o[k] = int(rng.randint(len(d.choices)))
            elif isinstance(d, IntDistribution):
                o[k] = float(d.low + d.step * rng.randint((d.high - d.low) // d.step + 1))
            elif d.log:
                o[k] = float(math.exp(rng.uniform(math.log(d.low), math.log(d.high))))
            elif d.step is not None:
                o[k] = float(d.low + d.step * rng.randint(round((d.high - d.low) / d.step) + 1))
            else:
                o[k] = float(rng.uniform(d.low, d.high))
        obs.append(o)
    return obs


cases = []
flt = {"x": FloatDistribution(0.0, 10.0)}
cases.append(case("float, 5 observations", flt, [{"x": v} for v in [1.5, 2.0, 7.3, 9.9, 0.1]], [{"x": v} for v in [0.0, 0.05, 1.7, 5.0, 9.99, 10.0]]))
cases.append(case("float, consider_endpoints", flt, [{"x": v} for v in [1.5, 2.0, 7.3, 9.9, 0.1]], [{"x": v} for v in [0.0, 1.7, 9.99]], endpoints=True))
cases.append(case("float, no observations (prior only)", flt, [], [{"x": v} for v in [0.0, 5.0, 10.0]]))
stepped = {"n": IntDistribution(2, 50, step=2)}
cases.append(case("int step 2, 12 observations", stepped, draw(stepped, 12), [{"n": v} for v in [2.0, 4.0, 26.0, 48.0, 50.0]]))
logf = {"lr": FloatDistribution(1e-3, 1.0, log=True)}
obs_log = draw(logf, 8)
cases.append(case("log float, 8 observations", logf, obs_log, [{"lr": v} for v in [1e-3, 0.01, 0.3, 1.0]]))
cat = {"c": CategoricalDistribution(["a", "b", "c", "d"])}
cases.append(case("categorical alone, 4 observations", cat, [{"c": v} for v in [0, 2, 2, 3]], [{"c": v} for v in [0, 1, 2, 3]]))
mixed = {"x": FloatDistribution(-5.0, 5.0), "n": IntDistribution(1, 9), "s": FloatDistribution(0.01, 0.2, step=0.01), "c": CategoricalDistribution([0, 1, 2])}
obs_mixed = draw(mixed, 40)
probes_mixed = draw(mixed, 6)
# univariate bandwidths sort the kernels; numpy's argsort breaks ties in no documented order (Regimen:
# chronological), so this case draws from grids wide enough to have no tie
wide = {"x": FloatDistribution(-5.0, 5.0), "n": IntDistribution(1, 10000), "s": FloatDistribution(0.0001, 1.0, step=0.0001), "c": CategoricalDistribution([0, 1, 2])}
obs_wide = draw(wide, 40)
while not all(len(set(o[k] for o in obs_wide)) == 40 for k in ["x", "n", "s"]):
    obs_wide = draw(wide, 40)
cases.append(case("mixed, 40 observations (weights ramp), univariate", wide, obs_wide, draw(wide, 6)))
cases.append(case("mixed, 40 observations, multivariate", mixed, obs_mixed, probes_mixed, multivariate=True))
cases.append(case("mixed, 7 observations, no magic clip, prior weight 2", mixed, obs_mixed[:7], probes_mixed, magic_clip=False, prior_weight=2.0))

print(json.dumps({"optuna": optuna.__version__, "gamma": {str(n): default_gamma(n) for n in [0, 1, 9, 10, 11, 100, 249, 250, 251, 1000]},
                  "weights": {str(n): default_weights(n).tolist() for n in [0, 3, 25, 26, 27, 40]}, "cases": cases}))
