"""The catalogue of official sources: one registry entry per file the platform can fetch or import.

The entries are data, in ``catalogue.toml`` beside this module (its header describes the fields).
This module reads that file once, at import, checks every entry (known keys, required fields,
types, addresses, digests, unique names) and registers it: a malformed catalogue stops the program
at start with the entry and the field at fault, never later in the middle of a download.

Each entry says what the file is (French title, publisher, licence, vintage), where the official
file is (``url``; ``None`` when no stable file address could be confirmed, then ``page`` is where
to find it by hand), what it looks like (format, separator, encoding, the columns an importer
needs) and which command reads it. ``sha256`` is set only when the bytes are known to be fixed
(npm tarballs are immutable); INSEE and data.gouv.fr files can be republished under the same
address, so their digest is recorded at download time instead (see ``pvd.sources.fetch``).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

LICENCE_OUVERTE = "Licence Ouverte 2.0 (Etalab)"
INSEE = "Institut national de la statistique et des études économiques (INSEE)"

CATALOGUE_FILE = Path(__file__).with_name("catalogue.toml")


@dataclass(frozen=True)
class Layout:
    """What the file looks like: enough to check it before reading it."""

    format: str  # "csv", "zip (csv)", "tgz (npm)"...
    separator: str | None = None
    encoding: str | None = None
    columns: tuple[str, ...] = ()  # the columns the importer needs (in the official order)
    member: str | None = None  # the file read inside an archive


@dataclass(frozen=True)
class Source:
    name: str  # slug, used by `pvd data fetch NAME`
    title: str  # French
    publisher: str
    licence: str
    vintage: str
    page: str  # the official page describing the file
    url: str | None  # the official file; None when not confirmed (see notes)
    filename: str  # the name the file is saved under in the cache
    layout: Layout
    import_command: str | None = None  # with {path}; None when no importer reads it yet
    sha256: str | None = None
    notes: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)

    def import_hint(self, path: str) -> str:
        if self.import_command is None:
            return "aucune commande d'import pour l'instant"
        return self.import_command.format(path=path)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["layout"]["columns"] = list(self.layout.columns)
        data["tags"] = list(self.tags)
        return data


class CatalogueError(ValueError):
    """The catalogue file is malformed: the message names the entry and the field."""


_REQUIRED = ("name", "title", "publisher", "licence", "vintage", "page", "filename", "layout")
_OPTIONAL = ("url", "import_command", "sha256", "notes", "tags")
_LAYOUT_REQUIRED = ("format",)
_LAYOUT_OPTIONAL = ("separator", "encoding", "columns", "member")
_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]*[a-z0-9]$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _text(entry: dict, key: str, where: str) -> str | None:
    value = entry.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise CatalogueError(f"{where} : « {key} » doit être un texte non vide")
    return value


def _texts(entry: dict, key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise CatalogueError(f"{where} : « {key} » doit être une liste de textes")
    return tuple(value)


def _keys(entry: dict, required: tuple, optional: tuple, where: str) -> None:
    unknown = sorted(set(entry) - set(required) - set(optional))
    if unknown:
        raise CatalogueError(f"{where} : champ(s) inconnu(s) {', '.join(unknown)}")
    missing = [key for key in required if key not in entry]
    if missing:
        raise CatalogueError(f"{where} : champ(s) manquant(s) {', '.join(missing)}")


def parse_layout(entry: object, where: str) -> Layout:
    if not isinstance(entry, dict):
        raise CatalogueError(f"{where} : « layout » doit être une table [source.layout]")
    where = f"{where}, layout"
    _keys(entry, _LAYOUT_REQUIRED, _LAYOUT_OPTIONAL, where)
    return Layout(
        format=_text(entry, "format", where),
        separator=_text(entry, "separator", where),
        encoding=_text(entry, "encoding", where),
        columns=_texts(entry, "columns", where),
        member=_text(entry, "member", where),
    )


def parse_source(entry: object, position: int) -> Source:
    """One ``[[source]]`` table, checked: raises :class:`CatalogueError` naming what is wrong."""
    where = f"source n° {position}"
    if not isinstance(entry, dict):
        raise CatalogueError(f"{where} : une entrée doit être une table [[source]]")
    if isinstance(entry.get("name"), str):
        where = f"source « {entry['name']} »"
    _keys(entry, _REQUIRED, _OPTIONAL, where)
    texts = {key: _text(entry, key, where) for key in (*_REQUIRED[:-1], *_OPTIONAL[:-1])}
    if not _NAME.match(texts["name"]):
        raise CatalogueError(f"{where} : nom invalide (minuscules, chiffres, points et tirets)")
    for key in ("page", "url"):
        if texts[key] is not None and not texts[key].startswith("https://"):
            raise CatalogueError(f"{where} : « {key} » doit être une adresse https://")
    if texts["url"] is None and not texts["notes"]:
        raise CatalogueError(f"{where} : sans « url », « notes » doit dire pourquoi")
    if texts["sha256"] is not None and not _SHA256.match(texts["sha256"]):
        raise CatalogueError(f"{where} : « sha256 » doit compter 64 chiffres hexadécimaux")
    if texts["import_command"] is not None and "{path}" not in texts["import_command"]:
        raise CatalogueError(f"{where} : « import_command » doit contenir {{path}}")
    if "/" in texts["filename"] or texts["filename"].startswith("."):
        raise CatalogueError(f"{where} : « filename » doit être un simple nom de fichier")
    return Source(
        **{key: value for key, value in texts.items() if key != "notes"},
        notes=texts["notes"] or "",
        layout=parse_layout(entry["layout"], where),
        tags=_texts(entry, "tags", where),
    )


def load(path: Path = CATALOGUE_FILE) -> list[Source]:
    """Every source of a catalogue file, checked, in the file's order."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError(f"{path.name} : TOML invalide ({error})") from error
    unknown = sorted(set(data) - {"source"})
    if unknown:
        raise CatalogueError(f"{path.name} : section(s) inconnue(s) {', '.join(unknown)}")
    entries = data.get("source", [])
    if not isinstance(entries, list) or not entries:
        raise CatalogueError(f"{path.name} : aucune entrée [[source]]")
    loaded = [parse_source(entry, position) for position, entry in enumerate(entries, 1)]
    seen: set[str] = set()
    for source in loaded:
        if source.name in seen:
            raise CatalogueError(f"{path.name} : source déclarée deux fois : {source.name}")
        seen.add(source.name)
    return loaded


_REGISTRY: dict[str, Source] = {}


def register(source: Source) -> Source:
    if source.name in _REGISTRY:
        raise ValueError(f"source déjà déclarée : {source.name}")
    _REGISTRY[source.name] = source
    return source


def get(name: str) -> Source | None:
    return _REGISTRY.get(name)


def sources() -> list[Source]:
    return list(_REGISTRY.values())


def names() -> list[str]:
    return list(_REGISTRY)


for _source in load():
    register(_source)

# The page of the 2026 COG (territories' dataset records cite it).
COG_PAGE_2026 = _REGISTRY["insee-cog-communes-2026"].page
