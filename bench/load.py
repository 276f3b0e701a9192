"""Load test of a running PVD server (issue 17): N concurrent clients for D seconds on a mix of
pages, then requests/s, latency percentiles, errors by status and the client's own CPU use.

Loopback only (127.0.0.1, ::1, localhost): this script never loads anyone else's server. Bounded:
--duration (at most 600 s), --clients (at most 200), --max-requests (at most 1,000,000).

The mix (issue 17): home 20 %, search 30 % (the search page and the search API, varied queries),
commune page 20 %, portrait 20 %, programme dashboard 10 % (national, regional, departmental),
on random communes of fewer than 20,000 inhabitants, drawn with --seed. The communes, programme
and scopes are read from the database the server serves (same PVD_DATA_DIR / DATABASE_URL).

    PVD_DATA_DIR=/tmp/pvd-load-d pvd serve --port 8021 &
    PVD_DATA_DIR=/tmp/pvd-load-d python bench/load.py --url http://127.0.0.1:8021

`--mix ok` requests "/" only (the bare baseline server of bench/baselines/ok_server.py).

The client is a small HTTP/1.1 keep-alive client on asyncio streams (one connection per client,
reopened when the server closes it), so that it costs the shared 2 cores as little as possible.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
MAX_DURATION, MAX_CLIENTS, MAX_REQUESTS = 600, 200, 1_000_000
MIX = (("home", 20), ("search", 30), ("commune", 20), ("portrait", 20), ("dashboard", 10))


def loopback_target(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK:
        raise SystemExit(f"refused: {url} is not an http:// loopback address (127.0.0.1, ::1)")
    return ("127.0.0.1" if parts.hostname == "localhost" else parts.hostname), parts.port or 80


@dataclass
class Targets:
    communes: list[str]
    noms: list[str]
    slug: str | None
    regions: list[str] = field(default_factory=list)
    departements: list[str] = field(default_factory=list)


def read_targets() -> Targets:
    """Communes < 20,000 inhabitants, the programme and its scopes, from the server's database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pvd.config.settings")
    import django

    django.setup()
    from pvd.programme.models import Programme
    from pvd.territories.models import Commune

    rows = list(
        Commune.objects.filter(type="COM", population__lt=20000)
        .order_by("code")
        .values_list("code", "nom", "departement_id", "region_id")
    )
    if not rows:
        raise SystemExit("no commune under 20,000 inhabitants: load the data first")
    programme = (
        Programme.objects.filter(slug="pvd").first() or Programme.objects.order_by("slug").first()
    )
    return Targets(
        communes=[r[0] for r in rows],
        noms=[r[1] for r in rows],
        slug=programme.slug if programme else None,
        regions=sorted({r[3] for r in rows}),
        departements=sorted({r[2] for r in rows}),
    )


def request_plan(targets: Targets, count: int, seed: int) -> list[tuple[str, str]]:
    """``count`` (kind, path) pairs drawn with ``seed``, in the mix's proportions."""
    rng = random.Random(seed)
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    plan = []
    for kind in rng.choices(kinds, weights, k=count):
        code = rng.choice(targets.communes)
        if kind == "home":
            path = "/"
        elif kind == "search":
            nom = rng.choice(targets.noms)
            query = quote(nom[: rng.randint(3, max(3, min(len(nom), 10)))])
            if rng.random() < 0.5:
                path = f"/recherche?q={query}"
            else:
                path = f"/api/v1/communes/search?q={query}"
        elif kind == "commune":
            path = f"/communes/{code}/"
        elif kind == "portrait":
            path = f"/communes/{code}/portrait/"
        elif targets.slug is None:
            path = "/"
        else:
            scope = rng.random()
            if scope < 0.2:
                path = f"/programme/{targets.slug}/"
            elif scope < 0.5:
                path = f"/programme/{targets.slug}/regions/{rng.choice(targets.regions)}/"
            else:
                path = f"/programme/{targets.slug}/departements/{rng.choice(targets.departements)}/"
        plan.append((kind, path))
    return plan


