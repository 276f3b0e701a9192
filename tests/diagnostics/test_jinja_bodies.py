"""The portrait and commune page bodies rendered with Jinja2 (pvd.rendering.jinja, issue 17) are the
bodies the former Django templates render, byte for byte, on real communes of the built
portrait database: a random sample, municipal arrondissements, overseas communes, communes
without indicators, without EPCI, with communes déléguées, names with an apostrophe; staff and
visitors; and with no build at all. The former templates are kept here, for this test only
(legacy_templates/); the contexts are the views' own."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from django.template import Context, Engine

from pvd.diagnostics.views import portrait_context
from pvd.rendering import jinja
from pvd.territories.models import Commune
from pvd.web.views import commune_body_context

LEGACY = Path(__file__).resolve().parent / "legacy_templates"


@pytest.fixture(scope="module")
def legacy():
    return Engine(
        dirs=[str(LEGACY)],
        app_dirs=True,  # the includes still in use: geo_svg.html, web/includes/source.html...
        libraries={
            "pvd_web": "pvd.web.templatetags.pvd_web",
            "programme_tags": "pvd.programme.templatetags.programme_tags",
            "static": "django.templatetags.static",
        },
    )


def django_render(engine: Engine, template: str, context: dict) -> str:
    return engine.get_template(template).render(Context(context))


def sample_communes() -> list[Commune]:
    """About 30 communes of every kind the pages treat differently."""
    from pvd.diagnostics.models import TerritoryValues

    communes = Commune.objects.filter(type=Commune.Type.COM).select_related(
        "epci", "departement", "region", "arrondissement"
    )
    codes = sorted(communes.values_list("code", flat=True))
    picked = set(random.Random(17).sample(codes, min(16, len(codes))))
    picked |= {"75056", "13055", "69123", "48140", "24311"}
    with_values = set(TerritoryValues.objects.filter(level="COM").values_list("code", flat=True))
    for query in (
        communes.filter(departement__code__startswith="97"),  # overseas
        communes.exclude(code__in=with_values),  # no indicator
        communes.filter(epci__isnull=True),
        communes.filter(nom__contains="'"),  # escaping: Django's &#x27;
        communes.filter(code__in=Commune.objects.filter(type="COMD").values("parent__code")),
    ):
        picked |= set(query.order_by("code").values_list("code", flat=True)[:3])
    return list(communes.filter(code__in=picked).order_by("code"))


def test_portrait_body_is_the_django_one(portrait_db, legacy):
    from pvd.diagnostics.models import TerritoryValues

    communes = sample_communes()
    with_values = set(TerritoryValues.objects.filter(level="COM").values_list("code", flat=True))
    assert len(communes) >= 25
    assert any(c.departement_id.startswith("97") for c in communes)
    assert any(c.code not in with_values for c in communes)
    assert any(c.epci_id is None for c in communes) and any("'" in c.nom for c in communes)
    for commune in communes:
        context = portrait_context(commune)
        for is_staff in (False, True):
            ctx = {**context, "is_staff": is_staff}
            old = django_render(legacy, "diagnostics/includes/portrait_body.html", ctx)
            new = jinja.render("diagnostics/portrait_body.html", ctx)
            assert new == old, (commune.code, is_staff)
    assert "&#x27;" in new  # the last commune's name or a label with an apostrophe


def test_portrait_body_without_build(portrait_db, legacy):
    from pvd.diagnostics.models import Build

    Build.objects.all().delete()  # rolled back after the test
    commune = Commune.objects.select_related("epci", "departement", "region").get(
        code="48140", type=Commune.Type.COM
    )
    for is_staff in (False, True):
        ctx = {**portrait_context(commune), "is_staff": is_staff}
        old = django_render(legacy, "diagnostics/includes/portrait_body.html", ctx)
        assert "ne sont pas encore calculés" in old
        assert jinja.render("diagnostics/portrait_body.html", ctx) == old


def test_commune_body_is_the_django_one(portrait_db, legacy):
    arrondissements = Commune.objects.filter(type=Commune.Type.ARM).order_by("code")
    arm = list(
        arrondissements.select_related("epci", "departement", "region", "arrondissement")[:3]
    )
    communes = sample_communes() + arm
    assert arm and any(c.code == "75056" for c in communes)
    for commune in communes:
        ctx = commune_body_context(commune)
        old = django_render(legacy, "web/includes/commune_body.html", ctx)
        assert jinja.render("web/commune_body.html", ctx) == old, commune.code


def test_printed_values_as_django_prints_them():
    """Escaping (``'`` as ``&#x27;``), thousands separator, None, safe strings."""
    from django.utils.safestring import mark_safe

    env = jinja.environment()
    template = env.from_string("{{ a }}|{{ b }}|{{ c }}|{{ d }}|{{ e }}|{{ f }}")
    engine = Engine()
    django_template = engine.from_string("{{ a }}|{{ b }}|{{ c }}|{{ d }}|{{ e }}|{{ f }}")
    context = {
        "a": "L'Haÿ-les-Roses <b> & \"x\"",
        "b": 12345,
        "c": None,
        "d": mark_safe("<i>sûr</i>"),
        "e": -999,
        "f": 2.5,
    }
    assert template.render(context) == django_template.render(Context(context))


@pytest.mark.parametrize(
    "name, args",
    [
        ("web:commune", ("01001",)),
        ("web:commune", ("2A004",)),
        ("web:departement", ("2B",)),
        ("diagnostics:portrait", ("97411",)),
        ("programme:region", ("pvd", "84")),
        ("web:commune", ("a b&é",)),  # not a code: Django's reverse and its quoting
        ("diagnostics:catalogue", ()),
        ("projects:action", ("pvd", "01001", 12)),
        ("projects:action", ("pvd", "01001", "12")),  # an int converter: no placeholder
    ],
)
@pytest.mark.parametrize("prefix", ["/", "/pvd/"])
def test_urls_as_django_reverses_them(name, args, prefix):
    from django.urls import reverse, set_script_prefix

    from pvd.rendering.jinja import url

    set_script_prefix(prefix)
    try:
        assert url(name, *args) == reverse(name, args=args)
        assert url(name, *args) == reverse(name, args=args)  # remembered
    finally:
        set_script_prefix("/")


def test_peer_sentence_elides_the_name(portrait_db):
    """« les plus proches d'Aigre », « du Mans »: never « de Aigre »."""
    communes = Commune.objects.filter(type=Commune.Type.COM).select_related(
        "epci", "departement", "region", "arrondissement"
    )
    seen = 0
    for commune in communes.filter(nom__regex=r"^([AEIOU]|Le )").order_by("code")[:40]:
        context = portrait_context(commune)
        if not context["portrait"].peers:
            continue
        body = jinja.render("diagnostics/portrait_body.html", {**context, "is_staff": False})
        expected = ("du " + commune.nom[3:]) if commune.nom.startswith("Le ") else "d&#x27;" + commune.nom
        assert f"les plus proches {expected} sur" in body, commune.code
        assert f"proches de {commune.nom} " not in body
        seen += 1
    assert seen >= 3
