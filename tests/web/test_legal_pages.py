"""Footer pages a public service with a login must have (issue 13), and the State's block-mark."""

import pytest


@pytest.mark.parametrize(
    ("url", "title", "must"),
    [
        ("/accessibilite/", "Déclaration d'accessibilité", "non conforme"),
        ("/mentions-legales/", "Mentions légales", "licence MIT"),
        ("/donnees-personnelles/", "Données personnelles", "CNIL"),
    ],
)
def test_footer_pages_exist_and_are_linked(client, db, url, title, must):
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"<h1>{title}</h1>" in html and must in html
    # Linked from the footer of every page, the home page included.
    footer = client.get("/").content.decode().split("fr-footer__bottom", 1)[1]
    assert f'href="{url}"' in footer


def test_operator_and_contact_are_the_instance_settings(client, db, settings):
    settings.PVD_OPERATOR = "la préfecture de la Creuse"
    settings.PVD_CONTACT = "pvd@creuse.gouv.fr"
    html = client.get("/donnees-personnelles/").content.decode()
    assert "la préfecture de la Creuse" in html and 'href="mailto:pvd@creuse.gouv.fr"' in html


def test_header_shows_the_republique_francaise_block_mark(client, db):
    html = client.get("/").content.decode()
    logo = html.split('class="fr-header__logo"', 1)[1].split("</div>", 1)[0]
    assert "République<br>française" in logo


def test_navigation_reaches_every_module(client, db):
    """Issue 13: /indicateurs/ is in the main navigation, beside the other modules."""
    nav = client.get("/").content.decode().split('id="fr-navigation"', 1)[1].split("</nav>", 1)[0]
    for href in ("/indicateurs/", "/programme/pvd/", "/selection/", "/projets/", "/api/v1/docs"):
        assert f'href="{href}"' in nav, href
