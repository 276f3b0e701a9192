#!/usr/bin/env python
"""Where a cold portrait's time goes (issue 17): bench_pages.py's cold phase (200 communes
under 20,000 inhabitants, seed 17, the first request of each portrait after
``bump_data_version()``, the configured shared cache), with the CPU time
(``time.process_time``) of its parts recorded on every request.

    PVD_DATA_DIR=/tmp/pvd-load-d .venv/bin/python bench/bench_cold_split.py [--profile FILE]

Parts, each timed inclusively (a part's time holds the parts nested in it): the whole request,
the body (``portrait_body``: its context and render, or its read from the shared cache), the
portrait selector, the location (department contour, EPCI centres), typologies, the body's Jinja
render, the programme facts of the header. Prints, for each part, its median, p95 and total over
the requests; what lies between parts (the page around the body, the cache write) is their
difference.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=200)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--profile", default=None, help="write a cProfile of the cold phase")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from bench_pages import pct, sample_communes, setup

    setup(None)
    from django.test import Client

    from pvd import caching
    from pvd.caching import bump_data_version
    from pvd.diagnostics import portrait_extras, selectors, views
    from pvd.programme.templatetags import programme_tags
    from pvd.rendering import jinja

    spent: dict[str, float] = defaultdict(float)

    def timed(owner, name: str, label: str) -> None:
        original = getattr(owner, name)

        def wrapper(*a, **k):
            start = time.process_time()
            try:
                return original(*a, **k)
            finally:
                spent[label] += time.process_time() - start

        setattr(owner, name, wrapper)

    parts = (
        (views, "portrait_body", "body (context + render + cache)"),
        (views, "portrait_context", "context"),
        (selectors, "portrait", "portrait selector"),
        (views, "geo_location", "geo location (contour, EPCI centres)"),
        (views, "location_map", "national location map"),
        (portrait_extras, "typologies_of", "typologies"),
        (views, "theme_tables", "theme tables"),
        (views, "comparison_chart", "charts"),
        (views, "series_chart", "charts"),
        (jinja, "render", "jinja body render"),
        (programme_tags, "_registry_facts", "programme facts"),
        (caching, "_get_or_set", "shared cache get/set (with computes)"),
    )
    for owner, name, label in parts:
        timed(owner, name, label)

    sample = sample_communes(args.communes, args.seed)
    client = Client()
    client.get(f"/bare/row/{sample[0]}/")
    bump_data_version()
    rows: list[dict[str, float]] = []
    profile = None
    if args.profile:
        import cProfile

        profile = cProfile.Profile()
    for code in sample:
        spent.clear()
        start = time.process_time()
        if profile:
            profile.enable()
        response = client.get(f"/communes/{code}/portrait/")
        if profile:
            profile.disable()
        spent["whole request"] = time.process_time() - start
        assert response.status_code == 200, code
        rows.append(dict(spent))
    if profile:
        profile.dump_stats(args.profile)
    print(f"load {os.getloadavg()}, {len(rows)} cold portraits, CPU ms")
    labels = sorted({k for r in rows for k in r}, key=lambda k: -sum(r.get(k, 0) for r in rows))
    print(f"{'part':<42}{'median':>8}{'p95':>8}{'mean':>8}")
    for label in labels:
        values = [r.get(label, 0.0) * 1000 for r in rows]
        p95 = pct(values, 95)
        print(
            f"{label:<42}{statistics.median(values):>8.2f}{p95:>8.2f}"
            f"{statistics.mean(values):>8.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
