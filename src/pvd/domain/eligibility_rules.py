"""The eligibility rules as data (:class:`Rules`: thresholds, centrality levels and source,
fragility weights, envelopes), checked when made; without polars, so that listing or saving a
scenario does not import it. Applied by :mod:`pvd.domain.eligibility`, which serves ``Rules``
too."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

from pvd.domain.centrality_levels import LEVEL_RANK
from pvd.domain.centrality_source import CENTRALITE_AUTO, CENTRALITE_SOURCES
from pvd.domain.fragility import COMPONENT_BY_KEY, DEFAULT_WEIGHTS
from pvd.domain.fragility import RETIRED as RETIRED_COMPONENTS


@dataclass(frozen=True)
class Rules:
    population_max: int = 20_000
    population_millesime: int | None = None  # None: latest legal population
    # The 2020 pre-identification targeted intermediate centres (DOMAIN notes); structuring
    # centres below the population threshold are kept, local centres are a scenario choice.
    niveaux: tuple[str, ...] = ("intermediaire", "structurant")
    fragilite_min: float = 50.0
    fragilite_manquante: str = "exclure"  # or "admettre"
    poids: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    enveloppe_nationale: int | None = None
    enveloppe_region: int | None = None
    centralite_source: str = CENTRALITE_AUTO  # or one of CENTRALITE_SOURCES
    rang_epci_max: int | None = 2  # None: no EPCI-role criterion
    part_epci_min: float = 0.15

    def __post_init__(self) -> None:
        errors = []
        if self.centralite_source not in (CENTRALITE_AUTO, *CENTRALITE_SOURCES):
            errors.append(
                f"source de centralité inconnue « {self.centralite_source} » (attendu : auto, "
                + ", ".join(CENTRALITE_SOURCES)
                + ")"
            )
        if self.rang_epci_max is not None and self.rang_epci_max < 1:
            errors.append("le rang dans l'EPCI est au moins 1")
        if not 0 <= self.part_epci_min <= 1:
            errors.append("la part de la population de l'EPCI est entre 0 et 1")
        if self.population_max <= 0:
            errors.append("le seuil de population doit être positif")
        unknown = [n for n in self.niveaux if n not in LEVEL_RANK]
        if unknown:
            errors.append(f"niveau de centralité inconnu : {', '.join(unknown)}")
        if not 0 <= self.fragilite_min <= 100:
            errors.append("le seuil de fragilité est un percentile entre 0 et 100")
        if self.fragilite_manquante not in ("exclure", "admettre"):
            errors.append("fragilite_manquante : « exclure » ou « admettre »")
        bad = [k for k in self.poids if k not in COMPONENT_BY_KEY]
        if bad:
            errors.append(f"composante de fragilité inconnue : {', '.join(bad)}")
        if any(v < 0 for v in self.poids.values()) or not any(v > 0 for v in self.poids.values()):
            errors.append("les poids sont positifs ou nuls, au moins un strictement positif")
        for name in ("enveloppe_nationale", "enveloppe_region"):
            v = getattr(self, name)
            if v is not None and v < 0:
                errors.append(f"{name} doit être positif")
        if errors:
            raise ValueError(" ; ".join(errors))

    def as_dict(self) -> dict:
        d = asdict(self)
        d["niveaux"] = list(self.niveaux)
        return d

    @classmethod
    def from_dict(cls, data: dict) -> Rules:
        names = {f.name for f in fields(cls)}
        unknown = set(data) - names
        if unknown:
            raise ValueError(f"règle inconnue : {', '.join(sorted(unknown))}")
        kwargs = dict(data)
        if "niveaux" in kwargs:
            kwargs["niveaux"] = tuple(
                sorted(kwargs["niveaux"], key=lambda n: LEVEL_RANK.get(n, 99))
            )
        if "poids" in kwargs:
            # A retired component (fragility.RETIRED) had no value: dropping its weight changes
            # no index, and keeps saved scenarios readable.
            kwargs["poids"] = {
                k: float(v) for k, v in kwargs["poids"].items() if k not in RETIRED_COMPONENTS
            }
        return cls(**kwargs)
