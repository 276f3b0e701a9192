"""ETag of the pages that only change with the data (pvd.caching.http): 304 for a visitor
asking again, a new ETag once the data changed, never one for a reader with a session."""

from __future__ import annotations

import pytest

from pvd.caching import bump_data_version

PAGES = ["/", "/communes/19275/", "/communes/19275/portrait/", "/programme/pvd/"]


@pytest.mark.parametrize("url", PAGES)
def test_visitor_revalidates_until_the_data_changes(imported, client, url):
    first = client.get(url)
    etag = first["ETag"]
    assert first.status_code == 200 and etag
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert client.get(url + "?tri=nom", HTTP_IF_NONE_MATCH=etag).status_code == 200
    bump_data_version()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


@pytest.mark.parametrize("url", PAGES)
def test_no_etag_for_a_reader_with_a_session(imported, client, make_user, url):
    etag = client.get(url)["ETag"]
    client.force_login(make_user("lecteur"))
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and not response.has_header("ETag")
    assert "lecteur" in response.content.decode() or url != "/programme/pvd/"


def test_no_etag_without_a_shared_cache(imported, client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert not client.get("/communes/19275/").has_header("ETag")
