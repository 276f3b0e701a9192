"""``{% project_link groupe %}``: the link from a laureate's page to its town's projet de
territoire, for those who may read it (the projects app decides, the registry only asks)."""

from __future__ import annotations

from django import template
from django.urls import reverse

from pvd import access
from pvd.projects.models import Projet

register = template.Library()


@register.inclusion_tag("projects/includes/project_link.html", takes_context=True)
def project_link(context, groupe) -> dict:
    if groupe is None:
        return {"state": "none"}
    projet = Projet.objects.filter(groupe=groupe).first()
    if projet is None:
        return {"state": "none"}
    user = context.get("user")
    if user is None or not access.has(user, "projects.read", groupe):
        return {"state": "private"}
    url = reverse("projects:projet", args=[groupe.programme.slug, groupe.code])
    return {"state": "readable", "url": url, "projet": projet}
