"""The platform's middleware that replace Django's and django-csp's (issue 17: the cost of a
request): messages created on first use, the policy built once per process. Same answers."""

from __future__ import annotations

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.contrib import messages
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory

from pvd.web.middleware import CSPMiddleware, MessageMiddleware


def _policy(nonce=None, report_only=False) -> set[str]:
    """The directives of django-csp's own policy, as a set (its order follows a set's)."""
    return {d.strip() for d in build_policy(nonce=nonce, report_only=report_only).split(";")}


def _directives(header: str) -> set[str]:
    return {d.strip() for d in header.split(";")}


@pytest.mark.parametrize("url", ["/api/v1/communes/search?q=saint", "/", "/programme/pvd/"])
def test_the_policy_is_django_csps_with_the_nonce_of_the_page(client, db, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    header = response[HEADER]
    nonce = response.wsgi_request._csp_nonce if "nonce-" in header else None
    assert _directives(header) == _policy(nonce)
    assert "pvd-csp-nonce-placeholder" not in header
    assert HEADER_REPORT_ONLY not in response


def test_a_page_using_the_nonce_gets_its_own_in_the_policy(db):
    def view(request):
        return HttpResponse(f"<style nonce={request.csp_nonce}></style>")

    middleware = CSPMiddleware(view)
    headers = []
    for _ in range(2):
        request = RequestFactory().get("/")
        middleware.process_request(request)
        response = middleware.process_response(request, view(request))
        assert _directives(response[HEADER]) == _policy(request._csp_nonce)
        assert f"'nonce-{request._csp_nonce}'" in response[HEADER]
        headers.append(response[HEADER])
    assert headers[0] != headers[1]
    assert "pvd-csp-nonce-placeholder" not in headers[0]


def test_report_only_settings_and_a_views_own_policy_are_still_honoured(db, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'self'"]}}
    request = RequestFactory().get("/x")
    middleware = CSPMiddleware(lambda r: HttpResponse("ok"))
    middleware.process_request(request)
    response = middleware.process_response(request, HttpResponse("ok"))
    assert response[HEADER_REPORT_ONLY] == "default-src 'self'"
    own = HttpResponse("ok")
    own._csp_replace = {"img-src": ["https://example.org"]}
    request = RequestFactory().get("/y")
    middleware.process_request(request)
    assert "img-src https://example.org" in middleware.process_response(request, own)[HEADER]


def test_messages_are_created_on_first_use_and_still_delivered(db):
    def request_with_session(**extra):
        request = RequestFactory().get("/", **extra)
        request.session = SessionStore()
        return request

    middleware = MessageMiddleware(lambda r: HttpResponse("ok"))
    request = request_with_session()
    middleware.process_request(request)
    response = middleware.process_response(request, HttpResponse("ok"))
    assert not response.cookies  # unused: nothing written
    request = request_with_session()
    middleware.process_request(request)
    messages.success(request, "Enregistré.")
    response = middleware.process_response(request, HttpResponse("ok"))
    stored = response.cookies["messages"].value
    following = request_with_session(HTTP_COOKIE=f"messages={stored}")
    middleware.process_request(following)
    assert [str(m) for m in messages.get_messages(following)] == ["Enregistré."]
