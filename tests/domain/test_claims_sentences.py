"""Issue 14: French sentences written for the figures check, with the claims expected from each.

Each expected claim is written ``VALUE MEASURE @TERRITORY BOUND [^TOTAL]``: the territory is a
region or department code (``@FR`` for France, ``@!`` for an unknown code), the bound ``=``
exact, ``~`` approximate (±5 %), ``r`` rounded (decimals), ``>``/``<`` strict and ``>=``/``<=``
inclusive bounds, and ``^N`` says the claim is a part of claim N (0-based)."""

from __future__ import annotations

import math

import pytest

from pvd.domain import claims
from pvd.domain.claims.numbers import words_value

T = claims.Territories(
    regions={
        "75": "Nouvelle-Aquitaine",
        "84": "Auvergne-Rhône-Alpes",
        "53": "Bretagne",
        "94": "Corse",
        "76": "Occitanie",
        "04": "La Réunion",
        "28": "Normandie",
        "11": "Île-de-France",
    },
    departements={
        "01": "Ain",
        "23": "Creuse",
        "33": "Gironde",
        "16": "Charente",
        "17": "Charente-Maritime",
        "86": "Vienne",
        "87": "Haute-Vienne",
        "40": "Landes",
        "46": "Lot",
        "47": "Lot-et-Garonne",
        "73": "Savoie",
        "74": "Haute-Savoie",
        "69": "Rhône",
        "38": "Isère",
        "2A": "Corse-du-Sud",
        "2B": "Haute-Corse",
        "974": "La Réunion",
        "29": "Finistère",
        "14": "Calvados",
        "64": "Pyrénées-Atlantiques",
        "13": "Bouches-du-Rhône",
        "75": "Paris",
    },
    region_of={"01": "84", "73": "84", "74": "84", "69": "84", "38": "84", "23": "75"},
)

SENTENCES = [
    # Numbers in digits, units.
    ("226 communes sont lauréates.", ["226 communes @FR ="]),
    ("Le programme compte 1 587 communes.", ["1587 communes @FR ="]),
    ("Le programme compte 1,587 communes.", ["1587 communes @FR ="]),
    ("Elles rassemblent 9,3 millions d'habitants.", ["9300000 population @FR r"]),
    ("Soit 2,5 millions d'habitants.", ["2500000 population @FR r"]),
    ("On dénombre 860 intercommunalités.", ["860 epci @FR ="]),
    ("1 587 communes dans 860 intercommunalités", ["1587 communes @FR =", "860 epci @FR ="]),
    ("Le programme accompagne 1 000 collectivités.", ["1000 groupes @FR ="]),
    ("Il y a 12 groupes en Bretagne.", ["12 groupes @53 ="]),
    ("On compte 11 500 habitants.", ["11500 population @FR ="]),
    ("11,5 milliers d'habitants", ["11500 population @FR r"]),
    # Numbers in words.
    ("Vingt-deux communes de la Creuse sont lauréates.", ["22 communes @23 ="]),
    ("Quatre-vingt-dix communes en Occitanie.", ["90 communes @76 ="]),
    ("Deux cent trente communes en Bretagne.", ["230 communes @53 ="]),
    ("Trois groupes en Corse.", ["3 groupes @94 ="]),
    ("Une commune dans le Lot.", ["1 communes @46 ="]),
    ("Soixante-dix-sept communes en Normandie.", ["77 communes @28 ="]),
    ("Mille deux cents communes au total.", ["1200 communes @FR ="]),
    ("Quinze villes du Calvados.", ["15 communes @14 ="]),
    # Approximations and bounds.
    ("Près de 180 communes de Nouvelle-Aquitaine.", ["180 communes @75 ~"]),
    ("Environ 1 600 communes.", ["1600 communes @FR ~"]),
    ("Quelque 200 communes en Occitanie.", ["200 communes @76 ~"]),
    ("Plus de 150 ORT ont été signées.", ["150 cadre @FR >"]),
    ("Moins de 20 communes en Corse.", ["20 communes @94 <"]),
    ("Au moins 30 chefs de projet recrutés.", ["30 chef_projet @FR >="]),
    ("Au plus 10 communes dans l'Ain.", ["10 communes @01 <="]),
    ("Presque 50 communes dans les Landes.", ["50 communes @40 ~"]),
    ("~ 30 communes en Gironde", ["30 communes @33 ~"]),
    ("about 5,000 inhabitants in department 01", ["5000 population @01 ~"]),
    ("more than 150 towns", ["150 communes @FR >"]),
    # Percentages.
    ("98 % ont signé leur convention d'adhésion.", ["98 adhesion @FR r"]),
    ("10 % de la population de la Creuse", ["10 population @23 r"]),
    ("75 pour cent des communes ont un chef de projet.", ["75 chef_projet @FR r"]),
    ("En Bretagne, 40 % des lauréates ont signé une convention-cadre.", ["40 cadre @53 r"]),
    # Territories: articles, prepositions, codes.
    ("22 dans la Creuse", ["22 communes @23 ="]),
    ("20 dans les Pyrénées-Atlantiques", ["20 communes @64 ="]),
    ("17 en Gironde", ["17 communes @33 ="]),
    ("5 communes de l'Ain", ["5 communes @01 ="]),
    ("8 communes du Lot", ["8 communes @46 ="]),
    ("8 communes du Lot-et-Garonne", ["8 communes @47 ="]),
    ("11 en Haute-Vienne", ["11 communes @87 ="]),
    ("14 dans la Vienne", ["14 communes @86 ="]),
    ("6 communes du département de la Creuse", ["6 communes @23 ="]),
    ("4 communes à La Réunion", ["4 communes @974 ="]),
    ("3 communes en Corse-du-Sud", ["3 communes @2A ="]),
    ("3 communes en Haute-Corse", ["3 communes @2B ="]),
    ("226 communes en région 84", ["226 communes @84 ="]),
    ("22 dans le département 01", ["22 communes @01 ="]),
    ("Finistère (29) : 1 commune", ["1 communes @29 ="]),
    ("Auvergne-Rhône-Alpes 226", ["226 communes @84 ="]),
    ("5 communes en région 99", ["5 communes @! ="]),
    ("12 communes dans le département 75", ["12 communes @75 ="]),
    ("Le lot de 12 communes", ["12 communes @FR ="]),  # "lot" without a capital
    ("En Île-de-France, 45 communes sont lauréates.", ["45 communes @11 ="]),
    # Enumerations sharing one number.
    (
        "14 en Savoie, dans le Rhône et en Isère",
        ["14 communes @73 =", "14 communes @69 =", "14 communes @38 ="],
    ),
    (
        "18 dans les Deux-Sèvres et le Lot-et-Garonne, 17 en Gironde",
        ["18 communes @47 =", "17 communes @33 ="],  # Deux-Sèvres is not in this referential
    ),
    ("9 en Savoie et en Haute-Savoie", ["9 communes @73 =", "9 communes @74 ="]),
    # Totals with their parts.
    (
        "226 communes en Auvergne-Rhône-Alpes, dont 32 dans l'Ain et 14 en Savoie.",
        ["226 communes @84 =", "32 communes @01 = ^0", "14 communes @73 = ^0"],
    ),
    (
        "201 sont issues de Nouvelle-Aquitaine, dont 22 dans la Creuse",
        ["201 communes @75 =", "22 communes @23 = ^0"],
    ),
    (
        "Sur 60 communes de Bretagne, dont 12 ont signé leur convention d'adhésion.",
        ["60 communes @53 =", "12 adhesion @53 = ^0"],
    ),
    (
        "Près de 180 communes de Nouvelle-Aquitaine sont concernées : 201 sont issues de la "
        "région, dont 22 dans la Creuse",
        ["180 communes @75 ~", "201 communes @75 =", "22 communes @23 = ^1"],
    ),
    # Context: the territory opening the sentence, anaphora, units carried over.
    (
        "En Bretagne, 42 communes sont lauréates et 12 groupes.",
        ["42 communes @53 =", "12 groupes @53 ="],
    ),
    ("Dans la Creuse, 22 communes ; dans le Lot, 5.", ["22 communes @23 =", "5 communes @46 ="]),
    (
        "La Gironde compte 16 communes. Le département en compte 16 aujourd'hui.",
        ["16 communes @33 =", "16 communes @33 ="],
    ),
    # Dates, years, ordinals are not figures.
    ("En 2024, 1 419 communes figurent sur la liste.", ["1419 communes @FR ="]),
    ("Le 15 mars 2021, 30 communes ont signé leur convention d'adhésion.", ["30 adhesion @FR ="]),
    ("La 1re vague compte 300 communes.", ["300 communes @FR ="]),
    ("Aucun chiffre ici.", []),
    ("Le programme a été lancé en octobre 2020.", []),
    # English statements keep working.
    ("3 communes in region 84", ["3 communes @84 ="]),
    ("9.3 million inhabitants", ["9300000 population @FR r"]),
    ("2 in department 01", ["2 communes @01 ="]),
]


