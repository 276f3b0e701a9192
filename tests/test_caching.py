"""pvd.caching: data version, shared values, per-process memos (real backend of the session)."""

from __future__ import annotations

import subprocess
import sys

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from pvd import caching


def test_the_session_uses_the_disk_cache_in_a_folder_of_its_own():
    assert settings.CACHES["default"]["BACKEND"] == "pvd.caching.DiskCache"  # diskcache, left open
    assert "pvd-test-cache-" in settings.CACHES["default"]["LOCATION"]


def test_shared_computes_once_per_data_version(db):
    calls = []

    def compute():
        calls.append(1)
        return {"n": len(calls)}

    assert caching.shared("page", compute) == {"n": 1}
    assert caching.shared("page", compute) == {"n": 1}
    caching.bump_data_version()
    assert caching.shared("page", compute) == {"n": 2}
    assert len(calls) == 2


def test_a_cleared_cache_gets_a_new_version_and_stale_keys_are_unreachable():
    before = caching.data_version()
    caching.shared("x", lambda: "old")
    cache.delete(caching.VERSION_KEY)
    assert caching.data_version() != before
    assert caching.shared("x", lambda: "new") == "new"


def test_bump_inside_a_transaction_is_seen_at_once_and_again_after_commit(
    db, django_capture_on_commit_callbacks
):
    # (not transactional_db: it would empty the session's referential for the tests after it)
    start = caching.data_version()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            caching.bump_data_version()
            inside = caching.data_version()
            assert inside != start
    assert caching.data_version() not in (start, inside)


def test_process_memo_rebuilds_after_a_bump_only(db):
    memo = caching.ProcessMemo("test", size=2)
    built = []
    assert memo.get("a", lambda: built.append("a") or "A") == "A"
    assert memo.get("a", lambda: built.append("a") or "A2") == "A"
    caching.bump_data_version()
    assert memo.get("a", lambda: built.append("a") or "A3") == "A3"
    assert built == ["a", "a"]


def test_another_process_sees_a_bump(db):
    """Two processes (a command and a server worker) agree on the version through the disk."""
    location = settings.CACHES["default"]["LOCATION"]
    code = (
        "import diskcache;"
        f"c = diskcache.DjangoCache({location!r}, {{'SHARDS': 1}});"
        "print(c.get('pvd:data-version'))"
    )
    version = caching.data_version()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == version
    caching.bump_data_version()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == caching.data_version() != version


def test_without_a_cache_nothing_is_kept(db, settings):
    """PVD_CACHE=none: no version can tell a change, so neither shared values nor memos keep
    anything (a memo keyed on a constant version would never see an import)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert caching.data_version() == caching.UNCACHED
    memo = caching.ProcessMemo("test-none")
    values = iter(["first", "second"])
    assert memo.get("k", lambda: next(values)) == "first"
    assert memo.get("k", lambda: next(values)) == "second"
    calls = []
    caching.shared("x", lambda: calls.append(1))
    caching.shared("x", lambda: calls.append(1))
    assert len(calls) == 2


def test_one_version_reads_the_shared_cache_once_and_sees_its_own_bump(db, monkeypatch):
    reads = []
    real_get = cache.get

    def counting_get(key, *args, **kwargs):
        if key == caching.VERSION_KEY:
            reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", counting_get)
    before = caching.data_version()
    with caching.one_version():
        reads.clear()
        assert caching.data_version() == before
        assert caching.data_version() == before
        assert len(reads) == 1  # read once for the block (a request)
        cache.set(caching.VERSION_KEY, "other-process")  # another worker's import
        assert caching.data_version() == before  # the request keeps the version it started with
        caching.bump_data_version()  # the request's own change is seen at once
        mine = caching.data_version()
        assert mine not in (before, "other-process")
    assert caching.data_version() == mine  # outside a request: the shared cache's, every time
    cache.set(caching.VERSION_KEY, "later")
    assert caching.data_version() == "later"


def test_a_long_page_is_stored_in_one_file_read_back_by_plain_diskcache(db, tmp_path):
    """A page body over diskcache's file threshold: written in one call, the same UTF-8 file as
    diskcache's own writer makes, read back identical here and by a plain diskcache cache."""
    import diskcache

    page = "".join(f"<p>ligne {i} : été, « Saint-Étienne »</p>\n" for i in range(3000))
    ours = caching.DiskCache(str(tmp_path / "ours"), {"SHARDS": 1})
    plain = diskcache.DjangoCache(str(tmp_path / "plain"), {"SHARDS": 1})
    assert type(ours._cache._shards[0].disk).__name__ == "_TextInOneWrite"
    for backend in (ours, plain):
        backend.set("page", page)
    assert ours.get("page") == plain.get("page") == page
    files = {
        name: [p.read_bytes() for p in (tmp_path / name).rglob("*.val")]
        for name in ("ours", "plain")
    }
    assert files["ours"] == files["plain"] == [page.encode("utf-8")]
    reader = diskcache.DjangoCache(str(tmp_path / "ours"), {"SHARDS": 1})
    assert reader.get("page") == page
    ours.set("small", "court")
    assert ours.get("small") == "court" and reader.get("small") == "court"
