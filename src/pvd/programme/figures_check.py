"""Reads for the published-figures check: the registry as :mod:`pvd.domain.claims` reads it,
and the laureates of each loaded vintage of the list.

Vintages: the registry keeps only the current state, but every import writes its changes to
the history (``Changement``: creations and status changes of laureates, at the import's time)
and records the list (``ListeImportee``: file, millésime, coverage, time). Replaying the history
up to each list's time gives the communes that list left active, so a claim can say which
vintage it matches ("conforme à la liste de janvier 2021, pas à celle de 2024").
"""

from __future__ import annotations

import re

from pvd import caching
from pvd.domain import claims
from pvd.domain.coverage import Coverage
from pvd.domain.programme import LaureateFacts
from pvd.programme.coverage import ort_coverage, registry_coverage
from pvd.programme.models import Changement, Laureat, ListeImportee, Programme
from pvd.programme.registry_reads import (
    chef_known,
    datasets_of,
    facts_by_pk,
    laureate_facts,
    registry_version,
)
from pvd.programme.territory_totals import territories_for_figures

MONTHS = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
).split()


def vintage_label(millesime: str, fichier: str) -> str:
    """ "2021-01" -> "janvier 2021"; "2024" -> "2024"; else the file's name."""
    m = re.search(r"((?:19|20)\d{2})(?:[-_ ]?(0[1-9]|1[0-2]))?(?!\d)", millesime or fichier)
    if not m:
        return millesime or fichier
    year, month = m.group(1), m.group(2)
    return f"{MONTHS[int(month) - 1]} {year}" if month else year


def _all_facts(programme: Programme) -> dict[int, LaureateFacts]:
    """Every laureate of the programme (active or not), by primary key."""
    return facts_by_pk(Laureat.objects.filter(programme=programme))


def vintages_of(programme: Programme) -> list[claims.Vintage]:
    """The laureates each imported list left active (oldest list first); one per millésime
    (the last import of a millésime wins)."""
    lists = list(
        ListeImportee.objects.filter(
            programme=programme, nature=ListeImportee.Nature.LAUREATS
        ).order_by("at", "pk")
    )
    if len(lists) < 2:
        return []
    facts = _all_facts(programme)
    changes = Changement.objects.filter(programme=programme, objet="laureat").order_by("at", "pk")
    active: dict[int, bool] = {}
    it = iter(changes.values_list("at", "objet_id", "action", "changes"))
    pending = next(it, None)
    by_label: dict[str, claims.Vintage] = {}
    for lst in lists:
        while pending is not None and pending[0] <= lst.at:
            _, pk, action, diff = pending
            if action == Changement.Action.SUPPRESSION:
                active.pop(pk, None)
            elif "statut" in diff:
                active[pk] = diff["statut"][1] == Laureat.Statut.ACTIF
            elif action == Changement.Action.CREATION:
                active[pk] = True
            pending = next(it, None)
        coverage = Coverage(
            regions=frozenset(lst.regions),
            departements=frozenset(lst.departements),
            national=lst.national,
        )
        rows = [facts[pk] for pk, on in active.items() if on and pk in facts]
        label = vintage_label(lst.millesime, lst.fichier)
        by_label.pop(label, None)
        by_label[label] = claims.Vintage(label, rows, coverage)
    return list(by_label.values()) if len(by_label) > 1 else []


# Part of the stored registry's key: bump when claims.Registry or what fills it changes.
REGISTRY_FORMAT = "1"


def registry_of(programme: Programme) -> claims.Registry:
    """The registry as the check reads it, built once for every process (shared cache) per data
    version (the registry's imports and edits, the referential's loads replace it) and state of
    the registry and the referential (``registry_version``: counts and latest changes, four cheap
    queries, against a write that would not replace the version); in a database of its own (one
    data dir may serve SQLite and PostgreSQL). Reading it back costs a few milliseconds; building
    it, the facts of every laureate and the replay of the lists' vintages, a tenth of a second."""
    database = caching.database_identity()
    if database is None:
        return _registry_of(programme)
    key = ("figures-registry", REGISTRY_FORMAT, database, *registry_version(programme))
    return caching.shared(key, lambda: _registry_of(programme))


def _registry_of(programme: Programme) -> claims.Registry:
    return claims.Registry(
        rows=laureate_facts(programme),
        territories=territories_for_figures(),
        coverage=registry_coverage(programme),
        cadre_coverage=ort_coverage(),
        chef_known=chef_known(programme),
        vintages=vintages_of(programme),
    )


def sources_of(programme: Programme) -> list[dict]:
    return [
        {
            "titre": d.title,
            "producteur": d.publisher,
            "millesime": d.vintage,
            "licence": d.licence,
        }
        for d in datasets_of(programme)
    ]


def text_check(*, programme: Programme, text: str) -> claims.Report:
    """Every claim of ``text`` against the registry of ``programme`` (reads only)."""
    return claims.check_text(text, registry_of(programme))


def text_check_json(*, programme: Programme, text: str) -> dict:
    """The JSON shared by the API, the CLI and the page."""
    return claims.report_dict(text_check(programme=programme, text=text), sources_of(programme))
