"""Login throttling (django-axes, issue 18): 40 wrong passwords then the right one used to log in,
on the site and on /admin. After AXES_FAILURE_LIMIT failures one account is locked from one
address for the cool-off, with a French message in the login page itself."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings

from pvd.web.lockout import client_ip

SITE = "/programme/connexion/"
ADMIN = "/admin/login/"
PASSWORD = "motdepasse-juste-42"
LOCKED = "Connexion bloquée"


@pytest.fixture
def agent(db):
    return get_user_model().objects.create_user(
        username="agent", password=PASSWORD, is_staff=True, is_superuser=True
    )


def attempt(client, url, password, username="agent", address="10.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", [SITE, ADMIN])
def test_forty_wrong_passwords_then_the_right_one_is_refused(client, agent, url):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for i in range(1, limit):
        r = attempt(client, url, f"faux-{i}")
        assert r.status_code == 200 and LOCKED not in r.content.decode()
    r = attempt(client, url, "faux-5")  # the limit: the login page says why, in French
    page = r.content.decode()
    assert r.status_code == 429
    assert LOCKED in page and "Réessayez dans 15 minutes" in page
    assert 'name="password"' in page  # the login form itself, not a bare error page
    assert "frame-ancestors 'none'" in r["Content-Security-Policy"]  # the policy holds there too
    for i in range(6, 41):
        assert attempt(client, url, f"faux-{i}").status_code == 429
    r = attempt(client, url, PASSWORD)
    assert r.status_code == 429 and LOCKED in r.content.decode()
    assert not logged_in(client)


def test_the_lock_is_per_account_and_address(client, agent):
    for i in range(5):
        attempt(client, SITE, f"faux-{i}")
    assert attempt(client, SITE, PASSWORD).status_code == 429
    # The owner, from her own address, still logs in; another account from the locked address too.
    get_user_model().objects.create_user(username="autre", password=PASSWORD)
    assert attempt(client, SITE, PASSWORD, username="autre").status_code == 302
    client.logout()
    r = attempt(client, SITE, PASSWORD, address="10.0.0.2")
    assert r.status_code == 302 and logged_in(client)


def test_the_lock_ends_after_the_cool_off(client, agent):
    for i in range(5):
        attempt(client, ADMIN, f"faux-{i}")
    assert attempt(client, ADMIN, PASSWORD).status_code == 429
    # Let the cool-off pass: the failures are dated 15 minutes and a second earlier.
    earlier = settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
    for a in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=a.pk).update(attempt_time=a.attempt_time - earlier)
    r = attempt(client, ADMIN, PASSWORD)
    assert r.status_code == 302 and logged_in(client)


def test_a_successful_login_resets_the_count(client, agent):
    for i in range(4):
        attempt(client, SITE, f"faux-{i}")
    assert attempt(client, SITE, PASSWORD).status_code == 302
    client.logout()
    for i in range(4):  # four more failures: the count started again at zero
        assert attempt(client, SITE, f"faux-bis-{i}").status_code == 200
    assert attempt(client, SITE, PASSWORD).status_code == 302


def test_force_login_of_the_test_suite_is_not_throttled(client, agent):
    for i in range(5):
        attempt(client, SITE, f"faux-{i}", address="127.0.0.1")
    client.force_login(agent)
    assert client.get("/projets/").status_code == 200


class _Request:
    def __init__(self, **meta):
        self.META = meta


def test_client_address_behind_the_https_proxy_is_the_one_the_proxy_appended():
    forwarded = _Request(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    with override_settings(BEHIND_HTTPS_PROXY=True):
        assert client_ip(forwarded) == "203.0.113.9"  # not the forgeable first entry
        assert client_ip(_Request(REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"
    with override_settings(BEHIND_HTTPS_PROXY=False):
        assert client_ip(forwarded) == "127.0.0.1"


def test_an_administrator_unlocks_an_account_before_the_cool_off(client, agent):
    from django.core.management import call_command

    for i in range(5):
        attempt(client, SITE, f"faux-{i}")
    assert attempt(client, SITE, PASSWORD).status_code == 429
    call_command("axes_reset_username", "agent", verbosity=0)  # README: pvd manage ...
    assert attempt(client, SITE, PASSWORD).status_code == 302
