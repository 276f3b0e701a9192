"""The commune search's plain queries skip ninja's parameter validation (pvd.api.fast_search,
issue 17): the URL's view answers exactly as ninja's own view of the operation, for plain queries
(the fast path) and for every other form (given to ninja: the same 422 answers)."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.test import RequestFactory
from django.urls import resolve

from pvd.api import fast_search
from pvd.api.territories import router

PATH = "/api/v1/communes/search"
QUERIES = [
    "q=Lyon", "q=Lyon&limit=1", "q=saint&limit=50", "q=63240&limit=7", "q=st+chely", "q=%20",
    "q=" + "x" * 100, "q=" + "x" * 101, "q=", "", "limit=5", "q=x&limit=0", "q=x&limit=51",
    "q=x&limit=010", "q=x&limit=%205", "q=x&limit=%2B5", "q=x&limit=5.0", "q=x&limit=",
    "q=x&limit=abc", "q=x&limit=5&limit=60", "q=x&limit=60&limit=5", "q=a&q=", "q=&q=Lyon",
    "q=Lyon&autre=1", "q=x&limit=-1", "q=x&limit=99999",
]  # fmt: skip


def _operation():
    """The operation ninja serves (the router's, bound to the API)."""
    from pvd.api.api import api

    bound = [b for b in api._get_bound_routers() if b.template is router]
    return bound[0].path_operations["/communes/search"].operations[0]


def _answer(response) -> tuple:
    return response.status_code, sorted(response.items()), response.content


def test_the_url_is_answered_by_the_fast_view():
    assert resolve(PATH).func.__module__ == "pvd.api.fast_search"
    assert resolve(PATH).url_name == "communes_search"


@pytest.mark.parametrize("query", QUERIES)
def test_the_fast_view_answers_as_ninja(db, query):
    view = resolve(PATH).func
    factory = RequestFactory()
    fast = view(factory.get(f"{PATH}?{query}"))
    slow = view.ninja_view(factory.get(f"{PATH}?{query}"))
    assert _answer(fast) == _answer(slow)


def test_only_plain_valid_queries_take_the_fast_path():
    read = fast_search.plain_reader(_operation())
    assert read(QueryDict("q=Lyon")) == {"q": "Lyon", "limit": 10}
    assert read(QueryDict("q=Lyon&limit=50&autre=1")) == {"q": "Lyon", "limit": 50}
    assert read(QueryDict("q=a&q=" + "x" * 100)) == {"q": "x" * 100, "limit": 10}
    for other in ("", "q=", "q=" + "x" * 101, "q=x&limit=0", "q=x&limit=51", "q=x&limit=010",
                  "q=x&limit=%205", "q=x&limit=", "q=x&limit=5&limit=60"):  # fmt: skip
        assert read(QueryDict(other)) is None, other


def test_no_fast_path_for_an_operation_it_does_not_know():
    class Other:
        auth_callbacks = [object()]
        throttle_objects = []

    assert fast_search.plain_reader(Other()) is None  # a login to check: ninja's view only
    unbound = router.path_operations["/communes/search"].operations[0]
    assert fast_search.plain_reader(unbound) is None  # not the operation ninja serves


def test_an_exception_answers_as_in_ninja(db, monkeypatch):
    from pvd.territories import selectors

    def broken(**kwargs):
        raise RuntimeError("panne")

    monkeypatch.setattr(selectors, "communes_search", broken)
    view = resolve(PATH).func
    factory = RequestFactory()
    fast = view(factory.get(f"{PATH}?q=Lyon"))
    slow = view.ninja_view(factory.get(f"{PATH}?q=Lyon"))
    assert fast.status_code == 500 and _answer(fast) == _answer(slow)
