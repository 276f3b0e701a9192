"""Issue 14, checks in pure Python: coverage (never "contredit" where no list speaks), internal
consistency of totals and parts, vintages, claims that cannot be understood."""

from __future__ import annotations

import pytest

from pvd.domain import claims
from pvd.domain.coverage import Coverage
from pvd.domain.programme import LaureateFacts

T = claims.Territories(
    regions={"75": "Nouvelle-Aquitaine", "84": "Auvergne-Rhône-Alpes"},
    departements={"23": "Creuse", "19": "Corrèze", "87": "Haute-Vienne", "01": "Ain"},
    region_of={"23": "75", "19": "75", "87": "75", "01": "84"},
)


def rows(**counts: int) -> list[LaureateFacts]:
    region = T.region_of
    return [
        LaureateFacts(f"{d[1:]}{i:03d}", f"C{i}", d[1:], region[d[1:]], 1000, f"g{d}{i // 2}")
        for d, n in counts.items()
        for i in range(n)
    ]


ROWS_2024 = rows(d23=5, d19=3, d87=2)
ROWS_2021 = rows(d23=4, d19=3, d87=2)
COVER_75 = Coverage(regions=frozenset({"75"}))


def _check(text, **kw):
    reg = claims.Registry(kw.pop("rows", ROWS_2024), T, coverage=COVER_75, **kw)
    return claims.check_text(text, reg)


@pytest.mark.parametrize(
    ("text", "statuses"),
    [
        ("10 communes en Nouvelle-Aquitaine", [claims.CONFIRMED]),
        ("12 communes en Nouvelle-Aquitaine", [claims.CONTRADICTED]),
        ("près de 10 communes en Nouvelle-Aquitaine", [claims.CONFIRMED]),
        ("près de 11 communes en Nouvelle-Aquitaine", [claims.CONTRADICTED]),  # 10.45 to 11.55
        ("500 communes dans l'Ain", [claims.NOT_VERIFIABLE]),  # no list covers region 84
        ("0 commune dans l'Ain", [claims.NOT_VERIFIABLE]),
        ("3 communes en Auvergne-Rhône-Alpes", [claims.NOT_VERIFIABLE]),
        ("8 communes", [claims.CONTRADICTED]),  # France: already 10 in the covered region
        ("plus de 8 communes", [claims.CONFIRMED]),
        ("12 communes", [claims.NOT_VERIFIABLE]),
        ("50 % des groupes", [claims.NOT_UNDERSTOOD]),
        ("5 communes en région 99", [claims.NOT_UNDERSTOOD]),
        ("Rien à vérifier ici.", [claims.NOT_UNDERSTOOD]),
    ],
)
def test_verdicts(text, statuses):
    report = _check(text)
    assert [v.status for v in report.verdicts] == statuses, [v.message for v in report.verdicts]


def test_about_tolerance_is_stated():
    (v,) = _check("environ 10,5 communes en Nouvelle-Aquitaine").verdicts
    # ±5 % of 10.5 is 0.525: 9.975 to 11.025, said in the message.
    assert v.status == claims.CONFIRMED
    assert "tolérance : ± 5 % (« environ ») : de 9,97 à 11,03" in v.message
    assert "l'énoncé dit environ 10,5 " in v.message


@pytest.mark.parametrize(
    ("text", "consistent", "total", "parts"),
    [
        # Parts above their total.
        ("10 communes en Nouvelle-Aquitaine, dont 6 en Creuse et 5 en Corrèze.", False, 10, 11),
        # Every department of the region, adding up to less than the region's figure.
        (
            "10 communes en Nouvelle-Aquitaine, dont 4 en Creuse, 3 en Corrèze et 2 en "
            "Haute-Vienne.",
            False,
            10,
            9,
        ),
        # Some departments only: fewer than the total is fine.
        ("10 communes en Nouvelle-Aquitaine, dont 5 en Creuse.", True, 10, 5),
        # Shared numbers count once per territory.
        ("10 communes en Nouvelle-Aquitaine, dont 3 en Corrèze et en Creuse.", True, 10, 6),
        # Bounds: "plus de" parts are not above "environ 10" unless their lower sum is.
        ("environ 10 communes en Nouvelle-Aquitaine, dont plus de 4 en Creuse.", True, 10, 4),
    ],
)
def test_parts_against_their_total(text, consistent, total, parts):
    (c,) = _check(text).consistency
    assert (c.consistent, c.total_value, c.parts_sum) == (consistent, total, parts), c.message
    assert ("Incohérence interne" in c.message) is not consistent


def test_vintages_say_which_list_a_claim_matches():
    vintages = [
        claims.Vintage("janvier 2021", ROWS_2021, COVER_75),
        claims.Vintage("2024", ROWS_2024, COVER_75),
    ]
    creuse, correze = _check("4 communes en Creuse. 3 en Corrèze.", vintages=vintages).verdicts
    assert creuse.status == claims.CONTRADICTED
    assert creuse.message.endswith("Conforme à la liste de janvier 2021, pas à celle de 2024.")
    assert [(m.label, m.status, m.value) for m in creuse.vintages] == [
        ("janvier 2021", claims.CONFIRMED, 4),
        ("2024", claims.CONTRADICTED, 5),
    ]
    assert correze.message.endswith("Conforme à chaque liste chargée (janvier 2021, 2024).")


def test_highlighted_segments_cover_the_text():
    text = "Dont acte : 10 communes en Nouvelle-Aquitaine, dont 3 en Corrèze et en Creuse."
    report = _check(text)
    segs = claims.segments(report)
    assert "".join(s.text for s in segs) == text
    marked = [(s.text, s.slug, s.claims) for s in segs if s.status]
    assert marked == [
        ("10 communes", "confirme", (1,)),
        ("en Nouvelle-Aquitaine", "confirme", (1,)),
        ("3", "contredit", (2, 3)),  # the worst of Corrèze (confirmed) and Creuse (5)
        ("en Corrèze", "confirme", (2,)),
        ("en Creuse", "contredit", (3,)),
    ]
    data = claims.report_dict(report)
    assert data["resume"] == {
        claims.CONTRADICTED: 1,
        claims.NOT_UNDERSTOOD: 0,
        claims.NOT_VERIFIABLE: 0,
        claims.CONFIRMED: 2,
    }
    assert data["affirmations"][2]["position_territoire"] == [
        text.index("en Creuse"),
        text.index("en Creuse") + len("en Creuse"),
    ]
