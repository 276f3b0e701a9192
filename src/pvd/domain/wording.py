"""French wording of counts and ranks: plurals and ordinals.

French puts 0 and 1 in the singular ("0 commune", "1 équipement"), unlike Django's `pluralize`
(English rules: "0 communes"). Ranks are ordinals ("1er", "3e"), never "3 rang".
"""

from __future__ import annotations

# Units of the indicator catalogue that are counts of things, with their singular.
COUNT_UNITS = {
    "habitants": "habitant",
    "logements": "logement",
    "équipements": "équipement",
    "années": "année",
    "emplois pour 100 actifs occupés": "emploi pour 100 actifs occupés",
}


def is_plural(n: float | int | None) -> bool:
    """French rule: plural from 2 on (absolute value); 0, 1 and 1.5 are singular."""
    return n is not None and abs(n) >= 2


def suffix(n: float | int | None, forms: str = "s") -> str:
    """The ending for ``n``: ``forms`` is "s" (plural suffix) or "singular,plural" ("son,leur")."""
    singular, plural = forms.split(",", 1) if "," in forms else ("", forms)
    return plural if is_plural(n) else singular


def ordinal(n: int) -> str:
    """1 -> "1er", 2 -> "2e" (typographic French ordinals, without superscript)."""
    return f"{n}er" if n == 1 else f"{n}e"


def unit_for(value: float | None, unit: str) -> str:
    """The unit as it reads after ``value``: "1 équipement", "3 équipements", "2,5 %"."""
    singular = COUNT_UNITS.get(unit)
    if singular is not None and value is not None and not is_plural(value):
        return singular
    return unit


def quantity(value: float | None, text: str, unit: str) -> str:
    """A formatted value with its unit: "3e" for a rank, "1 équipement", "12,4 %", "n.d."."""
    if value is None:
        return text
    if unit == "rang":
        return ordinal(int(value))
    return f"{text} {unit_for(value, unit)}".strip()


# A source older than this (in years) says so next to its figures ("données de 2013").
OLD_VINTAGE_YEARS = 5


def vintage_age_note(millesime: int, current_year: int) -> str:
    """"données de 2013" when the millésime is more than OLD_VINTAGE_YEARS old, else ""."""
    return f"données de {millesime}" if current_year - millesime > OLD_VINTAGE_YEARS else ""


_ELIDING = "aàâäeéèêëiîïoôöuùûüyœæ"


def after(word: str, name: str) -> str:
    """A place name after "de" or "que", elided and contracted as French writes it:
    "d'Aigre", "qu'Issoire", "du Mans" (Le Mans), "des Andelys" (Les Andelys), "de La Souterraine"
    (an initial h is left alone: aspirated or not depends on the name)."""
    if word == "de" and name.startswith("Le "):
        return f"du {name[3:]}"
    if word == "de" and name.startswith("Les "):
        return f"des {name[4:]}"
    if word in ("de", "que") and name[:1].lower() in _ELIDING:
        return f"{word[:-1]}'{name}"
    return f"{word} {name}"