class Connection:
    """One keep-alive HTTP/1.1 connection; reopened when the server closes it."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.opened = 0

    async def get(self, path: str) -> tuple[int, int]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            self.opened += 1
        host = f"[{self.host}]" if ":" in self.host else self.host
        self.writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {host}:{self.port}\r\nAccept-Encoding: identity\r\n"
            "Connection: keep-alive\r\n\r\n".encode("latin-1")
        )
        reader = self.reader
        status_line = await reader.readline()
        if not status_line:
            raise ConnectionResetError("closed before the status line")
        status = int(status_line.split()[1])
        length, chunked, close = None, False, False
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value:
                chunked = True
            elif name == "connection" and value == "close":
                close = True
        size = 0
        if chunked:
            while True:
                chunk = int((await reader.readline()).split(b";")[0], 16)
                await reader.readexactly(chunk + 2)
                size += chunk
                if chunk == 0:
                    break
        elif length is not None:
            size = len(await reader.readexactly(length))
        else:
            size = len(await reader.read())
            close = True
        if close:
            self.close()
        return status, size

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def run_load(host, port, plan, clients, duration, max_requests):
    latencies: dict[str, list[float]] = {}
    statuses: Counter = Counter()
    errors: Counter = Counter()
    next_index = 0
    deadline = time.perf_counter() + duration
    connections = [Connection(host, port) for _ in range(clients)]

    async def client(conn: Connection) -> None:
        nonlocal next_index
        while time.perf_counter() < deadline and next_index < max_requests:
            kind, path = plan[next_index % len(plan)]
            next_index += 1
            start = time.perf_counter()
            try:
                status, _ = await conn.get(path)
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
                conn.close()
                errors[type(exc).__name__] += 1
                await asyncio.sleep(0.1)  # a refused connection does not spin the client
                continue
            latencies.setdefault(kind, []).append(time.perf_counter() - start)
            statuses[status] += 1

    cpu0, wall0 = time.process_time(), time.perf_counter()
    await asyncio.gather(*(client(c) for c in connections))
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    for conn in connections:
        conn.close()
    return latencies, statuses, errors, wall, cpu, sum(c.opened for c in connections)


def server_cpu_seconds(pid: int | None) -> float | None:
    """CPU time (user + system) of a server: its master, its live workers and the workers it
    reaped (recycled), from /proc (Linux)."""
    if pid is None:
        return None
    tick = os.sysconf("SC_CLK_TCK")

    def stat(p: int) -> list[str]:
        with open(f"/proc/{p}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()

    master = stat(pid)
    total = sum(int(v) for v in master[11:15])  # utime, stime, cutime, cstime
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != pid:
            try:
                fields = stat(int(entry))
            except OSError:
                continue
            if int(fields[1]) == pid:  # ppid
                total += int(fields[11]) + int(fields[12])
    return total / tick


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=1000, method="inclusive")[int(p * 10) - 1] if len(
        values
    ) > 1 else values[0]


def report(latencies, statuses, errors, wall, cpu, opened) -> dict:
    every = [v for values in latencies.values() for v in values]
    total = len(every)
    bad = {s: n for s, n in statuses.items() if s >= 400}
    result = {
        "requests": total,
        "wall_s": wall,
        "req_per_s": total / wall if wall else 0.0,
        "p50_ms": percentile(every, 50) * 1000 if every else None,
        "p95_ms": percentile(every, 95) * 1000 if every else None,
        "p99_ms": percentile(every, 99) * 1000 if every else None,
        "errors": sum(bad.values()) + sum(errors.values()),
        "client_cpu_s": cpu,
        "client_cpu_share": cpu / wall if wall else 0.0,
        "connections": opened,
    }
    print(
        f"{total} requests in {wall:.1f} s: {result['req_per_s']:.1f} req/s; "
        f"p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, "
        f"p99 {result['p99_ms']:.1f} ms"
    )
    print(f"statuses: {dict(sorted(statuses.items()))}; errors by status: {bad or 'none'}; "
          f"connection errors: {dict(errors) or 'none'}")
    print(f"client CPU: {cpu:.1f} s ({100 * cpu / wall:.0f} % of one core); "
          f"{opened} connections opened")
    for kind, values in sorted(latencies.items()):
        print(f"  {kind:<10} n={len(values):>6}  p50 {percentile(values, 50) * 1000:7.1f} ms  "
              f"p95 {percentile(values, 95) * 1000:7.1f} ms")
    return result


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8021")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--mix", choices=("pages", "ok"), default="pages")
    parser.add_argument("--server-pid", type=int, help="gunicorn master: report its CPU use")
    args = parser.parse_args(argv)
    host, port = loopback_target(args.url)
    if not (0 < args.duration <= MAX_DURATION and 0 < args.clients <= MAX_CLIENTS
            and 0 < args.max_requests <= MAX_REQUESTS):
        raise SystemExit(f"bounds: duration <= {MAX_DURATION} s, clients <= {MAX_CLIENTS}, "
                         f"max-requests <= {MAX_REQUESTS}")
    if args.mix == "ok":
        plan = [("ok", "/")]
    else:
        plan = request_plan(read_targets(), min(args.max_requests, 50_000), args.seed)
    print(f"{args.clients} clients, {args.duration:.0f} s, mix {args.mix}, {args.url}",
          file=sys.stderr)
    server_cpu0 = server_cpu_seconds(args.server_pid)
    result = report(*asyncio.run(run_load(
        host, port, plan, args.clients, args.duration, args.max_requests
    )))
    if server_cpu0 is not None:
        used = server_cpu_seconds(args.server_pid) - server_cpu0
        result["server_cpu_s"] = used
        result["server_cpu_ms_per_request"] = 1000 * used / max(result["requests"], 1)
        print(f"server CPU: {used:.1f} s ({100 * used / result['wall_s']:.0f} % of one core), "
              f"{result['server_cpu_ms_per_request']:.1f} ms per request")
    result["max_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


if __name__ == "__main__":
    main()
