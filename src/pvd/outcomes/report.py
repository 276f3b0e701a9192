"""The analysis shaped for pages, API and CLI: one summary per scope, breakdown rows, the
balance table and a laureate's own trajectory against its matched towns. No database read
(everything comes from ``services.Computed``), and the stored forms of `pvd outcomes show`
(``summary_of``: see :mod:`pvd.outcomes.stored`)."""

from __future__ import annotations

from pvd.domain.outcomes import DIMENSIONS, Estimate, reading
from pvd.domain.outcomes.matching import BAND_LABELS, COVARIATE_LABELS
from pvd.outcomes import services, stored
from pvd.outcomes.services import Computed


def label_of(c: Computed, dimension: str | None, value: str | None) -> str:
    if dimension is None:
        return "France (territoires couverts)"
    name = c.outcomes.labels.get(dimension, {}).get(value or "", value)
    if dimension == "ort":  # its labels name the ORT already (« ORT signée »)
        return name[:1].upper() + name[1:]
    return (
        f"{DIMENSIONS[dimension]} : {name}" if dimension in ("signature", "bande") else name
    )


def estimate_dict(
    c: Computed, est: Estimate, dimension: str | None = None, value: str | None = None
) -> dict:
    o = c.outcomes
    years = o.after - o.before
    return {
        "perimetre": f"{dimension}:{value}" if dimension else "france",
        "libelle": label_of(c, dimension, value),
        "indicateur": "population",
        "definition": "100 × ln(population après / population avant) : évolution en % sur la période",
        "avant": o.before,
        "apres": o.after,
        **est.as_dict(),
        "effet_par_an": est.effet / years if est.effet is not None else None,
        "fragile": est.fragile,
        "lecture": reading(est, before=o.before, after=o.after),
    }


def summary(c: Computed, dimension: str | None = None, value: str | None = None) -> dict | None:
    """None when the scope is unknown or holds no matched laureate."""
    if c.outcomes is None:
        return None
    est = c.outcomes.estimate(dimension, value)
    if est is None:
        return None
    return estimate_dict(c, est, dimension, value)


def placebo(c: Computed) -> dict | None:
    """The same comparison before the programme (2019 -> 2020): a check of the design."""
    o = c.outcomes
    if o is None or o.placebo is None or o.placebo.effet is None:
        return None
    est = o.placebo
    text = reading(est, before=o.before, after=o.placebo_after)
    verdict = (
        "Les lauréats s'écartaient déjà de leurs villes comparables avant le programme : l'écart "
        "mesuré ensuite ne peut pas lui être attribué."
        if est.significatif
        else "Pas d'écart significatif avant le programme sur cette période."
    )
    return {
        "avant": o.before,
        "apres": o.placebo_after,
        **est.as_dict(),
        "lecture": text,
        "conclusion": verdict,
    }


def breakdown(c: Computed, dimension: str) -> list[dict]:
    if c.outcomes is None or dimension not in DIMENSIONS:
        return []
    return [
        estimate_dict(c, est, dimension, value)
        for value, est in c.outcomes.breakdowns.get(dimension, {}).items()
    ]


def design(c: Computed) -> dict:
    m = c.outcomes.matching
    reasons: dict[str, int] = {}
    for r in m.unmatched.values():
        reasons[r] = reasons.get(r, 0) + 1
    return {
        "laureats": m.laureates,
        "apparies": m.matched,
        "villes_comparables": m.comparables,
        "pool": m.pool,
        "voisins": m.k,
        "avec_remise": m.replace,
        "caliper_logit": m.caliper,
        "non_apparies": reasons,
        "covariables": m.covariates,
        "covariables_libelles": [COVARIATE_LABELS.get(v, v) for v in m.covariates],
        "centralite": c.level_sources,
        "acv_exclues": c.acv_excluded,
        "couverture": c.covered,
        "listes": c.lists,
    }


def balance(c: Computed) -> list[dict]:
    return c.outcomes.matching.balance if c.outcomes else []


