"""The page shell's fragments rendered once per process and data version (issue 17).

Every page prints the same head links, header, footer and scripts around its content: about 15
``{% static %}``, 20 ``{% url %}`` and the DSFR tags, 2-4 ms per request. ``{% memo %}`` keeps
the output of its content for a key made of its name, the values it varies on (given as
arguments: whatever the content reads from the context must be among them), the language and
the script prefix, for the current data version (``pvd.caching.ProcessMemo``: a change of the
DSFR configuration or of any data replaces the version). Under DEBUG nothing is kept, so that
template edits show at once, as with Django's own loaders.

    {% memo "header" request.path|nav_state hide_header_search search_query %}...{% endmemo %}
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from pvd import caching

register = template.Library()

_fragments: caching.ProcessMemo = caching.ProcessMemo("page-shell", size=512)

# The main menu's entries marked as the current page, as web/includes/header.html decides it:
# the path itself for the home page, a prefix for the others.
NAV_PREFIXES = (
    "/regions/",
    "/departements/",
    "/indicateurs/",
    "/programme/",
    "/selection/",
    "/projets/",
    "/reseau/",
    "/resultats/",
    "/api/v1/docs",
)


@register.filter
def nav_state(path) -> tuple:
    """Which menu entries the header marks ``aria-current`` for this path (the memo's key)."""
    path = path if isinstance(path, str) else ""
    return (path == "/",) + tuple(path[: len(p)] == p for p in NAV_PREFIXES)


class MemoNode(template.Node):
    def __init__(self, name, vary, nodelist) -> None:
        self.name, self.vary, self.nodelist = name, vary, nodelist

    def render(self, context) -> str:
        if settings.DEBUG:
            return self.nodelist.render(context)
        key = (
            self.name,
            tuple(v.resolve(context) for v in self.vary),
            get_language(),
            get_script_prefix(),
        )
        return _fragments.get(key, lambda: mark_safe(self.nodelist.render(context)))


@register.tag
def memo(parser, token) -> MemoNode:
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError("{% memo %} needs a quoted name first")
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(bits[1][1:-1], [parser.compile_filter(b) for b in bits[2:]], nodelist)