def _expected(spec: str) -> tuple:
    parts = spec.split()
    value, measure, where, bound = float(parts[0]), parts[1], parts[2][1:], parts[3]
    total = int(parts[4][1:]) if len(parts) > 4 else None
    return value, measure, where, bound, total


def _bound(c: claims.Claim) -> str:
    if c.high == math.inf:
        return ">=" if c.low == c.value else ">"
    if c.low == -math.inf:
        return "<=" if c.high == c.value else "<"
    if c.low == c.high == c.value:
        return "="
    return "~" if c.qualifier else "r"


def _got(c: claims.Claim) -> tuple:
    where = "!" if c.error else (c.scope.code or "FR")
    return c.value, c.measure, where, _bound(c), c.total


def test_the_table_has_at_least_60_sentences():
    assert len(SENTENCES) >= 60


@pytest.mark.parametrize(("text", "expected"), SENTENCES, ids=[s for s, _ in SENTENCES])
def test_sentence_claims(text, expected):
    got = claims.extract(text, T)
    assert [_got(c) for c in got] == [_expected(e) for e in expected]
    for c in got:  # each claim keeps its span: the figure is in its words
        assert c.start < c.end and text[c.start : c.end].strip()


def test_spans_and_tolerance_wording():
    text = "Parmi près de 1000 collectivités, 14 en Savoie et en Isère."
    first, savoie, isere = claims.extract(text, T)
    assert first.words(text) == "près de 1000 collectivités"
    assert first.tolerance == "± 5 % (« près de ») : de 950 à 1\u202f050"
    assert text[savoie.scope_start : savoie.scope_end] == "en Savoie"
    assert text[isere.scope_start : isere.scope_end] == "en Isère"
    assert savoie.words(text) == isere.words(text) == "14"


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("vingt deux", 22),
        ("quatre vingt", 80),
        ("quatre vingt dix sept", 97),
        ("soixante et onze", 71),
        ("deux cent trente", 230),
        ("mille neuf cent", 1900),
        ("trois mille deux cent cinquante", 3250),
    ],
)
def test_french_number_words(words, value):
    assert words_value(words) == value
