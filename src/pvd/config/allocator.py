"""Memory policy of the batch commands: polars' allocator returns what it frees at once.

polars allocates through its own jemalloc, which keeps freed pages ("dirty") for 500 ms before
returning them to the system. A build churns through gigabytes of short-lived frames in a few
seconds, so those pages pile up: `pvd indicators build` peaked at 630-730 MiB with about
470 MiB live. Purged at once (``dirty_decay_ms:0``), its peak is the live memory's, for about
1 s more of system CPU (bench/bench_loads.py). The server keeps the default: its workers'
memory is bounded by their recycling, and their CPU per request matters more.

jemalloc reads its configuration when polars is first imported, so this must run before.
``_RJEM_MALLOC_CONF`` is the override polars documents: its ``__init__`` puts its own defaults
(``POLARS_DEFAULTS``) first in the variable, and what follows wins.
"""

from __future__ import annotations

import os
import sys

ENV = "_RJEM_MALLOC_CONF"  # jemalloc's MALLOC_CONF, under the prefix polars' build gives it
BATCH = "dirty_decay_ms:0"
SERVER_COMMANDS = frozenset({"serve"})
# What polars' __init__ writes in front of the variable: a process started by one that imported
# polars inherits it, and it is not an operator's choice.
POLARS_DEFAULTS = "dirty_decay_ms:500,muzzy_decay_ms:1000"


def configure(command: str | None) -> bool:
    """Set the batch policy for ``command`` (a `pvd` sub-command) if it is not the server,
    polars is not imported yet and the operator has not chosen a decay; True if set."""
    if command in SERVER_COMMANDS or "polars" in sys.modules:
        return False
    current = os.environ.get(ENV, "")
    chosen = [part for part in current.replace(POLARS_DEFAULTS, "").split(",") if part]
    if any(part.startswith("dirty_decay_ms:") for part in chosen):
        return False
    os.environ[ENV] = f"{current},{BATCH}" if current else BATCH
    return True
