"""Serving options (gthread workers), the worker warm-up and the load script of bench/."""

from __future__ import annotations

import asyncio
import importlib.util
import sys
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from pvd.config import serving

LOAD = Path(__file__).resolve().parents[2] / "bench" / "load.py"


def _load_script():
    if "bench_load" not in sys.modules:
        spec = importlib.util.spec_from_file_location("bench_load", LOAD)
        module = importlib.util.module_from_spec(spec)
        sys.modules["bench_load"] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
    return sys.modules["bench_load"]


def test_threaded_workers_with_keep_alive_by_default_sync_on_request(monkeypatch):
    monkeypatch.delenv("PVD_THREADS", raising=False)
    options = serving.gunicorn_options("127.0.0.1", 8000, 3)
    assert (options["worker_class"], options["threads"], options["keepalive"]) == ("gthread", 4, 5)
    monkeypatch.setenv("PVD_THREADS", "1")
    assert serving.gunicorn_options("::1", 8000, 3)["worker_class"] == "sync"
    for bad in ("0", "x", "65", "-2"):
        with pytest.raises(ImproperlyConfigured, match="PVD_THREADS"):
            serving.thread_count(bad)


@pytest.mark.django_db
def test_warm_up_logs_every_page_of_the_warm_up(caplog, wsgi_requests_keep_connection):
    from pvd.config.warmup import PAGES

    beats = []
    with caplog.at_level("INFO", logger="pvd.serve"):
        serving.warm_up(lambda: beats.append(1))
    line = [r.getMessage() for r in caplog.records if r.name == "pvd.serve"][-1]
    assert "warm in" in line
    assert len(beats) == len(PAGES)
    assert line.count(" 200") == len(PAGES)  # every page answered (real referential)
    assert "/api/v1/communes/search?q=saint 200" in line and "/portrait/ 200" in line


def test_load_script_refuses_any_target_but_loopback():
    load = _load_script()
    assert load.loopback_target("http://127.0.0.1:8021") == ("127.0.0.1", 8021)
    assert load.loopback_target("http://[::1]:8021") == ("::1", 8021)
    for url in ("http://10.0.0.5:8000", "http://example.org/", "https://127.0.0.1:8021"):
        with pytest.raises(SystemExit, match="refused"):
            load.loopback_target(url)
    with pytest.raises(SystemExit, match="bounds"):
        load.main(["--url", "http://127.0.0.1:9", "--clients", "500", "--mix", "ok"])


def test_load_plan_follows_the_mix_and_the_seed():
    load = _load_script()
    targets = load.Targets(
        communes=["01001", "35236", "24311"], noms=["Nontron", "Redon", "Abergement"], slug="pvd",
        regions=["53", "75"], departements=["24", "35"],
    )
    plan = load.request_plan(targets, 5000, seed=3)
    assert plan == load.request_plan(targets, 5000, seed=3)
    shares = Counter(kind for kind, _ in plan)
    for kind, weight in load.MIX:
        assert abs(shares[kind] / 5000 - weight / 100) < 0.03, kind
    paths = {path for _, path in plan}
    assert "/communes/24311/portrait/" in paths and "/programme/pvd/regions/53/" in paths
    assert any(p.startswith("/api/v1/communes/search?q=") for p in paths)


def test_load_client_counts_statuses_over_keep_alive_connections():
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            body = b"ok" if self.path == "/" else b"missing"
            self.send_response(200 if self.path == "/" else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        load = _load_script()
        plan = [("ok", "/"), ("ok", "/"), ("missing", "/absent")]
        latencies, statuses, errors, wall, cpu, opened = asyncio.run(
            load.run_load("127.0.0.1", server.server_address[1], plan, 3, 5.0, 60)
        )
    finally:
        server.shutdown()
    assert statuses == {200: 40, 404: 20} and not errors
    assert opened == 3  # one keep-alive connection per client
    result = load.report(latencies, statuses, errors, wall, cpu, opened)
    assert result["requests"] == 60 and result["errors"] == 20


def test_worker_settles_its_heap_after_the_warm_up(monkeypatch):
    """After the warm-up a worker's objects go to the collector's permanent generation: later
    collections (during requests) never walk them again, and they stay alive."""
    import gc

    class Worker:
        def notify(self):
            pass

    warmed = []
    monkeypatch.setattr(serving, "warm_up", lambda notify: warmed.append(notify))
    made_at_start = {"memo": [1, 2, 3]}
    assert gc.is_tracked(made_at_start)
    try:
        serving._post_worker_init(Worker())
        assert len(warmed) == 1
        assert gc.get_freeze_count() > 0
        assert not any(o is made_at_start for o in gc.get_objects())  # in no generation
        made_later = {"request": [4]}
        assert any(o is made_later for o in gc.get_objects(generation=0))
        gc.collect()
        assert made_at_start == {"memo": [1, 2, 3]}
    finally:
        gc.unfreeze()  # the rest of the test session collects as before
    assert any(o is made_at_start for o in gc.get_objects())
