#!/usr/bin/env python
"""Bare baseline of a commune search: one SQLite FTS5 trigram query, nothing else.

As a script (the baseline of `pvd communes search`, timed as a whole process by
bench/bench_cli.py): ``python bench/baselines/fts_search.py FTS.sqlite3 QUERY`` prints the first
10 hits (code, name, population). As a module (bench/bench_search.py): ``build(path, rows)``
writes the FTS table from (code, nom, population) rows and ``search(connection, query)`` is the
query timed against the platform's search.
"""

from __future__ import annotations

import sqlite3
import sys


def build(path: str, rows) -> None:
    """The FTS5 trigram table of the commune names (and codes), in a file of its own."""
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE IF EXISTS communes_fts")
        db.execute(
            "CREATE VIRTUAL TABLE communes_fts USING fts5("
            "code, nom, population UNINDEXED, tokenize='trigram')"
        )
        db.executemany("INSERT INTO communes_fts VALUES (?, ?, ?)", rows)


def search(db: sqlite3.Connection, query: str, limit: int = 10) -> list[tuple]:
    """Trigram match (3 characters or more), else a prefix LIKE; best rank, then population."""
    if len(query) >= 3:
        phrase = '"' + query.replace('"', '""') + '"'
        sql = (
            "SELECT code, nom, population FROM communes_fts WHERE communes_fts MATCH ? "
            "ORDER BY rank, population DESC LIMIT ?"
        )
        return db.execute(sql, (phrase, limit)).fetchall()
    sql = (
        "SELECT code, nom, population FROM communes_fts WHERE nom LIKE ? OR code LIKE ? "
        "ORDER BY population DESC LIMIT ?"
    )
    return db.execute(sql, (query + "%", query + "%", limit)).fetchall()


if __name__ == "__main__":
    connection = sqlite3.connect(sys.argv[1])
    for code, nom, population in search(connection, sys.argv[2]):
        print(f"{code}\t{nom}\t{population}")
