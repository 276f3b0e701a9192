"""``{% allowed "projects.edit" groupe as can_edit %}``: a permission of the one table
(:mod:`pvd.access`) checked in a template for the current user."""

from __future__ import annotations

from django import template

from pvd import access

register = template.Library()


@register.simple_tag(takes_context=True)
def allowed(context, name: str, obj=None) -> bool:
    user = context.get("user")
    if user is None and context.get("request") is not None:
        user = context["request"].user
    return access.has(user, name, obj)
