"""The network's tables, one module per feature (directory, practices, events)."""
from pvd.network.models.events import Evenement, Inscription, RappelEvenement  # noqa: F401
