"""Reference values from the `csdid` package (Callaway & Sant'Anna 2021, the Python port of R's
`did`) for rawan's programme-effect estimator, on two generated village-month panels: one with
a planted effect of +2.0 from designation on, one placebo (no effect), designations staggered
and more likely where the outcome runs high (as designations follow risk).

Run once to regenerate tests/reference/csdid_panels.json (rawan's tests read the JSON; they do
not need Python):
    python3 -m venv /tmp/csdid-venv && /tmp/csdid-venv/bin/pip install csdid==0.4.3
    /tmp/csdid-venv/bin/python tests/reference/csdid_panels.py
Estimation: not-yet-treated controls, varying base period, doubly robust without covariates
(which is the difference in means), analytical standard errors (bstrap=False).
"""
import json, warnings
import numpy as np, pandas as pd
import csdid
from csdid.att_gt import ATTgt

warnings.filterwarnings("ignore")
PERIODS, UNITS = 12, 240


def panel(effect, seed):
    rng = np.random.default_rng(seed)
    level = rng.normal(5.0, 1.5, UNITS)
    trend = np.linspace(0.0, 1.1, PERIODS)
    # Higher-level villages are designated earlier (selection on the outcome's level, which
    # the differences remove); a third never in the window.
    order = np.argsort(-level + rng.normal(0, 1.0, UNITS))
    cohort = np.zeros(UNITS, dtype=int)
    for rank, unit in enumerate(order):
        cohort[unit] = [3, 5, 8, 0][min(rank * 4 // UNITS, 3)]
    rows = []
    for i in range(UNITS):
        for t in range(PERIODS):
            treated = cohort[i] > 0 and t + 1 >= cohort[i]
            y = level[i] + trend[t] + rng.normal(0, 0.8) + (effect if treated else 0.0)
            rows.append((i + 1, t + 1, int(cohort[i]), round(float(y), 6)))
    return pd.DataFrame(rows, columns=["id", "period", "g", "y"])


out = {"csdid": csdid.__version__ if hasattr(csdid, "__version__") else "0.4.3", "panels": {}}
for name, effect, seed in (("planted", 2.0, 11), ("placebo", 0.0, 12)):
    df = panel(effect, seed)
    fit = ATTgt(yname="y", tname="period", idname="id", gname="g", data=df,
                control_group="notyettreated").fit(est_method="dr", base_period="varying", bstrap=False)
    r = fit.results
    cells = [{"g": int(g), "t": int(t), "att": float(a), "se": float(se)}
             for g, t, a, se in zip(r["group"], r["year"], r["att"], np.ravel(r["se"]))]
    simple = fit.aggte(typec="simple", bstrap=False)
    simple_att = float(fit.atte["overall_att"]); simple_se = float(fit.atte["overall_se"])
    dyn = fit.aggte(typec="dynamic", bstrap=False)
    dynamic = [{"e": int(e), "att": float(a), "se": float(se)}
               for e, a, se in zip(fit.atte["egt"], fit.atte["att_egt"], np.ravel(fit.atte["se_egt"]))]
    out["panels"][name] = {
        "effect": effect,
        "rows": df[["id", "period", "g", "y"]].values.tolist(),
        "att_gt": cells,
        "simple": {"att": simple_att, "se": simple_se},
        "dynamic": dynamic,
    }
json.dump(out, open(__file__.replace(".py", ".json"), "w"), separators=(",", ":"))
print("written", {k: v["simple"] for k, v in out["panels"].items()})
