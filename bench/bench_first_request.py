"""First request of a fresh `pvd serve` worker, for every page type (issue 17: < 300 ms).

Starts `pvd serve` (one worker: PVD_WORKERS=1) on a free loopback port against PVD_DATA_DIR
(data already loaded), waits until the worker has finished starting (its CPU time still for
2 s: warm-up done, whatever it does), then requests one page of each type, each the first of its
type that worker serves, on communes other than the warm-up's, then the same pages again (the
warm reference). Repeats with a fresh server --runs times and prints the medians. ``--cold``: a new data version
before each server, so that the shared cache holds none of the pages (their first visit after
an import, in a worker that has just started: the worst case).

    PVD_DATA_DIR=/tmp/pvd-load-d python bench/bench_first_request.py --runs 3
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import read_targets  # noqa: E402  (the load script's reader of the served database)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_ticks(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def wait_idle_worker(server: subprocess.Popen, timeout: float = 300) -> float:
    """Seconds until the server's worker exists and used no CPU for 2 s."""
    start = time.monotonic()
    last, still_since = None, None
    while time.monotonic() - start < timeout:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit {server.returncode})")
        workers = children(server.pid)
        if workers:
            ticks = cpu_ticks(workers[0])
            if ticks == last:
                if time.monotonic() - still_since >= 2:
                    return time.monotonic() - start
            else:
                last, still_since = ticks, time.monotonic()
        time.sleep(0.25)
    raise SystemExit("the worker did not settle")


def timed_get(url: str) -> tuple[int, float]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, (time.perf_counter() - start) * 1000


def page_paths(seed: int) -> dict[str, str]:
    targets = read_targets()
    rng = random.Random(seed)
    code = rng.choice(targets.communes[len(targets.communes) // 2:])  # not the warm-up's
    nom = rng.choice(targets.noms)[:5]
    paths = {
        "home": "/",
        "search page": f"/recherche?q={urllib.request.quote(nom)}",
        "search API": f"/api/v1/communes/search?q={urllib.request.quote(nom)}",
        "commune": f"/communes/{code}/",
        "portrait": f"/communes/{code}/portrait/",
    }
    if targets.slug:
        paths["dashboard"] = f"/programme/{targets.slug}/"
        paths["dashboard region"] = f"/programme/{targets.slug}/regions/{targets.regions[-1]}/"
        departement = rng.choice(targets.departements)
        paths["dashboard dep."] = f"/programme/{targets.slug}/departements/{departement}/"
    return paths


BUMP = (
    "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'pvd.config.settings'); "
    "import django; django.setup(); from pvd.caching import bump_data_version; "
    "bump_data_version()"
)


def one_run(
    paths: dict[str, str], port: int | None = None, cold: bool = False
) -> tuple[dict[str, tuple[int, float, float]], float]:
    port = port or free_port()
    env = {**os.environ, "PVD_WORKERS": "1"}
    if cold:  # a new data version: the shared cache holds no page the worker is asked for
        subprocess.run([sys.executable, "-c", BUMP], env=env, check=True)
    server = subprocess.Popen(
        [sys.executable, "-c", "from pvd.cli import main; main()", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        ready = wait_idle_worker(server)
        base = f"http://127.0.0.1:{port}"
        first = {kind: timed_get(base + path) for kind, path in paths.items()}
        again = {kind: timed_get(base + path) for kind, path in paths.items()}
    finally:
        server.terminate()
        server.wait(timeout=60)
    return {k: (first[k][0], first[k][1], again[k][1]) for k in paths}, ready


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--port", type=int, default=None, help="default: a free loopback port")
    parser.add_argument(
        "--cold", action="store_true", help="a new data version before each server (worst case)"
    )
    args = parser.parse_args()
    if not 1 <= args.runs <= 20:
        raise SystemExit("--runs: 1 to 20")
    results, starts = [], []
    for run in range(args.runs):
        paths = page_paths(args.seed + run)
        result, ready = one_run(paths, args.port, args.cold)
        results.append(result)
        starts.append(ready)
        print(f"run {run + 1}: worker settled {ready:.1f} s after start; " + ", ".join(
            f"{k} {s} {first:.0f}/{again:.0f} ms" for k, (s, first, again) in result.items()
        ), file=sys.stderr)
    print(f"median of {args.runs} fresh servers (start to settled worker: "
          f"{statistics.median(starts):.1f} s)")
    print(f"{'page':<18} {'first (ms)':>10} {'second (ms)':>11} {'worst first':>11}")
    for kind in results[0]:
        firsts = [r[kind][1] for r in results]
        seconds = [r[kind][2] for r in results]
        bad = {r[kind][0] for r in results} - {200}
        print(f"{kind:<18} {statistics.median(firsts):>10.0f} {statistics.median(seconds):>11.0f} "
              f"{max(firsts):>11.0f}" + (f"  statuses {bad}" if bad else ""))


if __name__ == "__main__":
    main()
