"""Indicator figures through the import services and the build inputs, on official-layout
fixtures: periods of the natural balance, ratio-of-sums per year, import reports, INSEE's own
medians of territories."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl
import pytest

from pvd.diagnostics.models import SourceTable
from pvd.diagnostics.published import published_frame
from pvd.diagnostics.services import geography_frame, indicator_source_import, observations_frame
from pvd.domain.indicators import catalogue, engine
from pvd.sources.report import ConfirmationRequired

DATA = Path(__file__).resolve().parent.parent / "data"
HISTORIQUE = DATA / "insee" / "base-cc-serie-historique-2022.CSV"
AGES = DATA / "insee" / "base-cc-evol-struct-pop-2021.CSV"
CAF_MANQUANTE = DATA / "dgfip" / "comptes-caf-manquante.csv"


def build(ids: list[str]) -> pl.DataFrame:
    geo = geography_frame()
    obs, _ = observations_frame(geo)
    return engine.build(obs, geo, [catalogue.get(i) for i in ids], published_frame()).values


def pick(values: pl.DataFrame, indicator: str, level: str = "COM") -> dict:
    frame = values.filter((pl.col("indicator") == indicator) & (pl.col("level") == level))
    return {(c, m): v for c, m, v in frame.select("code", "millesime", "value").iter_rows()}


def test_loading_ages_leaves_the_natural_balance_unchanged(referential):
    SourceTable.objects.filter(kind__in=["historique", "ages"]).delete()
    indicator_source_import(kind="historique", path=HISTORIQUE)
    alone = pick(build(["solde_naturel"]), "solde_naturel")
    # 48140: NAIS1621 − DECE1621 = 180 − 360 over 2016-2022 (P16_POP 4,169, P22_POP 4,010).
    assert alone[("48140", 2022)] == pytest.approx(-180 / 6 / ((4169 + 4010) / 2) * 100)
    indicator_source_import(kind="ages", path=AGES)  # adds P21_POP = 4,050 for 48140
    both = build(["solde_naturel"])
    assert pick(both, "solde_naturel") == alone
    assert ("48140", 2021) not in pick(both, "solde_naturel")


def test_debt_capacity_of_an_epci_sums_the_communes_of_that_year(referential):
    """DGFiP layout: in 2022 Albaret-Sainte-Marie (48002) has a debt of 15,000 k€ and no CAF;
    Saint-Chély-d'Apcher (48140) has 3,000 k€ of debt and 300 k€ of CAF. Both are in the CC
    Terres d'Apcher-Margeride-Aubrac (200069185)."""
    SourceTable.objects.filter(kind="finances").delete()
    indicator_source_import(kind="finances", path=CAF_MANQUANTE)
    values = build(["capacite_desendettement"])
    epci = pick(values, "capacite_desendettement", "EPCI")
    # 2021: (4,000 + 1,000) / (800 + 200) = 5 years
    assert epci[("200069185", 2021)] == pytest.approx(5.0)
    # 2022: 3,000 / 300 = 10 years (48140 alone), not (3,000 + 15,000) / 300 = 60 years
    assert epci[("200069185", 2022)] == pytest.approx(10.0)
    assert pick(values, "capacite_desendettement")[("48140", 2022)] == pytest.approx(10.0)


LOGEMENT = DATA / "insee" / "base-cc-logement-2021.CSV"


def counts(report, table="observations"):
    t = report.tables[table]
    return (t.created, t.updated, t.unchanged, t.deleted)


def test_import_report_counts_created_unchanged_and_updated_observations(referential, tmp_path):
    SourceTable.objects.filter(kind="logement").delete()
    # 3 communes × 4 variables read (P21_LOG, P21_RP, P21_RSECOCC, P21_LOGVAC) = 12.
    first = indicator_source_import(kind="logement", path=LOGEMENT)
    assert counts(first) == (12, 0, 0, 0)
    assert counts(first, "fichier source") == (1, 0, 0, 0)
    assert "observations: 12 créés, 0 modifiés, 0 inchangés, 0 supprimés" in "\n".join(
        first.lines()
    )
    again = indicator_source_import(kind="logement", path=LOGEMENT)
    assert counts(again) == (0, 0, 12, 0) and not again.changed
    # A corrected file: Mende's vacant dwellings 7 -> 9, Florac's row withdrawn.
    lines = LOGEMENT.read_text(encoding="utf-8").splitlines()
    changed = tmp_path / LOGEMENT.name
    changed.write_text(
        "\n".join([lines[0], lines[1], lines[3].replace(";7;58;", ";9;58;")]) + "\n",
        encoding="utf-8",
    )
    # Withdrawing a third of the values is refused unless confirmed (issue 18).
    with pytest.raises(ConfirmationRequired, match="retirerait 4 des 12 valeurs"):
        indicator_source_import(kind="logement", path=changed)
    updated = indicator_source_import(kind="logement", path=changed, confirm=True)
    assert counts(updated) == (0, 1, 7, 4)
    assert counts(updated, "fichier source") == (0, 1, 0, 0)
    # A dry run of the original file says what it would do, and writes nothing.
    dry = indicator_source_import(kind="logement", path=LOGEMENT, dry_run=True)
    assert counts(dry) == (4, 1, 7, 0)
    assert SourceTable.objects.get(kind="logement").observations == 8