def town(c: Computed, code: str) -> dict | None:
    """A laureate's trajectory against its matched towns; for another commune, the laureates
    it serves as a comparable town (role "comparable") or none (role "hors")."""
    o = c.outcomes
    if o is None:
        return None
    pairs = o.matching.pairs.filter(o.matching.pairs["laureat"] == code)
    if pairs.is_empty():
        reason = o.matching.unmatched.get(code)
        if reason:
            return {"code": code, "apparie": False, "role": "laureat", "raison": reason}
        served = o.matching.pairs.filter(o.matching.pairs["comparable"] == code)
        names = dict(o.series.select("code", "nom").iter_rows())
        return {
            "code": code,
            "apparie": False,
            "role": "comparable" if served.height else "hors",
            "laureats": [
                {"code": x, "nom": names.get(x, x)}
                for x in sorted(set(served.get_column("laureat").to_list()))
            ],
        }
    series = {r["code"]: r for r in o.series.iter_rows(named=True)}
    me = series[code]
    # The vintages the laureate has (2017 is Mayotte's only).
    years = [v for v in o.vintages if me.get(f"pop_{v}") is not None]
    cols = [f"pop_{v}" for v in years]
    matches = [series[x] for x in pairs.get_column("comparable").to_list() if x in series]
    row = o.towns.filter(o.towns["laureat"] == code)
    effect = row.row(0, named=True) if row.height else None

    def index(r: dict) -> list[float | None]:
        base = r.get(f"pop_{o.before}")
        return [100 * r[col] / base if base and r[col] is not None else None for col in cols]

    mean_index = []
    for i in range(len(cols)):
        vals = [index(m)[i] for m in matches if index(m)[i] is not None]
        mean_index.append(sum(vals) / len(vals) if vals else None)
    return {
        "code": code,
        "nom": me["nom"],
        "apparie": True,
        "role": "laureat",
        "millesimes": years,
        "population": [me[col] for col in cols],
        "indice": index(me),
        "indice_comparables": mean_index,
        "variation_laureat": effect["variation_laureat"] if effect else None,
        "variation_comparables": effect["variation_comparables"] if effect else None,
        "effet": effect["effet"] if effect else None,
        "comparables": [
            {
                "code": m["code"],
                "nom": m["nom"],
                "departement": m["dep"],
                "population": [m[col] for col in cols],
                "indice": index(m),
            }
            for m in matches
        ],
        "bande": BAND_LABELS.get(effect["bande"], "") if effect else "",
    }


def provenance(c: Computed) -> dict:
    """The sources (name, publisher, vintage, licence) and the caveats every output carries."""
    return {"sources": c.sources, "precautions": c.caveats}


def source_rows(c: Computed) -> list[list[str]]:
    """The trailing lines of a CSV, as the platform's other exports end theirs (a blank line,
    then one "Source : ..." line per source), followed by the caveats."""
    from pvd.outcomes.selectors import source_line

    return [
        [],
        *[[f"Source : {source_line(s)}"] for s in c.sources],
        *[[f"Précaution : {x}"] for x in c.caveats],
    ]


# --- Stored forms (pvd.outcomes.stored): what `pvd outcomes show` prints, without the frames ---


def summary_of(c: Computed) -> stored.Summary:
    """Every part of ``c`` that `pvd outcomes show` prints but a commune's trajectory."""
    import uuid

    token = uuid.uuid4().hex[:12]
    if c.outcomes is None:
        return stored.Summary(
            available=False, reason=c.reason, token=token, dimensions=tuple(DIMENSIONS)
        )
    return stored.Summary(
        available=True,
        reason=c.reason,
        token=token,
        dimensions=tuple(DIMENSIONS),
        france=summary(c),
        breakdowns={dim: breakdown(c, dim) for dim in DIMENSIONS},
        placebo=placebo(c),
        design=design(c),
        balance=balance(c),
        provenance=provenance(c),
        source_rows=source_rows(c),
    )


def stored_summary() -> stored.Summary:
    """The stored summary of the current analysis, built (and the analysis computed) when none."""
    return stored.shared(("summary",), lambda: summary_of(services.outcomes_compute()))


def store_summary(c: Computed) -> None:
    """Store the summary of ``c``, just computed again (`pvd outcomes compute`)."""
    stored.put(("summary",), summary_of(c))


def stored_town(s: stored.Summary, code: str) -> dict | None:
    """``town`` of the analysis behind ``s``, stored for the next command."""
    return stored.shared(s.town_parts(code), lambda: town(services.outcomes_compute(), code))
