"""What other apps add to a commune's portrait, registered by them at Django's start.

The portrait shows the commune's typologies (centrality level, density grid, rural areas,
mountain massif), which the selection app stores and reads. Diagnostics do not import the
selection app (the selection reads the built indicators from diagnostics, so importing back would
make a cycle between the two apps, issue 19): the selection app registers its reader here in its
``AppConfig.ready``. No Django and no import here, so that registering costs nothing at start.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

# code of a commune -> its typology facts (objects with label, value, source, vintage, licence).
TypologiesOf = Callable[[str], Sequence[Any]]

_typologies_of: TypologiesOf | None = None


def register_typologies(provider: TypologiesOf) -> None:
    """Called once by the app that stores the typologies (pvd.selection) when Django starts."""
    global _typologies_of
    _typologies_of = provider


def typologies_of(code: str) -> list[Any]:
    """The commune's typology facts; none when no installed app provides them."""
    return list(_typologies_of(code)) if _typologies_of is not None else []
