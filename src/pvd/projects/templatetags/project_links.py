"""``{% project_link groupe %}``: the link from a laureate's page to its town's projet de
territoire, for those who may read it (the projects app decides, the registry only asks)."""

from __future__ import annotations

from django import template
from django.urls import reverse

from pvd import access
from pvd.projects import selectors

register = template.Library()


@register.inclusion_tag("projects/includes/project_link.html", takes_context=True)
def project_link(context, groupe) -> dict:
    if groupe is None or groupe.pk not in selectors.groupes_with_projet():  # no query
        return {"state": "none"}
    user = context.get("user")
    if user is None or not access.has(user, "projects.read", groupe):
        return {"state": "private"}
    projet = selectors.project_for(groupe)
    if projet is None:
        return {"state": "none"}
    url = reverse("projects:projet", args=[groupe.programme.slug, groupe.code])
    return {"state": "readable", "url": url, "projet": projet}
