"""What the page benchmarks share (bench_cold_pages.py, bench_queries.py): the pages' URLs and the
warm-up of a fresh process, as the first seconds of a server's life fill its per-process memos.
Imported once Django is set up."""

from __future__ import annotations


def page_url(kind: str, code: str) -> str:
    return f"/communes/{code}/portrait/" if kind == "portrait" else f"/communes/{code}/"


def warm_up(client, sample: list[str], rows: list[tuple[str, str]]) -> None:
    """Five communes' pages of ``sample``, then one portrait per department from ``rows``
    ((code, department) pairs) outside the sample: the department contours and values, the
    referential's tables, kept per process, are then warm while every sampled page stays cold."""
    for code in sample[:5]:
        client.get(page_url("portrait", code))
        client.get(page_url("commune", code))
    chosen = set(sample)
    first_of_each: dict[str, str] = {}
    for code, departement in rows:
        if code not in chosen:
            first_of_each.setdefault(departement, code)
    for code in first_of_each.values():
        client.get(page_url("portrait", code))
