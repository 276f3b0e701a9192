"""Links in e-mails and calendars point at the served address unless PVD_EMAIL_SITE_URL is set
(a review found `.ics` files of a server on port 8765 linking to 127.0.0.1:8000)."""

from __future__ import annotations

import pytest

from pvd.cli.server import default_site_url


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        ("127.0.0.1", 8765, "http://127.0.0.1:8765"),
        ("0.0.0.0", 8000, "http://127.0.0.1:8000"),  # every interface: no address to link to
        ("::", 8000, "http://127.0.0.1:8000"),
        ("::1", 8001, "http://[::1]:8001"),
        ("pvd.example.gouv.fr", 80, "http://pvd.example.gouv.fr:80"),
    ],
)
def test_default_site_url(host, port, expected):
    assert default_site_url(host, port) == expected
