"""Batch commands run polars with its allocator returning freed memory at once (issue 17: the
build's peak memory, pvd.config.allocator); the server keeps the allocator's default."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pvd.config import allocator


@pytest.fixture
def fresh_process(monkeypatch):
    """As in a new `pvd` process: polars not imported yet, no allocator setting."""
    monkeypatch.delitem(sys.modules, "polars", raising=False)
    monkeypatch.delenv(allocator.ENV, raising=False)


def test_a_batch_command_purges_freed_pages_at_once(fresh_process):
    assert allocator.configure("indicators") is True
    assert os.environ[allocator.ENV] == "dirty_decay_ms:0"


def test_the_server_keeps_the_default(fresh_process):
    assert allocator.configure("serve") is False
    assert allocator.ENV not in os.environ


def test_the_operators_setting_is_kept_or_completed(fresh_process, monkeypatch):
    monkeypatch.setenv(allocator.ENV, "dirty_decay_ms:2000")
    assert allocator.configure("data") is False
    assert os.environ[allocator.ENV] == "dirty_decay_ms:2000"
    monkeypatch.setenv(allocator.ENV, "narenas:2")
    assert allocator.configure("data") is True
    assert os.environ[allocator.ENV] == "narenas:2,dirty_decay_ms:0"


def test_too_late_once_polars_is_imported(monkeypatch):
    import polars  # noqa: F401

    monkeypatch.delenv(allocator.ENV, raising=False)
    assert allocator.configure("indicators") is False
    assert allocator.ENV not in os.environ


def test_polars_allocator_reads_it_in_a_real_command(tmp_path):
    """jemalloc prints its options at exit with ``stats_print``: the command's setting is the
    one polars' allocator took (a polars built with another allocator would fail here)."""
    code = (
        "from pvd.cli import main\n"
        "try:\n"
        "    main(['indicators', 'list'])\n"
        "except (SystemExit, Exception):\n"
        "    pass\n"
        "import polars\n"
        "polars.DataFrame({'a': [1]})\n"
    )
    environ = {**os.environ, "PVD_DATA_DIR": str(tmp_path), allocator.ENV: "stats_print:true"}
    environ.pop("DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environ, timeout=120
    )
    assert "opt.dirty_decay_ms: 0 " in out.stderr, out.stderr[-2000:]
