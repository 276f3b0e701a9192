"""Fixtures of the serving tests: the environment of a fresh start, in a subprocess."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import pvd

SRC = str(Path(pvd.__file__).resolve().parents[1])


@pytest.fixture
def fresh_env():
    """A factory of environments without the PVD_* or DATABASE_URL of the test run, nor the
    browser tests' DJANGO_ALLOW_ASYNC_UNSAFE (a deployment must never set it)."""
    dropped = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}

    def make(data_dir: Path, **extra: str) -> dict:
        env = {
            k: v for k, v in os.environ.items() if not k.startswith("PVD_") and k not in dropped
        }
        env["PYTHONPATH"] = os.pathsep.join(p for p in (SRC, env.get("PYTHONPATH")) if p)
        env["PVD_DATA_DIR"] = str(data_dir)
        env.update(extra)
        return env

    return make
