"""Cold cost of the portrait and commune pages (issue 17): every page a first visit.

Run on a loaded database (the load test's ``/tmp/pvd-load-d``)::

    PVD_DATA_DIR=/tmp/pvd-load-d PYTHONPATH=src python bench/bench_cold_pages.py [--profile]

The shared cache is an in-memory cache of this process (PVD_CACHE=memory); every commune is
visited once, so each page renders its body (a first visit, as under the load test) while what
is shared by every page (data version, national values) stays warm: before measuring, one
portrait per department fills the per-process memos (department contours and values) as the
first seconds of a server's life do. Prints ms per page (wall
and CPU) for the portrait and the commune page over 20 communes (under 20,000 inhabitants, as
bench/load.py draws them) after 5 warm-up communes.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.config.settings")
os.environ["PVD_CACHE"] = "memory"

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from page_warmup import page_url as url  # noqa: E402
from page_warmup import warm_up  # noqa: E402

from pvd.territories.models import Commune  # noqa: E402


def main() -> None:
    rows = list(
        Commune.objects.filter(type="COM", population__lt=20000).values_list(
            "code", "departement_id"
        )
    )
    random.seed(1)
    sample = random.sample([code for code, _ in rows], 60)
    client = Client()
    warm_up(client, sample, rows)
    for kind, first in (("portrait", 5), ("commune", 25)):
        walls, cpus = [], []
        for code in sample[first : first + 20]:
            t, c = time.perf_counter(), time.process_time()
            response = client.get(url(kind, code))
            walls.append(time.perf_counter() - t)
            cpus.append(time.process_time() - c)
            assert response.status_code == 200, (kind, code)
        # The median resists the spikes of a shared machine better than the mean.
        print(
            f"{kind}: cold {statistics.mean(walls) * 1000:.1f} ms/page wall (mean), CPU "
            f"{statistics.mean(cpus) * 1000:.1f} mean, {statistics.median(cpus) * 1000:.1f} "
            f"median, {min(cpus) * 1000:.1f} min"
        )
    if "--profile" in sys.argv:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        for code in sample[45:60]:
            profile.enable()
            client.get(url("portrait", code))
            profile.disable()
        if len(sys.argv) > 2:
            profile.dump_stats(sys.argv[2])
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
