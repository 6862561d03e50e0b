"""Optuna's TPE driven on a `regimen bench search` lookup: the trials it asks, in order.

Run by the search suite with Debian's python3-optuna (3.1):
    /usr/bin/python3 tpe-on-lookup.py REQUEST.json > ASKED.json
REQUEST: {"dims": [...], "points": [[value, ...], ...], "overall": [score or null, ...],
          "budget": B, "seeds": [s, ...]}
Each seed is one study with TPESampler(seed=s) at Optuna's defaults and n_trials = B, maximising
the in-sample objective of the whole training window (the lookup's `overall`) — one study for all
regimes, as `tpe` with regime_aware: false. As in any Optuna study, every suggestion is a trial:
a point the space's constraints exclude (absent from the lookup; -1 in the output) or whose score
is missing fails (NaN), which Optuna leaves out of its model, and a point suggested again is
evaluated again. Output: {"<seed>": [lookup index of each trial, in order]}.
"""
import json
import math
import sys

import optuna

optuna.logging.set_verbosity(optuna.logging.ERROR)


def significant(x):
    """Round a float like Regimen's grid values (12 significant digits) so keys match."""
    return x if x == 0 or not math.isfinite(x) else float(f"{x:.12g}")


def suggest(trial, d):
    if d["kind"] == "values":
        return trial.suggest_categorical(d["name"], d["values"])
    if d["kind"] == "int":
        return trial.suggest_int(d["name"], d["min"], d["max"], step=d["step"])
    return significant(trial.suggest_float(d["name"], d["min"], d["max"], step=d["step"]))


def main():
    req = json.load(open(sys.argv[1]))
    dims = req["dims"]
    index = {tuple(p): i for i, p in enumerate(req["points"])}
    overall = req["overall"]
    budget = req["budget"]
    out = {}
    for seed in req["seeds"]:
        asked = []

        def objective(trial):
            i = index.get(tuple(suggest(trial, d) for d in dims), -1)
            asked.append(i)
            v = overall[i] if i >= 0 else None
            return float("nan") if v is None else v

        study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed))
        study.optimize(objective, n_trials=budget)
        out[str(seed)] = asked
    json.dump(out, sys.stdout)


main()
