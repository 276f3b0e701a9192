"""The centrality files replace the stored ones: a truncated or partial file that would remove
more than 5 % of them is refused unless confirmed, with the counts (issue 18)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pvd.cli import main
from pvd.selection import services
from pvd.selection.models import Centralite
from pvd.sources.report import ConfirmationRequired

DATA = Path(__file__).resolve().parent.parent / "data" / "selection"


def _head(tmp_path, source: Path, n: int) -> Path:
    path = tmp_path / source.name
    lines = source.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    path.write_text("".join(lines[:n]), encoding="utf-8")
    return path


def test_official_classification_truncated_is_refused(db, tmp_path):
    Centralite.objects.all().delete()
    services.centrality_import_official(path=DATA / "centralite.csv")
    stored = Centralite.objects.get(kind="officielle").communes
    truncated = _head(tmp_path, DATA / "centralite.csv", 3)
    with pytest.raises(ConfirmationRequired, match="communes classées") as refused:
        services.centrality_import_official(path=truncated)
    assert "avant" in str(refused.value) and "après 2" in str(refused.value)
    assert Centralite.objects.get(kind="officielle").communes == stored
    dry = services.centrality_import_official(path=truncated, dry_run=True)
    assert any("--confirmer" in line for line in dry.lines())
    runner = CliRunner()
    assert runner.invoke(main, ["selection", "import-centralite", str(truncated)]).exit_code == 1
    done = runner.invoke(main, ["selection", "import-centralite", str(truncated), "--confirmer"])
    assert done.exit_code == 0, done.output
    assert Centralite.objects.get(kind="officielle").communes == 2


def test_bpe_truncated_is_refused(db, tmp_path):
    Centralite.objects.all().delete()
    services.centrality_compute(path=DATA / "bpe13_centralite.csv", calibrate=False)
    truncated = _head(tmp_path, DATA / "bpe13_centralite.csv", 5)
    with pytest.raises(ConfirmationRequired, match="communes pourvues d'équipements"):
        services.centrality_compute(path=truncated, calibrate=False)
    report = services.centrality_compute(path=truncated, calibrate=False, confirm=True)
    assert any("(confirmé)" in line for line in report.lines())
