"""Output schemas of the territorial referential API (v1).

Codes are always strings ("01001", "2A004", "97105"); populations are legal populations
(population municipale) with their census vintage (millésime); every figure comes with the
dataset it was read from (title, publisher, licence, vintage).
"""

from __future__ import annotations

from ninja import Schema


class ErrorOut(Schema):
    detail: str


class SourceOut(Schema):
    title: str
    publisher: str
    licence: str
    vintage: str
    url: str


class RefOut(Schema):
    """A department, region or arrondissement, by code and name."""

    code: str
    nom: str


class EpciRefOut(Schema):
    siren: str
    nom: str
    type: str
    type_libelle: str


class PopulationOut(Schema):
    millesime: int
    population: int


class CommuneHitOut(Schema):
    code: str
    type: str
    type_libelle: str
    nom: str
    departement: str
    departement_nom: str
    population: int | None
    parent_code: str | None
    parent_nom: str | None
    match: str
    url: str


class SubdivisionOut(Schema):
    code: str
    type: str
    type_libelle: str
    nom: str
    population: int | None


class CommuneOut(Schema):
    code: str
    type: str
    type_libelle: str
    nom: str
    siren: str | None
    codes_postaux: list[str]
    departement: RefOut
    region: RefOut
    arrondissement: RefOut | None
    epci: EpciRefOut | None
    parent: RefOut | None
    subdivisions: list[SubdivisionOut]
    population: PopulationOut | None
    populations: list[PopulationOut]
    source: SourceOut | None
    url: str


class CommuneRowOut(Schema):
    code: str
    nom: str
    departement: str
    population: int | None
    url: str


class TotalsOut(Schema):
    nb_communes: int
    population: int | None
    population_millesimes: list[int]


class DepartementOut(Schema):
    code: str
    nom: str
    region: RefOut
    totaux: TotalsOut
    url: str


class DepartementDetailOut(DepartementOut):
    communes: list[CommuneRowOut]
    source: SourceOut | None


class RegionOut(Schema):
    code: str
    nom: str
    totaux: TotalsOut
    url: str


class RegionDetailOut(RegionOut):
    departements: list[DepartementOut]
    source: SourceOut | None


class EpciOut(Schema):
    siren: str
    nom: str
    type: str
    type_libelle: str
    totaux: TotalsOut
    membres: list[CommuneRowOut]
    source: SourceOut | None
