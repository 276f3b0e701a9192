"""Context processors of the pages."""

from __future__ import annotations

from django.utils.translation import get_language

from pvd import caching

_site_configs: caching.ProcessMemo = caching.ProcessMemo("dsfr-site-config", size=8)


def site_config(request) -> dict:
    """django-dsfr's ``site_config`` (its DsfrConfig row: two queries on every page), read once
    per process and data version; saving or deleting such a row replaces the data version
    (pvd.web.apps)."""
    language = get_language()
    return {"SITE_CONFIG": _site_configs.get(language, lambda: _read(language))}


def _read(language: str):
    from dsfr.models import DsfrConfig

    return (
        DsfrConfig.objects.filter(language=language).first() or DsfrConfig.objects.first()
    )
