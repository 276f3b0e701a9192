"""The `pvd data import-cog` and `pvd data import-population` commands: thin, errors on stderr."""

from pathlib import Path

from click.testing import CliRunner

from pvd import cli
from pvd.territories.models import Commune, Population

DATA = Path(__file__).resolve().parent.parent / "data"


def run(*args: str):
    return CliRunner().invoke(cli.main, ["data", *args])


def test_import_cog_error_goes_to_stderr_with_file_line_and_column(db):
    result = run("import-cog", str(DATA / "cog" / "v_commune_2026_code_invalide.csv"))
    assert result.exit_code == 1
    first, *others = result.stderr.splitlines()
    assert (
        first.startswith("Erreur : ")
        and "v_commune_2026_code_invalide.csv, ligne 5, colonne COM" in first
    )
    assert "  ligne 6, colonne COMPARENT : commune parente 01015 absente du fichier" in others[0]
    assert result.stdout == ""


def test_import_cog_dry_run_prints_the_report(db):
    count = Commune.objects.count()
    result = run("import-cog", str(DATA / "cog" / "v_commune_2027.csv"), "--dry-run", "--prune")
    assert result.exit_code == 0, result.stderr
    assert "simulation, rien n'est écrit" in result.stdout
    assert "communes: 3 créés, 1 modifiés" in result.stdout
    assert Commune.objects.count() == count


def test_import_cog_twice_says_no_change(db):
    path = str(DATA / "cog" / "v_commune_2026.csv")
    assert run("import-cog", path).exit_code == 0
    assert "Aucun changement." in run("import-cog", path).stdout


def test_import_population_reports_encoding_and_mappings(db):
    result = run(
        "import-population",
        str(DATA / "population" / "donnees_communes_2019_latin1.csv"),
        "--millesime",
        "2019",
        "--dry-run",
    )
    assert result.exit_code == 0, result.stderr
    assert "encodage lu : Latin-1 (Windows-1252)" in result.stdout
    assert "01039→01138" in result.stdout


def test_import_population_missing_column_exits_1(db):
    count = Population.objects.count()
    result = run(
        "import-population",
        str(DATA / "population" / "donnees_communes_sans_pmun.csv"),
        "--millesime",
        "2023",
    )
    assert result.exit_code == 1
    assert "ligne 1, colonne PMUN : colonne de population manquante" in result.stderr
    assert Population.objects.count() == count


def test_import_population_needs_a_millesime():
    result = run("import-population", str(DATA / "population" / "donnees_communes.csv"))
    assert result.exit_code == 2


def test_missing_file_is_a_clear_error(db):
    result = run("import-cog", "/nulle/part/v_commune_2026.csv")
    assert result.exit_code == 1 and "fichier introuvable" in result.stderr
