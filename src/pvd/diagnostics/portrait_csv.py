"""A portrait as CSV rows: every figure, one row per territory and millésime, with its source,
millésime and licence (the portrait's "télécharger les données")."""

from __future__ import annotations

from pvd.diagnostics.selectors import Portrait


def csv_rows(p: Portrait) -> list[list[str]]:
    """Every figure of a portrait, one row per territory and millésime: raw numbers (None when
    missing), written in the CSV variant asked for by :mod:`pvd.formats.csv_fr`."""
    header = [
        "indicateur",
        "libelle",
        "theme",
        "unite",
        "millesime",
        "niveau",
        "code_territoire",
        "territoire",
        "valeur",
        "percentile_communes",
        "source",
        "millesime_source",
        "licence",
        "statut_valeur",  # "estimation" or "valeur INSEE" for aggregates of medians, else empty
    ]
    rows = [header]
    for f in p.figures:
        ind = f.indicator
        src = f.source
        base = [ind.id, ind.label, ind.theme_label, ind.unit]
        tail = [
            src.title if src else ind.source,
            src.vintage if src else ind.vintage,
            src.licence if src else ind.licence,
        ]
        if not f.available:
            rows.append(base + ["", "COM", p.commune.code, p.commune.nom, "", "", *tail, ""])
            continue
        for year, value in f.series:
            pct = f.percentile if year == f.millesime else None
            rows.append(
                base
                + [str(year), "COM", p.commune.code, p.commune.nom, _num(value), _num(pct)]
                + [*tail, ""]
            )
        for c in f.comparisons:
            code = p.territories.get(c.level, ("", ""))[0] if c.level != "PEERS" else ""
            rows.append(
                base
                + [str(f.millesime), c.level, code, c.label, _num(c.value), "", *tail]
                + [c.status_label]
            )
    return rows


def _num(value: float | None) -> float | None:
    """Six significant digits, as the portrait shows them (no float noise in the file)."""
    return None if value is None else float(f"{value:.6g}")
