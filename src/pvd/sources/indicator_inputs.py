"""The official files the portrait de ville's indicators read, one *kind* per importer.

Links the indicator catalogue (``Indicator.source``, a name of :mod:`pvd.sources.catalogue`) to
the parser that reads the file and to the command that loads it, so that an indicator whose
source is not loaded can name that command. Pure Python, no Django.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import polars as pl

from pvd.sources import cerema_naf, dgfip_comptes, insee_bpe, insee_census, insee_filosofi
from pvd.sources.insee_codgeo import ObservationFile


@dataclass(frozen=True)
class InputKind:
    kind: str  # used on the command line: pvd indicators import KIND FILE
    source: str  # name in pvd.sources.catalogue
    title: str  # French
    read: Callable[..., ObservationFile]
    additive: frozenset[str]  # variables that add up when communes merge
    # Variables computed from the stored observations when the build reads them (e.g. the
    # historical series' own census populations, see insee_census.series_population).
    derive: Callable[[pl.DataFrame], pl.DataFrame] | None = None

    @property
    def command(self) -> str:
        extra = " [--gammes GAMMES.csv]" if self.kind == "bpe" else ""
        return f"pvd indicators import {self.kind} FICHIER{extra}"


def _census(kind: str, source: str, title: str, derive=None) -> InputKind:
    return InputKind(
        kind,
        source,
        title,
        partial(insee_census.read_census, kind=kind),
        insee_census.ADDITIVE,
        derive,
    )


KINDS: dict[str, InputKind] = {
    k.kind: k
    for k in (
        _census(
            "historique",
            "insee-series-historiques-2022",
            "INSEE, séries historiques du recensement (population, superficie, naissances, "
            "décès, logements)",
            derive=insee_census.series_population,
        ),
        _census("logement", "insee-logement-2021", "INSEE, recensement : logement"),
        _census("ages", "insee-population-ages-2021", "INSEE, recensement : population par âge"),
        _census("emploi", "insee-emploi-2021", "INSEE, recensement : emploi et population active"),
        InputKind(
            "filosofi",
            "insee-filosofi-2021",
            "INSEE, Filosofi : revenus et pauvreté",
            insee_filosofi.read_filosofi,
            insee_filosofi.ADDITIVE,
        ),
        InputKind(
            "bpe",
            "insee-bpe-2024",
            "INSEE, Base permanente des équipements (BPE)",
            insee_bpe.read_bpe,
            frozenset({"*"}),
        ),
        InputKind(
            "naf",
            "cerema-conso-naf-2009-2023",
            "Cerema, consommation d'espaces naturels, agricoles et forestiers (fichiers fonciers)",
            cerema_naf.read_naf,
            cerema_naf.ADDITIVE,  # areas in m², they add up
        ),
        InputKind(
            "finances",
            "dgfip-comptes-communes",
            "DGFiP, comptes individuels des communes",
            dgfip_comptes.read_comptes,
            dgfip_comptes.ADDITIVE,  # amounts in euros and populations add up
        ),
    )
}
REFERENTIAL_SOURCE = "referentiel-territorial"


def kind_of_source(source: str) -> InputKind | None:
    return next((k for k in KINDS.values() if k.source == source), None)