MELODI = DATA / "insee" / "DS_FILOSOFI_CC_2021_data.csv"


@pytest.fixture
def melodi_build(referential):
    from pvd.diagnostics.services import indicators_build

    SourceTable.objects.all().delete()
    indicator_source_import(kind="filosofi", path=MELODI)
    return indicators_build(peers_k=2)


def test_medians_of_territories_are_insee_s_or_labelled_estimates(melodi_build, client, settings):
    from pvd.diagnostics.selectors import territory_values

    def median(level, code):
        found = [
            (v.value, v.status)
            for v in territory_values(level=level, code=code)
            if v.indicator == "revenu_median" and v.millesime == 2021
        ]
        return found[0] if found else None

    # In the file: INSEE's own figures, whatever share of the EPCI its communes cover (48140
    # holds 38 % of the CC des Terres d'Apcher-Margeride-Aubrac).
    assert median("EPCI", "200069185") == (20500.0, "insee")
    assert median("DEP", "48") == (20760.0, "insee")
    assert median("REG", "76") == (21900.0, "insee")
    assert median("FR", "FR") == (23160.0, "insee_metropole")
    # Not in the file: Mende (12,464 of 15,780 inhabitants, 79 %) makes an estimate of its CC...
    assert median("EPCI", "244800405") == (19870.0, "estimation")
    # ...but Florac Trois Rivières (2,100 of 6,908, 30 %) does not make one of its own.
    assert median("EPCI", "200069151") is None

    settings.ALLOWED_HOSTS = ["testserver"]
    api = client.get("/api/v1/territoires/epci/244800405/indicateurs").json()
    row = next(v for v in api["valeurs"] if v["indicateur"] == "revenu_median")
    assert (row["valeur"], row["statut"], row["statut_libelle"]) == (
        19870.0,
        "estimation",
        "estimation",
    )
    api = client.get("/api/v1/territoires/departement/48/indicateurs").json()
    row = next(v for v in api["valeurs"] if v["indicateur"] == "revenu_median")
    assert (row["valeur"], row["statut"]) == (20760.0, "insee")
    html = client.get("/communes/48095/portrait/").content.decode()
    assert "19\u202f870 (estimation)" in html  # the CC's estimate, said so
    assert "20\u202f760 (INSEE)" in html  # Lozère: INSEE's figure
    assert "23\u202f160 (INSEE, métropole)" in html
    assert "« estimation » : l&#x27;INSEE ne donne pas la valeur de ce territoire" in html
    text = client.get("/communes/48095/portrait.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    status = {r["niveau"]: r["statut_valeur"] for r in rows if r["indicateur"] == "revenu_median"}
    assert status == {
        "COM": "",
        "EPCI": "estimation",
        "DEP": "valeur INSEE",
        "REG": "valeur INSEE",
        "FR": "valeur INSEE (France métropolitaine)",
    }


def test_published_figures_of_unknown_territories_are_reported_not_kept(referential, tmp_path):
    SourceTable.objects.filter(kind="filosofi").delete()
    lines = MELODI.read_text(encoding="utf-8").splitlines()
    path = tmp_path / MELODI.name
    extra = "999999999;EPCI;MED_SL;EUR_YR;0;F;A;2021;21000"  # a SIREN the referential lacks
    path.write_text("\n".join([*lines, extra]) + "\n", encoding="utf-8")
    report = indicator_source_import(kind="filosofi", path=path)
    assert report.skipped["valeurs publiées de territoires EPCI inconnus du référentiel"] == 1
    table = "valeurs publiées des territoires (EPCI, départements…)"
    assert counts(report, table) == (6, 0, 0, 0)
    assert "999999999" not in set(published_frame().get_column("code"))
    # INSEE revises Lozère's median: one published figure updated, the others unchanged.
    path.write_text(
        "\n".join(
            line.replace(
                "48;DEP;MED_SL;EUR_YR;0;F;A;2021;20760", "48;DEP;MED_SL;EUR_YR;0;F;A;2021;20790"
            )
            for line in lines
        )
        + "\n",
        encoding="utf-8",
    )
    again = indicator_source_import(kind="filosofi", path=path)
    assert counts(again, table) == (0, 1, 5, 0)
    assert counts(again) == (0, 0, 6, 0)  # the commune observations did not change


def test_bpe_counts_are_zero_only_in_the_departments_the_file_covers(referential):
    SourceTable.objects.filter(kind="bpe").delete()
    indicator_source_import(kind="bpe", path=DATA / "bpe" / "bpe24_une_ligne_par_equipement.csv")
    values = build(["boulangeries"])
    got = pick(values, "boulangeries")
    assert got[("48140", 2024)] == 2  # two B203 rows
    assert got[("48002", 2024)] == 0  # Lozère is in the file: no bakery listed, none
    assert not any(code.startswith("01") for code, _ in got)  # Ain is not: missing, not 0
