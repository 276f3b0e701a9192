"""The file contracts (pvd.sources.contracts): one commune-code pattern, one missing-columns
error, one engine naming file, line and column."""

from __future__ import annotations

import polars as pl
import pytest

from pvd.sources import contracts
from pvd.sources.contracts import COMMUNE_CODE, CONTRACTS, Column, Contract, commune
from pvd.sources.tabular import (
    DUPLICATE_KEY,
    INVALID_CODE,
    INVALID_VALUE,
    MISSING_COLUMN,
    ErrorCollector,
    SourceRowErrors,
)


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("01001", True),  # Abergement-Clémenciat
        ("2A004", True),  # Ajaccio
        ("2B033", True),  # Bastia
        ("97411", True),  # Saint-Denis (La Réunion)
        ("97608", True),  # Dzaoudzi (Mayotte)
        ("75101", True),  # Paris 1er arrondissement (ARM)
        ("69381", True),  # Lyon 1er arrondissement (ARM)
        ("1001", False),  # leading zero lost
        ("010010", False),
        ("2C004", False),
        ("0A001", False),
        ("2a004", False),
        ("", False),
        ("01 001", False),
        ("０１００１", False),  # full-width digits
    ],
)
def test_one_commune_code_pattern(code, valid):
    assert bool(COMMUNE_CODE.match(code)) is valid
    frame = pl.DataFrame({"c": [code]})
    assert frame.filter(pl.col("c").str.contains(contracts.COMMUNE_CODE_PATTERN)).height == valid


def test_the_readers_share_the_pattern():
    from pvd.sources import cog, geo, population, pvd_list

    for module in (cog, geo, population, pvd_list):  # the ORT list reads through pvd_list's
        assert module.COMMUNE_CODE is COMMUNE_CODE


@pytest.mark.parametrize(
    ("header", "found"),
    [
        (["insee_com", "lib_com", "niveau_centralite"], {"insee_com", "niveau_centralite"}),
        (["CODGEO", "NIVEAU_CENTRALITE"], {"insee_com", "niveau_centralite"}),
        ([" Com ", "Typo centralité 2020"], {"insee_com", "niveau_centralite"}),
    ],
)
def test_resolve_accepts_aliases_and_case(header, found):
    resolved = CONTRACTS["centralite"].resolve(header, path="f.csv", separator=",")
    assert set(resolved) == found
    assert all(v in header for v in resolved.values())


@pytest.mark.parametrize(
    ("name", "header", "message"),
    [
        (
            "centralite",
            ["insee_com", "lib_com"],
            "colonne manquante : niveau_centralite (format attendu : "
            "insee_com,lib_com,niveau_centralite ; en-tête lu : insee_com;lib_com)",
        ),
        (
            "bpe",
            ["DEP", "AN"],
            "colonnes manquantes : DEPCOM, TYPEQU (format attendu : "
            "BPE ensemble, …;DEPCOM;…;TYPEQU;…[;NB_EQUIP] ; en-tête lu : DEP;AN)",
        ),
        (
            "typologie",
            ["insee_com", "lib_com"],
            "colonne manquante : niveau_densite|niveau_ruralite|niveau_montagne (format attendu "
            ": insee_com,lib_com,niveau_densite, niveau_ruralite ou niveau_montagne ; en-tête "
            "lu : insee_com;lib_com)",
        ),
    ],
)
def test_one_missing_columns_error(name, header, message):
    with pytest.raises(SourceRowErrors) as caught:
        CONTRACTS[name].resolve(header, path="f.csv", separator=";")
    error = caught.value
    assert error.code == MISSING_COLUMN
    assert error.errors[0].message == message
    assert (error.errors[0].line, error.errors[0].column) == (
        1,
        message.split(" : ")[1].split()[0].rstrip(","),
    )
    assert str(error).startswith("f.csv")


def test_check_names_line_column_and_value():
    frame = pl.DataFrame(
        {
            "DEPCOM": ["01001", " 2A004 ", "1001", "01001"],
            "TYPEQU": ["A101", "A101", "Z999", "B201"],
            "NB_EQUIP": ["1", "2,5", "-1", "1e3"],
        }
    )
    errors = ErrorCollector("bpe.csv")
    found = CONTRACTS["bpe"].resolve(frame.columns, path="bpe.csv", separator=";")
    CONTRACTS["bpe"].check(frame, found, errors)
    got = [(e.code, e.line, e.column, e.message) for e in errors.errors]
    assert got == [
        (INVALID_CODE, 4, "DEPCOM", "code commune invalide « 1001 »"),
        (INVALID_CODE, 4, "TYPEQU", "type d'équipement invalide « Z999 »"),
        (INVALID_VALUE, 3, "NB_EQUIP", "nombre d'équipements invalide « 2,5 »"),
        (INVALID_VALUE, 4, "NB_EQUIP", "nombre d'équipements invalide « -1 »"),
        (INVALID_VALUE, 5, "NB_EQUIP", "nombre d'équipements invalide « 1e3 »"),
    ]


def test_check_codes_unique_and_limited():
    frame = pl.DataFrame({"CODGEO": ["01001", "01002", "01001", *["x"] * 60]})
    with pytest.raises(SourceRowErrors) as caught:
        contracts.check_codes(frame, "CODGEO", "f.csv")
    errors = caught.value.errors
    assert errors[0].message == "code commune invalide « x »" and errors[0].line == 5
    assert len(errors) == 50  # the collector's limit; the message says "49+ autres"
    assert "(et 49+ autres erreurs)" in str(caught.value)
    frame = pl.DataFrame({"CODGEO": ["01001", "01002", "01001"]})
    with pytest.raises(SourceRowErrors) as caught:
        contracts.check_codes(frame, "CODGEO", "f.csv")
    assert [(e.code, e.line) for e in caught.value.errors] == [(DUPLICATE_KEY, 4)]


def test_hint_and_only():
    contract = Contract(
        "essai",
        "GEO;TIME_PERIOD",
        (
            commune("GEO"),
            Column("TIME_PERIOD", pattern=r"^[0-9]{4}$", what="année", hint="AAAA attendu"),
        ),
    )
    frame = pl.DataFrame({"GEO": ["bad"], "TIME_PERIOD": ["21"]})
    errors = ErrorCollector("f.csv")
    contract.check(
        frame, {"GEO": "GEO", "TIME_PERIOD": "TIME_PERIOD"}, errors, only=("TIME_PERIOD",)
    )
    assert [e.message for e in errors.errors] == ["année invalide « 21 » (AAAA attendu)"]


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_every_contract_is_documented(name):
    contract = CONTRACTS[name]
    assert contract.file and contract.layout
    for column in contract.columns:
        assert column.name
        if column.pattern or column.kind != contracts.TEXT:
            assert column.what, f"{name}.{column.name}: what the value is, for messages"
        if column.required:
            names = (column.name, *column.aliases)
            assert any(n.split("|")[0].lower() in contract.layout.lower() for n in names)
