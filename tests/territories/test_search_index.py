"""The persisted search index: the same hits as the index it replaced, on the real referential;
loaded from the shared cache instead of rebuilt; no query per search once loaded; rebuilt after
a change of the data."""

from __future__ import annotations

import importlib.util
import pickle
import random
from pathlib import Path

import pytest

from pvd import caching
from pvd.domain.search import SearchIndex
from pvd.territories import selectors
from pvd.territories.models import Commune

_spec = importlib.util.spec_from_file_location(
    "search_reference", Path(__file__).with_name("search_reference.py")
)
search_reference = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(search_reference)

QUERIES = [
    # accents, case, apostrophes, hyphens
    "Châlons-en-Champagne", "chalons en champagne", "CHALONS", "L'Haÿ-les-Roses", "lhay",
    "l’île-d’yeu", "ile d yeu", "Œuilly", "oeuilly", "saint-étienne", "Saint Etienne",
    # Saint/St, Sainte/Ste, leading articles
    "st etienne", "ST-CHELY-D'APCHER", "ste marie", "sts", "le mans", "Les Rosiers", "la",
    "le mont dore", "mont dore", "les", "l",
    # prefixes, word prefixes, substrings
    "par", "paris", "pari", "bourg en", "val d", "montp", "ontpensier", "sur loire", "x", "é",
    # municipal arrondissements, communes déléguées/associées
    "marseille 1er", "Lyon 3e Arrondissement", "arrondissement", "paris 15", "cordieux",
    # INSEE codes, postal codes, prefixes of both
    "2A004", "2a004", "2A", "2b0", "75056", "75115", "13201", "69383", "97411", "976", "98",
    "75001", "20000", "63240", "01", "0", "7", "751",
    # nothing to find, nothing to search
    "zzzzqq", "", "   ", "-", "'",
]


def _hits(index, query: str, limit: int) -> list[tuple]:
    return [(h.entry, h.rank, h.match) for h in index.search(query, limit)]


@pytest.fixture(scope="module", autouse=True)
def entries(django_db_blocker):
    """The real referential's entries (loaded again when a transactional test of the session
    emptied the database)."""
    from django.conf import settings

    from pvd.sources.snapshot import read_snapshot
    from pvd.territories.services import referential_load_snapshot

    with django_db_blocker.unblock():
        if not Commune.objects.exists():
            referential_load_snapshot(snapshot=read_snapshot(settings.SNAPSHOT_DIR))
        index = selectors._build_index()
    return [index.entry(i) for i in range(len(index))]


def test_same_hits_as_the_index_it_replaced(entries):
    reference = search_reference.ReferenceIndex(entries)
    built = SearchIndex(entries)
    loaded = SearchIndex.from_state(pickle.loads(pickle.dumps(built.state())))
    rng = random.Random(17)
    sample = [e.nom[: rng.randint(1, 14)] for e in rng.sample(entries, 150)]
    sample += [e.code[: rng.randint(1, 5)] for e in rng.sample(entries, 60)]
    assert len(entries) > 35_000
    for query in QUERIES + sample:
        for limit in (1, 10, 50, 200):
            expected = _hits(reference, query, limit)
            assert _hits(built, query, limit) == expected, (query, limit)
            assert _hits(loaded, query, limit) == expected, (query, limit)


def test_table_of_queries_on_real_data(entries):
    index = SearchIndex(entries)
    first = {q: index.search(q, 3)[0].entry for q in ("st etienne", "2A004", "75115", "20000")}
    assert first["st etienne"].nom == "Saint-Étienne"
    assert first["2A004"].nom == "Ajaccio"
    assert first["75115"].type == "ARM"
    assert index.search("20000", 3)[0].match == "code postal"
    assert [h.entry.code for h in index.search("paris", 2)][0] == "75056"


def test_empty_index_round_trips():
    index = SearchIndex.from_state(SearchIndex([]).state())
    assert len(index) == 0 and index.search("paris") == [] and index.search("75") == []


def _forget_index():
    selectors._index_memo.clear()
    selectors._names_memo.clear()
    selectors._last_memo.clear()


def test_a_process_loads_the_index_another_one_stored(db, monkeypatch):
    _forget_index()
    first = [h.entry for h in selectors.communes_search(query="st chely", limit=5)]
    _forget_index()  # another process: nothing in memory, the shared cache holds the index

    def no_build():
        raise AssertionError("the index was rebuilt instead of loaded")

    monkeypatch.setattr(selectors, "_build_index", no_build)
    assert [h.entry for h in selectors.communes_search(query="st chely", limit=5)] == first


def test_a_warm_search_reads_no_table(db, django_assert_num_queries):
    selectors.communes_search(query="rennes")
    selectors.departement_names()
    with django_assert_num_queries(0):
        hits = selectors.communes_search(query="rennes")
        names = selectors.departement_names()
    assert hits[0].entry.code == "35238" and names["35"] == "Ille-et-Vilaine"


def test_a_changed_referential_is_searched_at_once(db):
    from pvd.territories.services import dataset_record

    assert not selectors.communes_search(query="zzyzxville")
    Commune.objects.filter(code="35238", type="COM").update(nom="Zzyzxville")
    dataset_record(  # what every import does: record its dataset, which bumps the version
        key="test-renamed", title="t", publisher="p", licence="l", url="", vintage="2026",
        version="1", checksum="", details={},
    )
    assert [h.entry.code for h in selectors.communes_search(query="zzyzxville")] == ["35238"]


def test_a_cleared_cache_reuses_the_index_of_unchanged_rows(db, monkeypatch):
    selectors.communes_search(query="brest")
    caching.bump_data_version()  # a new version, the same rows (a cache clear, say)
    monkeypatch.setattr(selectors, "_build_index", lambda: pytest.fail("rebuilt"))
    assert selectors.communes_search(query="brest")[0].entry.code == "29019"


def test_without_a_shared_cache_a_change_is_still_seen(db, settings):
    """PVD_CACHE=none keeps no data version: the referential's fingerprint is read instead."""
    from pvd.territories.services import dataset_record

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert caching.data_version() == caching.UNCACHED
    assert selectors.communes_search(query="brest")[0].entry.code == "29019"
    Commune.objects.filter(code="29019", type="COM").update(nom="Qwxbrest")
    dataset_record(
        key="test-renamed-2", title="t", publisher="p", licence="l", url="", vintage="2026",
        version="1", checksum="", details={},
    )
    assert [h.entry.code for h in selectors.communes_search(query="qwxbrest")] == ["29019"]
