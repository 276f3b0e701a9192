"""Queries per page (issue 17, lane "pg"): how many SQL round trips a cold and a warm commune page
and portrait make, on the database of DATABASE_URL / PVD_DATA_DIR (SQLite or PostgreSQL).

    PVD_DATA_DIR=/tmp/pvd-load-d PYTHONPATH=src python bench/bench_queries.py [N] [--sql]

The shared cache is in memory and empty at start (PVD_CACHE=memory). Before measuring, five
communes' pages and one portrait per department fill the per-process memos, as the first
seconds of a server's life do. Then N communes (under 20,000 inhabitants, as bench/load.py draws
them; default 20) are visited: "cold" is the first request of each page (its body rendered),
"warm" the same page again (from the shared cache). Prints the mean and the spread of queries
per page and the database time (wall, from Django's query log); with --sql, each distinct
statement (parameters elided) with how many times it ran over the cold pages.
"""

from __future__ import annotations

import collections
import os
import random
import re
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.config.settings")
os.environ["PVD_CACHE"] = "memory"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from page_warmup import page_url as url  # noqa: E402
from page_warmup import warm_up  # noqa: E402

from pvd.territories.models import Commune  # noqa: E402


def _shape(sql: str) -> str:
    """The statement without its values: literals and IN lists folded."""
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    sql = re.sub(r"IN \((\?(, )?)+\)", "IN (...)", sql)
    return sql[:220]


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    count = int(args[0]) if args else 20
    rows = list(
        Commune.objects.filter(type="COM", population__lt=20000).values_list(
            "code", "departement_id"
        )
    )
    random.seed(7)
    sample = random.sample([code for code, _ in rows], 5 + count)
    client = Client()
    warm_up(client, sample, rows)
    shapes: collections.Counter[str] = collections.Counter()
    print(f"database: {connection.vendor}, {count} communes")
    for kind in ("commune", "portrait"):
        for state in ("cold", "warm"):
            counts, db_ms, cpus = [], [], []
            for code in sample[5:]:
                c = time.process_time()
                with CaptureQueriesContext(connection) as ctx:
                    response = client.get(url(kind, code))
                cpus.append(time.process_time() - c)
                assert response.status_code == 200, (kind, code, response.status_code)
                counts.append(len(ctx.captured_queries))
                db_ms.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
                if state == "cold":
                    shapes.update(_shape(q["sql"]) for q in ctx.captured_queries)
            print(
                f"{kind:8} {state}: queries {statistics.mean(counts):.2f} a page "
                f"(min {min(counts)}, max {max(counts)}), SQL wall {statistics.median(db_ms):.2f} ms "
                f"median, CPU {statistics.median(cpus) * 1000:.1f} ms median (query log on)"
            )
    if "--sql" in sys.argv:
        print("\nstatements of the cold pages (times run):")
        for sql, n in shapes.most_common():
            print(f"{n:5}  {sql}")


if __name__ == "__main__":
    main()
