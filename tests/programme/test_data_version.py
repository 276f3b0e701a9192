"""Every service that changes what the pages show replaces the data version (pvd.caching), so
no page, dashboard or memo built before the change is served after it (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib import admin
from django.test import RequestFactory

from pvd.caching import data_version

DATA = Path(__file__).resolve().parent.parent / "data"


def _laureates(ctx):
    from pvd.programme.services import laureates_import

    laureates_import(path=DATA / "programme" / "pvd-datagouv.csv", programme_slug="pvd")


def _ort(ctx):
    from pvd.programme.services import ort_import

    ort_import(path=DATA / "programme" / "ort.csv", millesime="2024-10")


def _laureate_edit(ctx):
    from pvd.programme.models import Laureat
    from pvd.programme.services import laureate_update

    lau = Laureat.objects.filter(programme__slug="pvd").order_by("pk").first()
    laureate_update(laureat=lau, user=ctx["national"], values={"notes": "Revue de projet."})


def _admin(model_name: str, action: str):
    def run(ctx):
        from pvd.programme import admin as registry_admin  # noqa: F401  (registers the admins)
        from pvd.programme.models import ListeImportee, Ort

        model = {"ort": Ort, "liste": ListeImportee}[model_name]
        model_admin = admin.site._registry[model]
        request = RequestFactory().post("/admin/")
        request.user = ctx["superuser"]
        obj = model.objects.order_by("pk").first()
        if action == "save":
            model_admin.save_model(request, obj, form=None, change=True)
        elif action == "delete":
            model_admin.delete_model(request, obj)
        else:
            model_admin.delete_queryset(request, model.objects.filter(pk=obj.pk))

    return run


def _programme_created(ctx):
    from pvd.programme.models import Programme
    from pvd.programme.services import programme_get

    Programme.objects.filter(slug="acv").delete()
    ctx["before"] = data_version()  # the deletion above is the test's, not a service's
    programme_get(slug="acv")


def _typology(ctx):
    from pvd.selection.services import typology_import

    typology_import(path=DATA / "selection" / "densite.csv")


def _centrality(ctx):
    from pvd.selection.services import centrality_import_official

    centrality_import_official(path=DATA / "selection" / "centralite.csv", confirm=True)


def _indicators(ctx):
    from pvd.diagnostics.services import indicators_build

    indicators_build()


def _referential_dataset(ctx):
    from pvd.territories.services import dataset_record

    dataset_record(
        key="test:jeu",
        title="Jeu de test",
        publisher="INSEE",
        licence="Licence Ouverte 2.0",
        url="https://www.insee.fr/",
        vintage="2024",
        version="1",
        checksum="abc",
        details={},
    )


CHANGES = [
    ("import of a laureates list", _laureates),
    ("import of an ORT sheet", _ort),
    ("edit of a laureate (web, admin)", _laureate_edit),
    ("admin: ORT saved", _admin("ort", "save")),
    ("admin: ORT deleted", _admin("ort", "delete")),
    ("admin: imported lists deleted from the list", _admin("liste", "delete_queryset")),
    ("built-in programme created", _programme_created),
    ("typology import", _typology),
    ("official centrality import", _centrality),
    ("indicator build", _indicators),
    ("dataset recorded (referential, open data, geometries, indicator sources)", _referential_dataset),
]


@pytest.mark.parametrize("run", [c[1] for c in CHANGES], ids=[c[0] for c in CHANGES])
def test_a_change_of_the_data_replaces_the_data_version(imported, make_user, run):
    from django.contrib.auth import get_user_model

    ctx = {
        "national": make_user("national", niveau="national"),
        "superuser": get_user_model().objects.create_superuser("root", password="x"),
    }
    ctx["before"] = data_version()
    run(ctx)
    assert data_version() != ctx["before"]


def test_reading_keeps_the_data_version(imported, client):
    before = data_version()
    for url in ("/", "/programme/pvd/", "/communes/19275/", "/communes/19275/portrait/"):
        assert client.get(url).status_code == 200
    assert data_version() == before
