"""pvd.config.warmup: a fresh worker renders every page kind once, through the served WSGI
application, before its first visitor (issue 17)."""

from __future__ import annotations

import logging

from pvd.config.warmup import PAGES, warm_pages


def test_every_page_kind_is_rendered_without_failure(
    imported, caplog, wsgi_requests_keep_connection
):
    with caplog.at_level(logging.WARNING, logger="pvd.serve"):
        beats = []
        timings = warm_pages(lambda: beats.append(1))
    assert len(timings) == len(PAGES) == len(beats)
    assert {status for status, _ in timings.values()} == {200}
    assert any(url.endswith("/portrait/") for url in timings)
    assert not [r for r in caplog.records if r.name == "pvd.serve"], caplog.text
