"""ProcessMemo, the one per-process cache: memos whose values follow a token (a file's identity,
a fingerprint of rows) rather than the data version."""

from __future__ import annotations

from pvd import caching


def test_a_token_keeps_one_value_per_key_until_it_changes(db):
    memo: caching.ProcessMemo[str] = caching.ProcessMemo("essai", size=2, versioned=False)
    calls: list[str] = []

    def compute(v: str):
        return lambda: calls.append(v) or v

    assert memo.get("dep", compute("a"), token=1) == "a"
    assert memo.get("dep", compute("b"), token=1) == "a"  # same token: kept
    caching.bump_data_version()
    assert memo.get("dep", compute("c"), token=1) == "a"  # not versioned: a bump keeps it
    assert memo.get("dep", compute("d"), token=2) == "d"  # the file changed: read again
    assert memo.get("reg", compute("e"), token=1) == "e"
    assert memo.get("dep", compute("f"), token=2) == "d"  # the other key did not evict it
    assert calls == ["a", "d", "e"]
    memo.clear()
    assert memo.get("dep", compute("g"), token=2) == "g"


def test_versioned_memos_follow_the_data_version(db):
    memo: caching.ProcessMemo[int] = caching.ProcessMemo("essai-v", size=4)
    assert memo.get("k", lambda: 1) == 1
    assert memo.get("k", lambda: 2) == 1
    caching.bump_data_version()
    assert memo.get("k", lambda: 3) == 3


def test_threads_missing_the_same_key_compute_it_once(db):
    """A country-wide fill (the location's groups, the contours) is one key: threads of a worker
    that miss it together wait for the first one's value instead of each running it."""
    import threading
    import time

    memo: caching.ProcessMemo[int] = caching.ProcessMemo("essai-flight")
    caching.data_version()  # read once before the threads, as a request does
    calls: list[int] = []
    other_done = threading.Event()

    def slow() -> int:
        calls.append(1)
        time.sleep(0.2)
        return 7

    results: list[int] = []
    threads = [
        threading.Thread(target=lambda: results.append(memo.get("france", slow)))
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    # Another key is not held up by the slow one.
    assert memo.get("autre", lambda: other_done.set() or 1) == 1
    assert other_done.is_set()
    for t in threads:
        t.join()
    assert results == [7, 7, 7, 7] and len(calls) == 1


def test_a_failed_fill_lets_the_next_caller_try_again(db):
    memo: caching.ProcessMemo[int] = caching.ProcessMemo("essai-fail")

    def broken() -> int:
        raise RuntimeError("base indisponible")

    try:
        memo.get("k", broken)
    except RuntimeError:
        pass
    assert memo.get("k", lambda: 3) == 3
