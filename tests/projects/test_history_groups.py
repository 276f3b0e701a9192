"""Project history lines are linked to their group (``Changement.groupe``), not found by a
"<code> — " prefix of their label; the data migration links the older lines; pages name them
after the communes."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.utils import timezone

from pvd.programme.models import Changement
from pvd.projects import selectors, services

migration = importlib.import_module("pvd.programme.migrations.0008_changement_groupe")


def test_writes_are_linked_to_their_group_without_code_in_the_label(projet23, users):
    a = services.action_create(
        projet=projet23, user=users["chef23"], values={"titre": "Halle", "axe": "commerces"}
    )
    services.line_save(
        action=a,
        kind="budget",
        user=users["chef23"],
        values={"annee": 2026, "nature": "investissement", "prevu": 1},
    )
    rows = list(Changement.objects.filter(groupe=projet23.groupe))
    assert {r.objet for r in rows} >= {"action", "budget"}
    assert all(not r.libelle.startswith("pvd-75-23-1") for r in rows)
    assert {r.pk for r in rows} <= {h.pk for h in selectors.history(projet23)}


def test_the_migration_links_older_lines_and_strips_the_code(projet23, groups):
    g = projet23.groupe
    old = Changement.objects.create(
        at=timezone.now(),
        origine="web",
        programme_id=g.programme_id,
        objet="budget",
        objet_id=1,
        libelle="pvd-75-23-1 — Halle (budget)",
        action="creation",
    )
    # A label starting like another group's code that is not one stays as it is.
    other = Changement.objects.create(
        at=timezone.now(),
        origine="import",
        programme_id=g.programme_id,
        objet="laureat",
        objet_id=2,
        libelle="ORT — Guéret (23)",
        action="creation",
    )
    group_row = Changement.objects.create(
        at=timezone.now(),
        origine="import",
        programme_id=g.programme_id,
        objet="groupe",
        objet_id=groups["g16"].pk,
        libelle="groupe pvd-75-16-1",
        action="creation",
    )
    migration.link_groups(apps, None)
    old.refresh_from_db()
    other.refresh_from_db()
    group_row.refresh_from_db()
    assert (old.groupe_id, old.libelle) == (g.pk, "Halle (budget)")
    assert other.groupe_id is None and other.libelle == "ORT — Guéret (23)"
    assert group_row.groupe_id == groups["g16"].pk
    assert old in selectors.history(projet23)
    migration.unlink_groups(apps, None)
    old.refresh_from_db()
    assert old.libelle == "pvd-75-23-1 — Halle (budget)"


def test_the_project_page_shows_lines_without_codes(client, projet23, users):
    services.action_create(
        projet=projet23, user=users["chef23"], values={"titre": "Halle", "axe": "commerces"}
    )
    client.force_login(users["chef23"])
    html = client.get("/projets/pvd/pvd-75-23-1/").content.decode()
    history = html[html.index("Historique") :]
    assert "Halle" in history and "pvd-75-23-1 —" not in history
