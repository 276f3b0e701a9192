"""OpenAPI conformance (issue 18): schemathesis generates requests from /api/v1/openapi.json and
sends them in-process to the WSGI application, anonymously and as a logged-in superuser (so
that the write endpoints are exercised on a real project), valid and invalid inputs alike.
Every response must be documented (status, content type, body schema) and none may be a
server error. Marked ``heavy``: about 1,500 requests, run on one database in CI.
"""

from __future__ import annotations

import os
import secrets
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import ignored_auth

import factories

pytestmark = [pytest.mark.heavy, pytest.mark.django_db(transaction=True)]

# Examples per operation and per (mode, identity); PVD_API_FUZZ_EXAMPLES raises it for a longer
# run by hand.
EXAMPLES = int(os.environ.get("PVD_API_FUZZ_EXAMPLES", "20"))
PROJECT = {"slug": "pvd", "code": "pvd-75-23-1"}


@pytest.fixture
def api_schema(transactional_db):
    from pvd.config.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    # The session cookie is the test's to send (a real login), not a generated value.
    schema.config.generation.update(with_security_parameters=False)
    return schema


@pytest.fixture
def session_cookies(client):
    """Cookies of a logged-in superuser with a CSRF token (the API checks it on writes), and
    the project of the group pvd-75-23-1 (Creuse) with one action."""
    admin = factories.user("admin", superuser=True)
    groupe = factories.group(PROJECT["code"], ["23176"])
    factories.action(factories.project(groupe, by=admin), by=admin, titre="Halle", axe="commerces")
    client.force_login(admin)
    token = secrets.token_hex(16)
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": token}


def _failures(exc: BaseException) -> list[str]:
    inner = getattr(exc, "exceptions", None)
    if inner:
        return [f for e in inner for f in _failures(e)]
    return [f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"]


def _fuzz(operation, strategy, who: str, cookies: dict, headers: dict, sent, failures) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        response = case.call(cookies=cookies, headers=headers)
        sent[response.status_code] += 1
        try:
            # Sending a forged session is what the anonymous identity does; here the real
            # session cookie would be sent again by the check, so it is left to "anonyme".
            excluded = [ignored_auth] if cookies else None
            case.validate_response(response, headers=headers, excluded_checks=excluded)
        except (Exception, BaseExceptionGroup) as exc:  # collected: each distinct failure
            key = f"{operation.label} [{who}] -> {response.status_code} {response.text[:150]}"
            failures.setdefault(key, set()).update(_failures(exc))

    try:
        run()
    except Unsatisfiable:
        pass  # no invalid input exists for an operation without parameters nor body


def test_api_conforms_to_its_openapi_schema(api_schema, session_cookies):
    sent: Counter = Counter()
    failures: dict[str, set[str]] = {}
    identities = {
        "anonyme": ({}, {}),
        "connecte": (session_cookies, {"X-CSRFToken": session_cookies["csrftoken"]}),
    }
    for result in api_schema.get_all_operations():
        operation = result.ok()
        params = {p.name for p in operation.path_parameters}
        fixed = {k: v for k, v in PROJECT.items() if k in params} if "code" in params else None
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for who, (cookies, headers) in identities.items():
                strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed)
                _fuzz(operation, strategy, who, cookies, headers, sent, failures)
    total = sum(sent.values())
    report = "\n".join(f"{k}: {sorted(v)}" for k, v in sorted(failures.items()))
    print(f"\nrequests: {total}, by status: {dict(sorted(sent.items()))}")
    print(f"failures: {len(failures)}\n{report}")
    assert total >= 1000
    assert sent.get(500, 0) == 0
    assert not failures, report
