"""Reference values for rawan's index audit (tests/index_audit.rs), from pandas and numpy.

Writes index_audit_input.csv (60 villages x 4 scores, some missing) and
index_audit.json: pandas' pairwise-complete Pearson matrix, and Cronbach's alpha of the
listwise-complete rows computed from the covariance matrix,
alpha = k/(k-1) * (1 - trace(C) / sum(C)) (a different route from rawan's item variances).

Run with any Python that has pandas and numpy, e.g. the benchmark's peer venv:
    bench-data/peer-venv/bin/python tests/reference/index_audit.py
"""
import json
import pathlib

import numpy as np
import pandas as pd

here = pathlib.Path(__file__).parent
rng = np.random.default_rng(20251130)
n = 60
base = rng.normal(5, 2, n)
df = pd.DataFrame(
    {
        "a": np.clip(base + rng.normal(0, 1, n), 0, 10),
        "b": np.clip(0.6 * base + rng.normal(2, 1.5, n), 0, 10),
        "c": np.clip(10 - base + rng.normal(0, 2, n), 0, 10),
        "d": np.clip(rng.uniform(0, 10, n), 0, 10),
    }
).round(6)
for col, rows in {"b": [3, 17, 40], "c": [5, 6], "d": [59]}.items():
    df.loc[rows, col] = np.nan
df.to_csv(here / "index_audit_input.csv", index=False, na_rep="")

corr = df.corr(method="pearson")  # pairwise complete


def alpha(cols):
    x = df[cols].dropna().to_numpy()
    c = np.cov(x, rowvar=False, ddof=1)
    k = len(cols)
    return k / (k - 1) * (1 - np.trace(c) / c.sum()), len(x)


out = {
    "pearson": {f"{a}-{b}": corr.loc[a, b] for a in df for b in df if a < b},
    "alpha_abc": alpha(["a", "b", "c"]),
    "alpha_ab": alpha(["a", "b"]),
    "alpha_abcd": alpha(["a", "b", "c", "d"]),
    "versions": {"pandas": pd.__version__, "numpy": np.__version__},
}
(here / "index_audit.json").write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
