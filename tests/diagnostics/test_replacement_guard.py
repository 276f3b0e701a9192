"""A header-only, truncated or partial file would replace a whole theme (69,692 housing values
→ 0 after build): an import removing more than 5 % of the values of the file it replaces is
refused unless confirmed, with the counts; a first import is never refused."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from pvd.cli import main
from pvd.diagnostics.models import SourceTable
from pvd.diagnostics.services import frame_of, indicator_source_import
from pvd.domain import replacement
from pvd.sources.report import ConfirmationRequired, SourceError

DATA = Path(__file__).resolve().parent.parent / "data"
LOGEMENT = DATA / "insee" / "base-cc-logement-2021.CSV"
LINES = LOGEMENT.read_text(encoding="utf-8").splitlines(keepends=True)


@pytest.mark.parametrize(
    ("before", "after", "lost", "refused"),
    [
        (0, 0, 0, False),  # first import
        (100, 0, 100, True),  # header only
        (100, 95, 5, False),  # 5 %: within the threshold
        (1000, 949, 51, True),  # 5.1 %
        (100, 120, 0, False),  # more rows, none lost
    ],
)
def test_threshold(before, after, lost, refused):
    loss = replacement.Loss("valeurs", before, after, lost)
    assert loss.needs_confirmation is refused
    assert replacement.MAX_LOSS_SHARE == 0.05


def test_keys_loss_ignores_vintages_and_values():
    old = pl.DataFrame(
        {"code": ["1", "1", "2"], "variable": ["a", "b", "a"], "millesime": [1, 1, 1]}
    )
    new = pl.DataFrame(
        {"code": ["1", "1", "2"], "variable": ["a", "b", "a"], "millesime": [2, 2, 2]}
    )
    assert replacement.keys_loss(old, new, ("code", "variable"), "v").lost == 0
    loss = replacement.keys_loss(old, new.head(1), ("code", "variable"), "valeurs")
    assert (loss.before, loss.after, loss.lost) == (3, 1, 2)
    assert "retirerait 2 des 3 valeurs" in loss.message() and "66,7 %" in loss.message()


def _file(tmp_path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _stored() -> int:
    return frame_of(SourceTable.objects.get(kind="logement")).height


def test_header_only_and_partial_files_are_refused_unless_confirmed(db, tmp_path):
    SourceTable.objects.filter(kind="logement").delete()  # start from no housing file
    first = indicator_source_import(kind="logement", path=LOGEMENT)
    assert first.tables["observations"].created == 12  # 3 communes x 4 variables read
    # A header-only file is no official file: refused outright (no confirmation can take it).
    header_only = _file(tmp_path, "logement-vide.CSV", LINES[:1])
    with pytest.raises(SourceError) as refused:
        indicator_source_import(kind="logement", path=header_only, confirm=True)
    assert "ligne 2 : aucune ligne de données après l'en-tête" in str(refused.value)
    assert _stored() == 12  # nothing written
    # A file keeping one row of three would remove 8 of the 12 values: confirmation needed.
    one_row = _file(tmp_path, "logement-une-ligne.CSV", LINES[:2])
    with pytest.raises(ConfirmationRequired) as refused:
        indicator_source_import(kind="logement", path=one_row)
    message = str(refused.value)
    assert "retirerait 8 des 12 valeurs (territoire × variable)" in message
    assert "avant 12, après 4" in message and "--confirmer" in message
    assert _stored() == 12  # nothing written
    # One commune of three dropped: refused too; the dry run says it, exit 0.
    partial = _file(tmp_path, "logement-partiel.CSV", LINES[:3])
    dry = indicator_source_import(kind="logement", path=partial, dry_run=True)
    assert any("retirerait 4 des 12" in w and "--confirmer" in w for w in dry.warnings)
    runner = CliRunner()
    cli = runner.invoke(main, ["indicators", "import", "logement", str(partial)])
    assert cli.exit_code == 1 and "avant 12, après 8" in cli.output
    assert _stored() == 12
    done = runner.invoke(main, ["indicators", "import", "logement", str(partial), "--confirmer"])
    assert done.exit_code == 0, done.output
    assert _stored() == 8
    # Same rows, other values: nothing removed, no confirmation.
    changed = _file(
        tmp_path, "logement-2.CSV", [LINES[0], LINES[1].replace("2690", "2700"), LINES[2]]
    )
    assert (
        indicator_source_import(kind="logement", path=changed).tables["observations"].updated == 1
    )


def test_a_first_import_is_never_refused(db, tmp_path):
    SourceTable.objects.filter(kind="logement").delete()
    report = indicator_source_import(kind="logement", path=_file(tmp_path, "l.CSV", LINES[:2]))
    assert report.tables["observations"].created == 4
