"""Jinja2 for the page bodies rendered on every first visit (issue 17): the portrait's body and
the commune page's body, whose Django templates cost 2,300 variable lookups per portrait.

The output is the output of the Django templates they replace, byte for byte: every printed
value goes through Django's own steps (local time, localisation with the thousands separator,
Django's escaping: ``'`` is ``&#x27;``, not markupsafe's ``&#39;``), and the filters are
Django's (``floatformat``, ``date``, ``stringformat``, ``json_script``) or the platform's
(``nombre``, ``annee``, ``millesime``). Templates live in each app's ``jinja2`` folder; the
environment is built once per process. The pages around the bodies stay Django templates.
"""

from __future__ import annotations

import html
import re
from functools import cache, lru_cache
from pathlib import Path

import jinja2
from django.conf import settings
from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, json_script
from django.utils.timezone import template_localtime
from django.utils.translation import get_language

from pvd.rendering import filters as pvd_web

SRC = Path(__file__).resolve().parents[1]  # the apps' jinja2 folders, found by path (no import)
FOLDERS = [SRC / "diagnostics" / "jinja2", SRC / "web" / "jinja2"]


_ESCAPED: dict[str, str] = {}  # short texts (labels, names, units) repeat across pages
_NUMBERS: dict[tuple, str] = {}  # numbers as localised, by language


def django_value(value) -> str:
    """A printed value as Django prints it (``render_value_in_context``), escaped: Jinja's own
    autoescaping is off, this is the only escaping step (markupsafe would print ``'`` as
    ``&#39;`` and wrap every value twice). Texts and numbers are remembered (a portrait prints
    about 1,400 values, most of them seen on other pages)."""
    kind = type(value)
    if kind is str:  # the common case, first
        text = _ESCAPED.get(value)
        if text is None:
            text = html.escape(value)
            if len(value) < 400:
                if len(_ESCAPED) > 50_000:
                    _ESCAPED.clear()
                _ESCAPED[value] = text
        return text
    if kind is int and -1000 < value < 1000:  # no thousands separator to localise
        return str(value)
    if hasattr(value, "__html__"):  # Django's SafeString, filters' output
        return str(value)
    if kind is int or (kind is float and value):  # by language only (no time zone; not -0.0)
        key = (pvd_web.language(), kind, value)
        text = _NUMBERS.get(key)
        if text is None:
            if len(_NUMBERS) > 50_000:
                _NUMBERS.clear()
            text = _NUMBERS[key] = str(conditional_escape(str(localize(value))))
        return text
    value = localize(template_localtime(value))
    if not issubclass(type(value), str):
        value = str(value)
    return str(conditional_escape(value))


_FLOATS: dict[tuple, str] = {}


def _floatformat(value, arg=-1) -> str:
    """Django's ``floatformat``, remembered per language: percentiles repeat across pages."""
    key = (pvd_web.language(), type(value), value, arg)
    text = _FLOATS.get(key)
    if text is None:
        if len(_FLOATS) > 50_000:
            _FLOATS.clear()
        text = _FLOATS[key] = defaultfilters.floatformat(value, arg)
    return text


def _date(value, arg: str) -> str:
    """Django's ``date`` filter, on the value in local time (as Django's template does)."""
    return defaultfilters.date(template_localtime(value), arg)


_CODE = re.compile(r"[0-9A-Za-z]+")


def url(name: str, *args) -> str:
    """Django's ``{% url %}`` (remembered: a commune's page links to its EPCI's members). Codes
    (letters and digits: INSEE codes, SIREN) are put into the route's URL reversed once with
    placeholders: ``reverse`` costs about 0.1 ms, and a commune's page links to up to a hundred
    members seen nowhere else. Only for routes whose placeholders reverse (``str``, ``slug``
    converters, which accept every such code; Django quotes none of these characters);
    anything else goes through ``reverse``."""
    prefix = get_script_prefix()
    if args and all(type(a) is str and _CODE.fullmatch(a) for a in args):
        pattern = _pattern(prefix, name, len(args))
        if pattern is not None:
            return pattern.format(*args)
    return _reverse(prefix, name, args)


_PLACEHOLDER = "PvdPlaceholder{}x"


@lru_cache(maxsize=1024)
def _pattern(prefix: str, name: str, count: int) -> str | None:
    """The route's URL with ``{0}``, ``{1}``... where its arguments go, or None."""
    marks = [_PLACEHOLDER.format(i) for i in range(count)]
    try:
        url = reverse(name, args=marks)
    except NoReverseMatch:  # e.g. an int converter
        return None
    if "{" in url or "}" in url or any(url.count(m) != 1 for m in marks):
        return None
    for i, mark in enumerate(marks):
        url = url.replace(mark, "{" + str(i) + "}")
    return url


@lru_cache(maxsize=65_536)
def _reverse(prefix: str, name: str, args: tuple) -> str:
    return reverse(name, args=args)  # under ``prefix``, the request's script prefix


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in FOLDERS]),
        autoescape=False,  # see django_value
        finalize=django_value,
        keep_trailing_newline=True,  # as Django: the file's last newline is printed
        undefined=jinja2.Undefined,  # a missing attribute prints "", as in Django
        auto_reload=settings.DEBUG,  # as Django's cached template loader: edits seen in debug
    )
    env.filters.update(
        {
            "floatformat": _floatformat,
            "stringformat": defaultfilters.stringformat,
            "lower": defaultfilters.lower,
            "join": defaultfilters.join,  # escapes the items, as in Django
            "date": _date,
            "json_script": json_script,
            "nombre": pvd_web.nombre,
            "annee": pvd_web.annee,
            "millesime": pvd_web.millesime,
            "millesimes": pvd_web.millesimes,
            "pluriel": pvd_web.pluriel,
            "apres": pvd_web.apres,
        }
    )
    env.globals.update({"url": url, "static": static})
    return env


def render(template: str, context: dict) -> str:
    token = pvd_web.RENDER_LANGUAGE.set(get_language())  # read once for the whole body
    try:
        return environment().get_template(template).render(context)
    finally:
        pvd_web.RENDER_LANGUAGE.reset(token)
