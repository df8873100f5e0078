"""Reference values from PySAL (libpysal + esda) for rawan's statistics, on a 5 x 5 grid.

Run once to regenerate tests/reference/esda_grid.json (rawan's tests read the JSON; they do
not need Python):  bench-data/peer-venv/bin/python tests/reference/esda_grid.py
"""
import json, numpy as np, libpysal, esda
from esda.getisord import G_Local
from esda.moran import Moran_Local
from esda.smoothing import Empirical_Bayes

x = np.array([3, 8, 1, 9, 4, 7, 12, 2, 6, 5, 11, 14, 3, 0, 2, 9, 13, 7, 4, 1, 6, 10, 8, 5, 2], dtype=float)
out = {"values": x.tolist(), "libpysal": libpysal.__version__, "esda": esda.__version__}
for kind, W in (("rook", libpysal.weights.lat2W(5, 5, rook=True)), ("queen", libpysal.weights.lat2W(5, 5, rook=False))):
    W.transform = "B"
    g = G_Local(x, W, transform="B", star=True, permutations=0)
    W.transform = "R"
    lm = Moran_Local(x, W, transformation="r", permutations=0)
    out[kind] = {
        "neighbours": {str(k): sorted(int(j) for j in v) for k, v in W.neighbors.items()},
        "gi_star_z": g.Zs.tolist(),
        "local_moran_i": lm.Is.tolist(),
    }
# Global empirical Bayes (Marshall), events and populations of the same grid.
pop = np.array([1000 + 250 * i for i in range(25)], dtype=float)
out["eb_population"] = pop.tolist()
out["eb_global_rate"] = Empirical_Bayes(x, pop).r.ravel().tolist()
json.dump(out, open(__file__.replace(".py", ".json"), "w"), indent=1)
print("written")
