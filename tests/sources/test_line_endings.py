"""Valid files with trailing blank lines or mixed LF/CRLF line endings are read by every
polars-based importer exactly as the clean file (they were refused with "code commune en double
« None »": polars read each blank line as a row of nulls)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import polars as pl
import pytest

from pvd.sources import (
    centralite,
    cerema_naf,
    dgfip_comptes,
    insee_bpe,
    insee_census,
    insee_filosofi,
    territoires,
)

DATA = Path(__file__).resolve().parent.parent / "data"

TYPOLOGY = (
    "\ufeffinsee_com,lib_com,niveau_densite\n"
    "01001,L'Abergement-Clémenciat,Rural à habitat dispersé\n"
    "75056,Paris,Grands centres urbains\n"
)

# (name, reader, fixture path or literal content, how to compare two results)
READERS = [
    (
        "historique",
        partial(insee_census.read_census, kind="historique"),
        DATA / "insee" / "base-cc-serie-historique-2022.CSV",
    ),
    (
        "logement",
        partial(insee_census.read_census, kind="logement"),
        DATA / "insee" / "base-cc-logement-2021.CSV",
    ),
    (
        "ages",
        partial(insee_census.read_census, kind="ages"),
        DATA / "insee" / "base-cc-evol-struct-pop-2021.CSV",
    ),
    (
        "emploi",
        partial(insee_census.read_census, kind="emploi"),
        DATA / "insee" / "base-cc-emploi-pop-active-2021.CSV",
    ),
    ("filosofi", insee_filosofi.read_filosofi, DATA / "insee" / "cc_filosofi_2021_COM.csv"),
    (
        "filosofi-melodi",
        insee_filosofi.read_filosofi,
        DATA / "insee" / "DS_FILOSOFI_CC_2021_data.csv",
    ),
    ("bpe", insee_bpe.read_bpe, DATA / "bpe" / "bpe24_une_ligne_par_equipement.csv"),
    ("naf", cerema_naf.read_naf, DATA / "cerema" / "obs_artif_conso_com_2009_2023.csv"),
    (
        "finances",
        dgfip_comptes.read_comptes,
        DATA / "dgfip" / "comptes-individuels-des-communes.csv",
    ),
    ("centralite", centralite.read_official_centrality, DATA / "selection" / "centralite.csv"),
    ("typologie", territoires.read_typology, TYPOLOGY),
]


def _frame(result) -> pl.DataFrame:
    frame = getattr(result, "observations", None)
    if frame is None:
        frame = result.frame
    return frame.sort(frame.columns)


def _variants(raw: bytes) -> dict[str, bytes]:
    body = raw.replace(b"\r\n", b"\n").rstrip(b"\n")
    lines = body.split(b"\n")
    mixed = b"".join(line + (b"\r\n" if i % 2 else b"\n") for i, line in enumerate(lines))
    return {
        "two trailing blank lines": body + b"\n\n\n",
        "trailing CRLF blank lines": body.replace(b"\n", b"\r\n") + b"\r\n\r\n\r\n",
        "mixed LF/CRLF": mixed,
        "mixed LF/CRLF and blank lines": mixed + b"\r\n\n",
        "no final newline": body,
    }


@pytest.mark.parametrize(("name", "read", "source"), READERS, ids=[r[0] for r in READERS])
def test_trailing_blank_lines_and_mixed_endings_are_read_like_the_clean_file(
    name, read, source, tmp_path
):
    raw = source.encode("utf-8") if isinstance(source, str) else source.read_bytes()
    clean = tmp_path / "clean.csv"
    clean.write_bytes(raw)
    expected = _frame(read(clean))
    assert expected.height > 0
    for label, content in _variants(raw).items():
        path = tmp_path / f"{label.replace(' ', '-').replace('/', '-')}.csv"
        path.write_bytes(content)
        got = _frame(read(path))
        assert got.equals(expected), f"{name}: {label}"
