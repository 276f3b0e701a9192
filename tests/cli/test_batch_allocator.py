"""Batch commands run polars with its allocator returning freed memory at once (issue 17: the
build's peak memory, pvd.config.allocator); the server keeps the allocator's default."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pvd.config import allocator


@pytest.fixture
def no_setting(monkeypatch):
    """No allocator setting, restored after the test: set first so that monkeypatch records
    the variable's absence (a bare ``delenv`` of an absent variable records nothing, and what
    ``configure`` writes would reach every later test's subprocesses)."""
    monkeypatch.setenv(allocator.ENV, "")
    monkeypatch.delenv(allocator.ENV)


@pytest.fixture
def fresh_process(monkeypatch, no_setting):
    """As in a new `pvd` process: polars not imported yet, no allocator setting."""
    monkeypatch.delitem(sys.modules, "polars", raising=False)


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


def test_polars_own_defaults_inherited_are_not_a_choice(fresh_process, monkeypatch):
    """A `pvd` started by a process that imported polars inherits what polars wrote."""
    inherited = f"{allocator.POLARS_DEFAULTS},{allocator.POLARS_DEFAULTS}"
    monkeypatch.setenv(allocator.ENV, inherited)
    assert allocator.configure("indicators") is True
    assert os.environ[allocator.ENV] == f"{inherited},dirty_decay_ms:0"


def test_too_late_once_polars_is_imported(no_setting):
    import polars  # noqa: F401

    assert allocator.configure("indicators") is False
    # polars itself writes its defaults there when first imported: only ours must be absent.
    assert allocator.BATCH not in os.environ.get(allocator.ENV, "")


def test_no_command_module_imports_polars_on_import():
    """The policy is set by the root group after click imported the sub-command's module: a
    module of ``COMMANDS`` importing polars at its top would turn it off for every command."""
    from pvd.cli import COMMANDS

    modules = sorted({target.split(":")[0] for target in COMMANDS.values()})
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "    assert 'polars' not in sys.modules, name\n"
    )
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "pvd.config.settings"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environ, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]


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


def test_polars_writes_the_defaults_the_policy_expects():
    environ = {k: v for k, v in os.environ.items() if k != allocator.ENV}
    out = subprocess.run(
        [sys.executable, "-c", f"import os, polars; print(os.environ[{allocator.ENV!r}])"],
        capture_output=True,
        text=True,
        env=environ,
        timeout=120,
    )
    assert out.stdout.strip() == allocator.POLARS_DEFAULTS, out.stderr[-2000:]
