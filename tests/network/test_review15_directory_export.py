"""Found in the review of issue 15: the directory's « Télécharger (CSV) », beside its « Filtrer »
button, downloaded every town of the programme whatever the filters."""

from __future__ import annotations


def test_the_directory_download_keeps_the_page_filters(client, groups):
    page = client.get("/reseau/?departement=16&tranche=").content.decode()
    assert 'href="/reseau/export/annuaire.csv?departement=16&amp;tranche=">Télécharger (CSV)' in page
    lines = client.get("/reseau/export/annuaire.csv?departement=16").content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("code_commune;commune;")
    assert sorted(line.split(";")[0] for line in lines[1:]) == ["16005", "16015"]
    everything = client.get("/reseau/export/annuaire.csv").content.decode("utf-8-sig").splitlines()
    assert len(everything) == 1 + 4  # g23, g16 (two towns), g01
    assert 'href="/reseau/export/annuaire.csv">' in client.get("/reseau/").content.decode()
