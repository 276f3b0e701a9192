"""Workers' memory over a long load (issue 17): does a served worker's resident memory keep
growing once its heap is frozen after the warm-up (gc.freeze in pvd.serve)?

Runs bench/load.py against a running `pvd serve` for --duration seconds and samples, every
--interval seconds, the resident set size (VmRSS) of each gunicorn worker (the master's children),
then prints the samples and each worker's growth between the end of the first sample window and
the end of the run. A frozen heap whose objects later become unreachable cycles is never
collected; steady growth here would show it (the workers' recycling after 50,000 ± 5,000
requests bounds it).

    PVD_DATA_DIR=/tmp/lt-d pvd serve --port 8031 &
    PVD_DATA_DIR=/tmp/lt-d python bench/bench_worker_memory.py --url http://127.0.0.1:8031 \\
        --server-pid <master pid> --duration 300 --clients 8
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.extend(int(p) for p in text)
    return sorted(found)


def rss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:  # recycled worker
        return None
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--server-pid", type=int, required=True, help="gunicorn master")
    parser.add_argument("--duration", type=int, default=300)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--interval", type=float, default=15.0)
    args = parser.parse_args()
    load = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("load.py")), "--url", args.url,
         "--duration", str(args.duration), "--clients", str(args.clients)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    samples: list[tuple[float, dict[int, float | None]]] = []
    start = time.monotonic()
    while load.poll() is None:
        samples.append((time.monotonic() - start, {w: rss_mib(w) for w in children(args.server_pid)}))
        time.sleep(args.interval)
    samples.append((time.monotonic() - start, {w: rss_mib(w) for w in children(args.server_pid)}))
    print(load.stdout.read() if load.stdout else "")
    workers = sorted({w for _, by in samples for w in by})
    print("t (s)  " + "  ".join(f"worker {w} RSS (MiB)" for w in workers))
    for t, by in samples:
        cells = "  ".join(f"{by[w]:>20.1f}" if by.get(w) else f"{'—':>20}" for w in workers)
        print(f"{t:5.0f}  {cells}")
    for w in workers:
        seen = [by[w] for _, by in samples if by.get(w)]
        if len(seen) >= 3:
            print(f"worker {w}: {seen[1]:.1f} MiB after {args.interval:.0f} s -> {seen[-1]:.1f} MiB "
                  f"at the end ({seen[-1] - seen[1]:+.1f} MiB)")  # fmt: skip
    return load.returncode or 0


if __name__ == "__main__":
    raise SystemExit(main())
