"""Bad input through the real commands: one French line naming the file (and line, column),
exit 1, never a traceback, nothing written. Each case below ended in a traceback or was
accepted silently before (issue 18)."""

from __future__ import annotations

import errno
import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.db import OperationalError, connection

from pvd import cli
from pvd.diagnostics.models import SourceTable

DATA = Path(__file__).resolve().parent.parent / "data"
LOGEMENT = DATA / "insee" / "base-cc-logement-2021.CSV"


def run(*args: str):
    return CliRunner().invoke(cli.main, list(args))


def refused(result, *expected: str) -> str:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output
    first = result.stderr.split("\n", 1)[0]
    assert first.startswith("Erreur : ")
    for text in expected:
        assert text in first, first
    return first


def test_directory_given_as_file(db, tmp_path):
    folder = tmp_path / "logement.csv"
    folder.mkdir()
    refused(run("indicators", "import", "logement", str(folder)), "logement.csv", "dossier")
    refused(run("data", "import-population", str(folder), "--millesime", "2023"), "dossier")


def test_corrupt_zip(db, tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("base-cc-logement-2021.CSV", LOGEMENT.read_bytes() * 50)
    path = tmp_path / "logement.zip"
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    refused(run("indicators", "import", "logement", str(path)), "logement.zip", "zip")


def test_bom_before_latin1_names_the_line(db, tmp_path):
    path = tmp_path / "donnees_communes.csv"
    text = (DATA / "population" / "donnees_communes.csv").read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("cp1252"))
    refused(
        run("data", "import-population", str(path), "--millesime", "2023"), "ligne 1", "BOM", "0xe9"
    )


def test_ten_megabyte_field(db, tmp_path):
    lines = (DATA / "population" / "donnees_communes.csv").read_text().splitlines()
    lines[3] = lines[3].replace(";15934;", f";{'7' * 10_000_000};")
    path = tmp_path / "donnees_communes.csv"
    path.write_text("\n".join(lines) + "\n")
    first = refused(run("data", "import-population", str(path), "--millesime", "2023"), "ligne 4")
    assert len(first.replace(str(path), "FILE")) < 300  # the 10 MB value is not echoed


@pytest.mark.parametrize("value", ["inf", "1e309", "NaN", "-5", "1_000", "１２３", "١٢٣"])
def test_out_of_range_numbers_name_line_and_column(db, tmp_path, value):
    lines = LOGEMENT.read_text().splitlines()
    cells = lines[2].split(";")
    cells[4] = value  # P21_LOGVAC
    lines[2] = ";".join(cells)
    path = tmp_path / "base-cc-logement-2021.CSV"
    path.write_text("\n".join(lines) + "\n")
    refused(run("indicators", "import", "logement", str(path)), "ligne 3, colonne P21_LOGVAC")


def test_escape_sequences_in_names_are_refused_and_never_printed(db, tmp_path):
    text = (DATA / "cog" / "v_commune_2026.csv").read_text()
    path = tmp_path / "v_commune_2026.csv"
    path.write_text(text.replace("L'Abergement-Clémenciat", "\x1b[2J\x1b]0;pwned\x07X", 1))
    first = refused(run("data", "import-cog", str(path)), "ligne 2, colonne LIBELLE")
    assert "\x1b" not in first and "\\x1b" in first


@pytest.mark.parametrize(
    "content",
    [b'{"type": "FeatureCollection", "features": 5}', b'{"type": "FeatureCollection", "features":'
     b' [{"type": "Feature", "properties": {"insee_dep": "48"}, "geometry": {"type": "Polygon",'
     b' "coordinates": [[[]]]}}]}', b'{"type": "FeatureCollection", "features": ["x"]}'],
)  # fmt: skip
def test_malformed_geojson(db, tmp_path, content):
    path = tmp_path / "contours.geojson"
    path.write_bytes(content)
    refused(run("data", "import-geo", str(path)), "contours.geojson")


class _FailingWrites:
    def __init__(self, exc):
        self.exc = exc

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            raise self.exc
        return execute(sql, params, many, context)


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "disque plein"),
        (OperationalError("attempt to write a readonly database"), "lecture seule"),
    ],
)
def test_full_disk_or_read_only_base(db, exc, reason):
    before = list(SourceTable.objects.values_list("kind", "dataset_id", "observations"))
    with connection.execute_wrapper(_FailingWrites(exc)):
        # --confirmer: another test may have loaded a larger housing vintage in the session's
        # database; the write must fail on the disk, not on the replacement guard.
        result = run("indicators", "import", "logement", str(LOGEMENT), "--confirmer")
    refused(result, "base-cc-logement-2021.CSV", reason, "rien n'a été écrit")
    assert list(SourceTable.objects.values_list("kind", "dataset_id", "observations")) == before
