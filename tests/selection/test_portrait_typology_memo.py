"""The portrait's typologies read the centrality and typology rows kept per process and data
version (pvd.selection.typologies): an import that changes them is shown at once."""

from __future__ import annotations

import html as htmllib
import re

from pvd.domain.centrality import LEVEL_LABELS

HEADER = "insee_com,lib_com,niveau_centralite\n"


def _levels(tmp_path, mende: str):
    path = tmp_path / f"centralite-{len(mende)}.csv"
    path.write_text(
        HEADER
        + f"48095,Mende,{mende}\n"
        + "48061,Langogne,Centre structurant d'équipements et de services\n",
        encoding="utf-8",
    )
    return path


def _centrality_said(client) -> str:
    html = htmllib.unescape(client.get("/communes/48095/portrait/").content.decode())
    found = re.search(r"Niveau de centralité.{0,400}", html, re.S)
    assert found, "the portrait shows the centrality"
    return found.group(0)


def test_a_new_official_centrality_is_shown_on_the_portrait(client, db, tmp_path):
    from pvd.selection.services import centrality_import_official

    centrality_import_official(
        path=_levels(tmp_path, "Centre majeur d'équipements et de services"), confirm=True
    )
    said = _centrality_said(client)
    assert LEVEL_LABELS["majeur"] in said and LEVEL_LABELS["local"] not in said
    assert LEVEL_LABELS["majeur"] in _centrality_said(client)  # kept: same data version
    centrality_import_official(
        path=_levels(tmp_path, "Centre local d'équipements et de services"), confirm=True
    )
    said = _centrality_said(client)
    assert LEVEL_LABELS["local"] in said and LEVEL_LABELS["majeur"] not in said


def _density(tmp_path, mende: str):
    path = tmp_path / f"densite-{len(mende)}.csv"
    path.write_text(
        "insee_com,lib_com,niveau_densite\n"
        + f"48095,Mende,{mende}\n"
        + "48140,Saint-Chély-d'Apcher,Bourgs ruraux\n",
        encoding="utf-8",
    )
    return path


def test_a_new_typology_is_shown_on_the_portrait(client, db, tmp_path):
    from pvd.selection.services import typology_import

    def said() -> str:
        html = htmllib.unescape(client.get("/communes/48095/portrait/").content.decode())
        return re.search(r"Grille communale de densité.{0,300}", html, re.S).group(0)

    typology_import(path=_density(tmp_path, "Petites villes"))
    assert "Petites villes" in said() and "Petites villes" in said()
    typology_import(path=_density(tmp_path, "Centres urbains intermédiaires"))
    assert "Centres urbains intermédiaires" in said() and "Petites villes" not in said()
