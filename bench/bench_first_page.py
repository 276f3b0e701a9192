#!/usr/bin/env python
"""Benchmark the first start: `pvd serve` on an empty data directory (SQLite) migrates, loads
the embedded referential and open data (progress lines on stderr, one per step with its
duration), then serves; we time until the home page answers 200, then the first request of the
programme dashboard, a portrait and the selection results. Then `pvd data load` again (nothing
to do) and the learned-model fit that `serve` leaves out.

Target (issue 12): first page served < 90 s after the install, on the 2-core machine.
Prints its figures; record them in bench/RESULTS.md.
"""

from __future__ import annotations

import os
import platform
import resource
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent
PAGES = ["/", "/programme/pvd/", "/communes/63236/portrait/", "/selection/resultats/?scenario=pvd"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, float]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=120) as r:
            r.read()
            return r.status, time.perf_counter() - start
    except urllib.error.HTTPError as e:
        return e.code, time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="pvd-bench-first-") as tmp:
        env = {**os.environ, "PVD_DATA_DIR": tmp}
        env.pop("DATABASE_URL", None)
        port = free_port()
        log = Path(tmp) / "serve.log"
        start = time.perf_counter()
        with log.open("w") as err:
            server = subprocess.Popen(
                [str(BIN / "pvd"), "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=env,
                stdout=err,
                stderr=subprocess.STDOUT,
            )
            try:
                first = None
                while time.perf_counter() - start < 600:
                    if server.poll() is not None:
                        sys.exit(f"pvd serve exited: {log.read_text()[-2000:]}")
                    try:
                        status, _ = get(f"http://127.0.0.1:{port}/")
                        if status == 200:
                            first = time.perf_counter() - start
                            break
                    except OSError:
                        time.sleep(0.5)
                print(
                    f"machine: {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()}"
                )
                print("--- pvd serve, stderr ---")
                print(log.read_text().strip())
                print("---")
                print(f"first page (home, 200) after: {first:.1f} s")
                for page in PAGES[1:]:
                    status, seconds = get(f"http://127.0.0.1:{port}{page}")
                    print(f"first request {page}: {status} in {seconds:.2f} s")
            finally:
                server.terminate()
                server.wait(timeout=30)
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        print(
            f"CPU time of pvd serve (start to stop, the requests above included): "
            f"{usage.ru_utime:.1f} s user + {usage.ru_stime:.1f} s system "
            "(about the wall time on an idle machine)"
        )
        for args in (["data", "load"],):
            t = time.perf_counter()
            done = subprocess.run(
                [str(BIN / "pvd"), *args], env=env, capture_output=True, text=True, check=True
            )
            print(f"pvd {' '.join(args)} after serve: {time.perf_counter() - t:.1f} s")
            print(done.stderr.strip())


if __name__ == "__main__":
    main()
