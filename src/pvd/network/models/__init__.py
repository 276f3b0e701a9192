"""The network's tables, one module per feature (directory, practices, events)."""

from pvd.network.models.digest import LettreEnvoyee  # noqa: F401
from pvd.network.models.directory import ProfilReseau  # noqa: F401
from pvd.network.models.events import Evenement, Inscription, RappelEvenement  # noqa: F401
from pvd.network.models.practices import (  # noqa: F401
    EtapePratique,
    IndicateurPratique,
    PieceJointe,
    Pratique,
    StatutPratique,
)
