"""CPU per request of the load test's mix, in-process (issue 17): bench/load.py's plan (same seed,
same proportions: home, search page and API, commune page, portrait, dashboards) through
Django's test client, one process, shared cache in memory and empty at start, as a fresh server
under the load test: almost every commune page and portrait is a first visit.

    PVD_DATA_DIR=/tmp/pvd-load-d PYTHONPATH=src python bench/bench_mix.py [N] [--profile FILE]

Prints CPU ms per request by kind (median, mean, SQL statements a request) and on the whole
mix, after a warm-up of the first 200 requests of another seed (per-process memos filled as a
running server's are). The
request log is silenced (a server logs to a file, not to this terminal). With --profile, a
cProfile of the measured requests is written to FILE and its top functions printed. Prints the
cyclic garbage collector's passes (count, CPU) during the measured requests; with --freeze, the
heap is settled first as a served worker does after its warm-up (pvd.config.serving.settle_heap);
--young N sets the collector's young-generation threshold (Python's: 700), to compare. With
--disk, the shared cache is the server's (diskcache in PVD_DATA_DIR/cache-pvd, emptied first:
never run it against the data folder of a running server).

    PYTHONPATH=src python bench/bench_mix.py 600 --freeze

On PostgreSQL (DATABASE_URL), also prints the CPU of the server backend that served the
measured requests (read from /proc: the database must run on this machine).
"""

from __future__ import annotations

import gc
import logging
import os
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.config.settings")
os.environ["PVD_CACHE"] = "disk" if "--disk" in sys.argv else "memory"
sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402  (bench/load.py: its targets and plan; sets Django up)


def main() -> None:
    args = [a for a in sys.argv[1:2] if not a.startswith("--")]
    count = int(args[0]) if args else 600
    targets = load.read_targets()
    if "--disk" in sys.argv:
        from django.conf import settings
        from django.core.cache import cache

        cache.clear()  # the server's shared cache, emptied as before an honest load test
        print(f"shared cache on disk: {settings.CACHES['default']['LOCATION']}, emptied")
    logging.getLogger("pvd.requests").disabled = True
    from django.test import Client

    client = Client()
    for _, path in load.request_plan(targets, 200, seed=99):
        client.get(path)
    plan = load.request_plan(targets, count, seed=1)
    if "--freeze" in sys.argv:
        from pvd.config.serving import settle_heap

        settle_heap()  # what a served worker does after its warm-up
    if "--young" in sys.argv:  # another young-generation threshold, to compare
        gc.set_threshold(int(sys.argv[sys.argv.index("--young") + 1]), *gc.get_threshold()[1:])
    pauses = _gc_pauses()
    profile = None
    if "--profile" in sys.argv:
        import cProfile

        profile = cProfile.Profile()
    cpus: dict[str, list[float]] = {}
    queries: dict[str, int] = {}
    backend = _Backend()
    start = time.process_time()
    for kind, path in plan:
        key = "search API" if path.startswith("/api/") else kind
        c = time.process_time()
        if profile:
            profile.enable()
        with _counting(queries, key):
            response = client.get(path)
        if profile:
            profile.disable()
        cpus.setdefault(key, []).append(time.process_time() - c)
        assert response.status_code == 200, (path, response.status_code)
    total = time.process_time() - start
    for key, values in sorted(cpus.items()):
        print(
            f"{key:11} n={len(values):4}  CPU median {statistics.median(values) * 1000:6.1f} ms"
            f"  mean {statistics.mean(values) * 1000:6.1f} ms"
            f"  queries {queries.get(key, 0) / len(values):5.2f} a request"
        )
    print(f"mix: {total / count * 1000:.1f} ms CPU per request over {count} requests")
    backend.report(count)
    gc.callbacks.remove(pauses.callback)
    for generation in range(3):
        times = pauses.times[generation]
        print(
            f"gc gen {generation}: {len(times):5} collections, {sum(times) * 1000:7.1f} ms CPU"
            f" (max {max(times, default=0) * 1000:.1f} ms)"
        )
    print(f"gc: {len(gc.get_objects())} tracked objects, {gc.get_freeze_count()} frozen")
    if profile:
        import pstats

        target = sys.argv[sys.argv.index("--profile") + 1]
        profile.dump_stats(target)
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(50)
        stats.sort_stats("tottime").print_stats(25)


@contextmanager
def _counting(queries: dict[str, int], key: str) -> Iterator[None]:
    """Count the SQL statements the block runs (Django's execute wrappers)."""
    from django.db import connection

    def count(execute, sql, params, many, context):
        queries[key] = queries.get(key, 0) + 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield


class _Backend:
    """On PostgreSQL, the CPU of this process's server backend (/proc/<pid>/stat, same machine):
    what the database itself spends on the measured requests."""

    def __init__(self) -> None:
        from django.db import connection

        self.pid = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            self.start = self._ticks()

    def _ticks(self) -> int:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime

    def report(self, count: int) -> None:
        if self.pid is None:
            return
        ms = (self._ticks() - self.start) * 1000 / os.sysconf("SC_CLK_TCK")
        print(f"PostgreSQL backend: {ms / count:.2f} ms CPU per request ({ms:.0f} ms in all)")


class _Pauses:
    """CPU time of the cyclic garbage collector's passes, by generation (gc.callbacks)."""

    def __init__(self) -> None:
        self.times: list[list[float]] = [[], [], []]
        self._start = 0.0

    def callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._start = time.process_time()
        else:
            self.times[info["generation"]].append(time.process_time() - self._start)


def _gc_pauses() -> _Pauses:
    pauses = _Pauses()
    gc.callbacks.append(pauses.callback)
    return pauses


if __name__ == "__main__":
    main()
