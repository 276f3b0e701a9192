"""The sources catalogue as a data file (src/pvd/sources/catalogue.toml): every entry is valid,
the loaded catalogue is the one that was written as code before (same entries, same order, same
fields), and a malformed entry stops the loading with its name and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pvd.sources import catalogue

BEFORE = Path(__file__).with_name("catalogue_before_toml.json")


def test_loaded_catalogue_equals_the_catalogue_written_as_code():
    before = json.loads(BEFORE.read_text(encoding="utf-8"))
    assert [source.as_dict() for source in catalogue.sources()] == before
    assert catalogue.COG_PAGE_2026 == "https://www.insee.fr/fr/information/8740222"


def test_every_entry_of_the_file_is_valid():
    loaded = catalogue.load()
    assert len(loaded) == len(catalogue.sources()) == 24
    for source in loaded:
        assert catalogue.parse_source(source.as_dict() | {"layout": _layout(source)}, 0) == source


def _layout(source):
    return {k: v for k, v in source.as_dict()["layout"].items() if v not in (None, [])}


GOOD = {
    "name": "essai-2026",
    "title": "Fichier d'essai",
    "publisher": "INSEE",
    "licence": catalogue.LICENCE_OUVERTE,
    "vintage": "2026",
    "page": "https://www.insee.fr/fr/information/1",
    "url": "https://www.insee.fr/fichier.csv",
    "filename": "fichier.csv",
    "layout": {"format": "csv", "separator": ";", "columns": ["CODGEO"]},
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"colour": "bleu"}, "champ(s) inconnu(s) colour"),
        ({"title": None}, "champ(s) manquant(s) title"),
        ({"title": ""}, "« title » doit être un texte non vide"),
        ({"vintage": 2026}, "« vintage » doit être un texte non vide"),
        ({"name": "Essai 2026"}, "nom invalide"),
        ({"page": "http://insee.fr"}, "« page » doit être une adresse https://"),
        ({"url": "ftp://insee.fr/f.csv"}, "« url » doit être une adresse https://"),
        ({"url": None}, "sans « url », « notes » doit dire pourquoi"),
        ({"sha256": "abc"}, "« sha256 » doit compter 64 chiffres hexadécimaux"),
        ({"import_command": "pvd data import-cog"}, "doit contenir {path}"),
        ({"filename": "../f.csv"}, "simple nom de fichier"),
        ({"tags": "cog"}, "« tags » doit être une liste de textes"),
        ({"layout": "csv"}, "doit être une table [source.layout]"),
        ({"layout": {"separator": ";"}}, "layout : champ(s) manquant(s) format"),
        ({"layout": {"format": "csv", "columns": "CODGEO"}}, "« columns » doit être une liste"),
    ],
)
def test_malformed_entries_are_refused_with_their_name_and_field(change, message):
    entry = {k: v for k, v in (GOOD | change).items() if v is not None}
    with pytest.raises(catalogue.CatalogueError) as error:
        catalogue.parse_source(entry, 3)
    assert message in str(error.value)
    assert f"source « {entry['name']} »" in str(error.value)


def test_a_valid_entry_gives_its_source():
    source = catalogue.parse_source(GOOD, 1)
    assert source.layout.columns == ("CODGEO",) and source.notes == "" and source.tags == ()


def test_file_level_errors(tmp_path):
    twice = tmp_path / "twice.toml"
    entry = "[[source]]\n" + "".join(
        f"{k} = {json.dumps(v)}\n" for k, v in GOOD.items() if k != "layout"
    )
    twice.write_text((entry + '[source.layout]\nformat = "csv"\n') * 2, encoding="utf-8")
    with pytest.raises(catalogue.CatalogueError, match="déclarée deux fois : essai-2026"):
        catalogue.load(twice)
    broken = tmp_path / "broken.toml"
    broken.write_text("[[source]\n", encoding="utf-8")
    with pytest.raises(catalogue.CatalogueError, match="TOML invalide"):
        catalogue.load(broken)
    other = tmp_path / "other.toml"
    other.write_text('[sources]\nname = "x"\n', encoding="utf-8")
    with pytest.raises(catalogue.CatalogueError, match="section\\(s\\) inconnue\\(s\\) sources"):
        catalogue.load(other)
