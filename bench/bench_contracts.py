"""Reading the shared open data with the file readers (contracts engine, issue 19): median wall
time of N runs per file after one warm-up, one process.

Usage: PYTHONPATH=src python bench/bench_contracts.py [N]"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

from pvd.sources.centralite import read_official_centrality
from pvd.sources.geo import read_geo
from pvd.sources.insee_bpe import read_bpe
from pvd.sources.insee_census import read_census
from pvd.sources.insee_filosofi import read_filosofi
from pvd.sources.ort_list import read_ort_list
from pvd.sources.pvd_list import read_programme_list
from pvd.sources.territoires import read_typology

D = Path(os.environ.get("PVD_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))

cases = {
    "bpe13_ensemble (13.8 MB)": lambda: read_bpe(D / "bpe/bpe13_ensemble.csv"),
    "filosofi 2021": lambda: read_filosofi(D / "insee/filosofi-2021-communes-med.csv"),
    "logement 2021": lambda: read_census(D / "insee/logement-2021-communes.csv", kind="logement"),
    "centralite": lambda: read_official_centrality(D / "territoires/centralite.csv"),
    "densite": lambda: read_typology(D / "territoires/densite.csv"),
    "pvd-2024 list": lambda: read_programme_list(D / "pvd/pvd-2024-hors-aura.csv"),
    "ort-2024": lambda: read_ort_list(D / "programmes/ort-2024-hors-aura.csv"),
    "communes-centroides": lambda: read_geo(D / "geo/communes-centroides.csv"),
}
n = int(sys.argv[1]) if len(sys.argv) > 1 else 5
for name, f in cases.items():
    f()
    t = []
    for _ in range(n):
        s = time.perf_counter()
        f()
        t.append(time.perf_counter() - s)
    print(f"{name}\t{statistics.median(t) * 1000:.1f} ms")
