"""File contracts: the columns each official file carries, declared as data, and the one engine
that checks a file against its contract. Pure Python and polars, no Django.

A :class:`Contract` is a table of :class:`Column` rows (name, aliases, required, pattern or
kind) and the layout shown to users. The engine does two things, for every reader alike:

- :meth:`Contract.resolve`: find each column in the header (case and surrounding spaces
  ignored; aliases and "name contains" accepted); when required ones are absent, ONE error
  names them all, with the layout expected and the header read (line 1, first missing column:
  :func:`pvd.sources.tabular.missing_columns`);
- :meth:`Contract.check`: check the values of a polars frame of strings column by column
  (pattern, whole non-negative count, uniqueness) and add one error per bad value naming its
  line and column, in French, to an :class:`~pvd.sources.tabular.ErrorCollector`.

Readers keep only what no table can say (a vintage column that must hold one value, labels
mapped to levels...). INSEE codes are strings: there is one commune-code pattern,
:data:`pvd.domain.codes.COMMUNE_CODE` (``01001``, ``2A004``, ``97411``, municipal arrondissements ``75101``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

# The commune code (COG), from the one module of the territories' code patterns.
from pvd.domain.codes import COMMUNE_CODE, COMMUNE_CODE_PATTERN  # noqa: F401
from pvd.sources.columns import number_expr
from pvd.sources.tabular import (
    DUPLICATE_KEY,
    INVALID_CODE,
    INVALID_VALUE,
    ErrorCollector,
    missing_columns,
)

CODE = "code"  # a value matching ``pattern``
COUNT = "count"  # a whole number, not negative (the column rules of pvd.sources.columns)
TEXT = "text"  # read as it is


@dataclass(frozen=True)
class Column:
    """One column of a file contract.

    ``name`` is how the layout writes it (and how a missing-column error names it);
    ``aliases`` are other accepted names, ``contains`` accepts any column whose name contains
    that text. ``what`` names the value in messages (« code commune invalide « 1234 » »);
    ``hint`` says what is expected when the name alone does not."""

    name: str
    kind: str = TEXT
    required: bool = True
    pattern: str = ""
    aliases: tuple[str, ...] = ()
    contains: str = ""
    unique: bool = False
    what: str = ""
    hint: str = ""

    @property
    def error_code(self) -> str:
        return INVALID_CODE if self.kind == CODE else INVALID_VALUE

    def invalid(self, value: object) -> str:
        return f"{self.what} invalide « {value} »" + (f" ({self.hint})" if self.hint else "")


def commune(name: str, *aliases: str, unique: bool = False, required: bool = True) -> Column:
    """A commune-code column (:data:`COMMUNE_CODE`)."""
    return Column(
        name,
        kind=CODE,
        pattern=COMMUNE_CODE_PATTERN,
        aliases=aliases,
        unique=unique,
        required=required,
        what="code commune",
    )


@dataclass(frozen=True)
class Contract:
    """The columns of one official file and the layout users are shown."""

    file: str  # what the file is, in French
    layout: str
    columns: tuple[Column, ...]
    source: str = ""  # its entry in the sources catalogue (catalogue.toml), if any

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def resolve(
        self,
        header: Sequence[str],
        *,
        path: str,
        separator: str,
        shown: Sequence[str] | None = None,
    ) -> dict[str, str]:
        """{contract column name: column name in ``header``} for the columns present; raises
        the one missing-columns error when a required one is absent. ``shown`` is the header
        as written in the file, when ``header`` was normalised (upper-cased)."""
        by_key = {h.strip().lstrip("\ufeff").lower(): h for h in header}
        found: dict[str, str] = {}
        missing: list[str] = []
        for col in self.columns:
            actual = next(
                (by_key[n.lower()] for n in (col.name, *col.aliases) if n.lower() in by_key),
                None,
            )
            if actual is None and col.contains:
                actual = next((h for k, h in by_key.items() if col.contains in k), None)
            if actual is not None:
                found[col.name] = actual
            elif col.required:
                missing.append(col.name)
        if missing:
            raise missing_columns(
                path, missing, layout=self.layout, header=list(shown or header), separator=separator
            )
        return found

    def check(
        self,
        frame: pl.DataFrame,
        found: dict[str, str],
        errors: ErrorCollector,
        *,
        only: Sequence[str] | None = None,
    ) -> None:
        """Add an error for every value of ``frame`` (strings) its column refuses; lines are
        counted from the frame's rows, or taken from its ``_i`` column (0-based index of the
        data row in the file) when a filtered frame keeps it. ``only``: these columns."""
        indexed = frame if "_i" in frame.columns else frame.with_row_index("_i")
        for col in self.columns:
            actual = found.get(col.name)
            if actual is None or (only is not None and col.name not in only):
                continue
            value = pl.col(actual).fill_null("").str.strip_chars()
            if col.pattern:
                bad = indexed.filter(~value.str.contains(col.pattern))
            elif col.kind == COUNT:
                n = number_expr(actual)
                bad = indexed.filter(n.is_null() | (n < 0) | (n != n.round()))
            else:
                bad = indexed.clear()
            for i, v in bad.select("_i", value).head(errors.limit + 1).iter_rows():
                errors.add(col.error_code, col.invalid(v), line=i + 2, column=actual)
            if col.unique:
                dup = indexed.filter(value.is_duplicated() & ~value.is_first_distinct())
                for i, v in dup.select("_i", value).head(errors.limit + 1).iter_rows():
                    errors.add(
                        DUPLICATE_KEY, f"{col.what} en double « {v} »", line=i + 2, column=actual
                    )


# --- The contracts of the official files read by the polars-based readers ---------------------

CENTRALITE = Contract(
    "typologie des centralités (Observatoire des territoires)",
    "insee_com,lib_com,niveau_centralite",
    (
        commune("insee_com", "codgeo", "com"),
        Column("niveau_centralite", contains="centralit"),
    ),
)

TYPOLOGIE = Contract(
    "typologie communale (Observatoire des territoires)",
    "insee_com,lib_com,niveau_densite, niveau_ruralite ou niveau_montagne",
    (
        commune("insee_com", "codgeo", "com"),
        Column(
            "niveau_densite|niveau_ruralite|niveau_montagne",
            aliases=("niveau_densite", "niveau_ruralite", "niveau_montagne"),
        ),
    ),
)

BPE = Contract(
    "base permanente des équipements (INSEE)",
    "BPE ensemble, …;DEPCOM;…;TYPEQU;…[;NB_EQUIP]",
    (
        commune("DEPCOM"),
        Column("TYPEQU", kind=CODE, pattern=r"^[A-G][0-9]{3}$", what="type d'équipement"),
        Column("NB_EQUIP", kind=COUNT, required=False, what="nombre d'équipements"),
        Column("AN", required=False),
    ),
    source="insee-bpe-2024",
)

BPE_GAMMES = Contract(
    "gammes d'équipements de la BPE (INSEE)",
    "TYPEQU;GAMME",
    (BPE.column("TYPEQU"), Column("GAMME")),
)

FILOSOFI_LONG = Contract(
    "Filosofi, disposition longue Melodi (INSEE)",
    "Filosofi (Melodi), GEO;GEO_OBJECT;FILOSOFI_MEASURE;UNIT_MEASURE;UNIT_MULT;CONF_STATUS;"
    "OBS_STATUS;TIME_PERIOD;OBS_VALUE",
    (
        commune("GEO"),
        Column("GEO_OBJECT"),
        Column("FILOSOFI_MEASURE"),
        Column("TIME_PERIOD", pattern=r"^[0-9]{4}$", what="année", hint="AAAA attendu"),
        Column("OBS_VALUE"),
    ),
    source="insee-filosofi-2021",
)

# The files read row by row (pvd.sources.tabular.read_table): their columns only; the values
# are checked by their readers (row issues reported with their line, the COG's code table).

PVD_LIST = Contract(
    "liste des communes bénéficiaires d'un programme (ANCT, data.gouv.fr)",
    "insee_com,lib_com,…,date_signature (liste data.gouv.fr)",
    (
        commune("insee_com"),
        *(
            Column(name, required=False)
            for name in (
                "lib_com", "id_pvd", "insee_dep", "insee_reg", "siren_epci", "lib_epci",
                "date_signature", "date_selection",
            )
        ),
    ),
    source="anct-pvd-communes",
)  # fmt: skip

ORT_LIST = Contract(
    "suivi national des opérations de revitalisation de territoire (ANCT / DGALN)",
    "tableau national de suivi des ORT, en-têtes en français : …;Code commune;…;Signée ?;"
    "Si signée, date de signature;…",
    (commune("Code commune"), Column("Signée ?"), Column("Si signée, date de signature")),
)

COMMUNE_CENTRES = Contract(
    "centres des communes (geo.api.gouv.fr)",
    "insee,dept,lon,lat,name (geo.api.gouv.fr)",
    (commune("insee", "code"), Column("lon"), Column("lat")),
    source="geo-api-communes-centres",
)


def _cog(kind: str, columns: str, required: str) -> Contract:
    needed = set(required.split(","))
    return Contract(
        f"code officiel géographique (INSEE), fichier des {kind}",
        columns,
        tuple(Column(name, required=name in needed) for name in columns.split(",")),
        source=f"insee-cog-{kind}-2026",
    )


COG = {
    "communes": _cog(
        "communes",
        "TYPECOM,COM,REG,DEP,CTCD,ARR,TNCC,NCC,NCCENR,LIBELLE,CAN,COMPARENT",
        "TYPECOM,COM,REG,DEP,ARR,LIBELLE,COMPARENT",
    ),
    "departements": _cog(
        "departements", "DEP,REG,CHEFLIEU,TNCC,NCC,NCCENR,LIBELLE", "DEP,REG,CHEFLIEU,LIBELLE"
    ),
    "regions": _cog("regions", "REG,CHEFLIEU,TNCC,NCC,NCCENR,LIBELLE", "REG,CHEFLIEU,LIBELLE"),
    "arrondissements": _cog(
        "arrondissements",
        "ARR,DEP,REG,CHEFLIEU,TNCC,NCC,NCCENR,LIBELLE",
        "ARR,DEP,REG,CHEFLIEU,LIBELLE",
    ),
}

CONTRACTS: dict[str, Contract] = {
    **{f"cog-{kind}": contract for kind, contract in COG.items()},
    "liste-programme": PVD_LIST,
    "liste-ort": ORT_LIST,
    "centres-communes": COMMUNE_CENTRES,
    "centralite": CENTRALITE,
    "typologie": TYPOLOGIE,
    "bpe": BPE,
    "bpe-gammes": BPE_GAMMES,
    "filosofi-melodi": FILOSOFI_LONG,
}


def check_codes(frame: pl.DataFrame, column: str, display: str) -> None:
    """Every value of ``column`` a commune code, each once (raises the errors found)."""
    errors = ErrorCollector(display)
    Contract("", "", (commune(column, unique=True),)).check(frame, {column: column}, errors)
    errors.raise_if_any()
