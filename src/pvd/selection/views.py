"""Selection pages: methodology, scenario editor, results (table and map per region and
department), comparison of two scenarios, CSV export. Thin: parse, call selectors, render.

Every what-if is shareable by URL: the rules live in the query string (pvd.selection.params);
saving a scenario under a name (a stable URL /selection/scenarios/<slug>/) needs a login."""

from __future__ import annotations

from urllib.parse import parse_qsl

import polars as pl
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pvd.domain import centrality as cdomain
from pvd.domain import centrality_proxy, rules_diff
from pvd.domain import centrality_source as csource
from pvd.domain import fragility as fdomain
from pvd.domain.cartography import INSET_NOTE, classes
from pvd.domain.learned import Fitted, weights
from pvd.formats import csv_fr
from pvd.programme import maps
from pvd.selection import learned, params, selectors, services
from pvd.territories.models import Departement, Region

MAX_ROWS = 400


def _base(request: HttpRequest) -> selectors.ScenarioView:
    slug = request.GET.get("base") or request.GET.get("scenario") or selectors.DEFAULT_SLUG
    scenario = selectors.scenario_get(slug=slug)
    if scenario is None:
        raise Http404(f"scénario inconnu : {slug}")
    return scenario


def methodology(request: HttpRequest) -> HttpResponse:
    data = selectors.inputs()
    model = learned.current_model()
    gammes = {g: sorted(t for t, gg in cdomain.GAMMES.items() if gg == g) for g in ("P", "I", "S")}
    details = data.centralite_details
    thresholds = (
        cdomain.thresholds_from_dict(details["seuils"])
        if details.get("seuils")
        else (cdomain.DEFAULT_THRESHOLDS)
    )
    rules = [
        {
            "niveau": cdomain.LEVEL_SHORT[level],
            "a": thresholds[level].a,
            "gamme_a": cdomain.GAMME_LABELS[cdomain.RULE_GAMMES[level][0]],
            "b": thresholds[level].b,
            "gamme_b": cdomain.GAMME_LABELS[cdomain.RULE_GAMMES[level][1]],
            "effectif": (details.get("effectifs") or {}).get(level),
            "cible": cdomain.TARGETS[level],
        }
        for level in ("majeur", "structurant", "intermediaire", "local")
    ]
    accord = details.get("accord")
    matrix = None
    if accord:
        matrix = [
            {
                "niveau": cdomain.LEVEL_SHORT[r],
                "cells": [accord["matrice"][r][c] for c in cdomain.LEVELS],
            }
            for r in cdomain.LEVELS
        ]
    return render(
        request,
        "selection/methodologie.html",
        {
            "source": data.centralite_source,
            "has_bpe": "calculee" in data.centralite_sources,
            "sources": _sources(data),
            "official": data.official_details,
            "details": details,
            "gammes": [(cdomain.GAMME_LABELS[g], types) for g, types in gammes.items()],
            "rules": rules,
            "accord": accord,
            "matrix": matrix,
            "level_short": [cdomain.LEVEL_SHORT[k] for k in cdomain.LEVELS],
            "proxy_doc": centrality_proxy.PROXY_DOC,
            "proxy": centrality_proxy.ProxyRules(),
            "components": fdomain.COMPONENTS,
            "available": set(data.fragility_indicators),
            "min_coverage": fdomain.MIN_COVERAGE,
            "default_rules": selectors.BUILTIN[selectors.DEFAULT_SLUG][2],
            "learned": model,
            "weights": weights(Fitted.from_dict(model.modele))[:25] if model else [],
            "breadcrumb_data": {"current": "Méthodologie de la sélection"},
        },
    )


def _sources(data: selectors.Inputs) -> list[dict]:
    """The centrality sources with their label and whether they are loaded (forms, pages)."""
    return [
        {"key": k, "label": csource.CENTRALITE_LABELS[k], "loaded": k in data.centralite_sources}
        for k in csource.CENTRALITE_SOURCES
    ]


def editor(request: HttpRequest) -> HttpResponse:
    base = _base(request)
    try:
        rules = params.rules_from_query(base.rules, request.GET)
        error = None
    except ValueError as exc:
        rules, error = base.rules, str(exc)
    data = selectors.inputs()
    return render(
        request,
        "selection/editeur.html",
        {
            "base": base,
            "rules": rules,
            "error": error,
            "scenarios": selectors.scenarios_list(),
            "levels": [(k, cdomain.LEVEL_SHORT[k]) for k in cdomain.LEVELS],
            "components": [
                (c, rules.poids.get(c.key, 0), c.indicator in data.fragility_indicators)
                for c in fdomain.COMPONENTS
            ],
            "millesimes": data.population_millesimes,
            "regions": Region.objects.order_by("nom"),
            "source": data.centralite_source
            if rules.centralite_source == csource.CENTRALITE_AUTO
            else rules.centralite_source,
            "sources": _sources(data),
            "auto_label": csource.CENTRALITE_LABELS[csource.CENTRALITE_AUTO],
            "breadcrumb_data": {"current": "Scénarios de sélection"},
        },
    )


def scenario(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.scenario_get(slug=slug)
    if found is None:
        raise Http404(f"scénario inconnu : {slug}")
    query = params.rules_to_query(found.rules, found.slug)
    return redirect(f"{reverse('selection:results')}?{query}")


def _map(frame: pl.DataFrame, region: Region | None, measure: str) -> dict:
    per_dep = dict(frame.group_by("dep").agg(pl.col(measure).fill_null(False).sum()).iter_rows())
    # A region: its departments' true contours; France: every department, overseas as insets.
    base = maps.region_base_map(sorted(per_dep)) if region else maps.base_map("departement")
    if base is None:
        return {"unavailable": maps.unavailable("departement")}
    names = dict(Departement.objects.values_list("code", "nom"))
    legend = classes(per_dep.values())
    shapes = []
    for s in base.shapes:
        if s.code not in per_dep:
            continue
        v = per_dep[s.code]
        shapes.append(
            {
                "code": s.code,
                "path": s.path,
                "fill": legend.colour(v),
                "label": f"{names.get(s.code, s.code)} ({s.code}) : {v}",
            }
        )
    return {
        "shapes": shapes,
        "view_box": base.view_box,
        "insets": base.insets,
        "inset_note": INSET_NOTE if base.insets else "",
        "legend": list(zip(legend.colours, legend.labels, strict=True)),
        "source": base.source + (f", {base.vintage}" if base.vintage else ""),
        "licence": base.licence,
    }


def _run(request: HttpRequest):
    base = _base(request)
    rules = params.rules_from_query(base.rules, request.GET)
    region = request.GET.get("region") or None
    departement = request.GET.get("departement") or None
    reg = Region.objects.filter(code=region).first() if region else None
    dep = Departement.objects.filter(code=departement).first() if departement else None
    if (region and reg is None) or (departement and dep is None):
        raise Http404("territoire inconnu")
    frame = selectors.run(rules=rules, region=region, departement=departement)
    return base, rules, reg, dep, frame


def results(request: HttpRequest) -> HttpResponse:
    try:
        base, rules, reg, dep, frame = _run(request)
    except ValueError as exc:
        return HttpResponseBadRequest(f"Règles invalides : {exc}")
    with_envelope = frame.get_column("retenue").null_count() < frame.height
    measure = "retenue" if with_envelope else "eligible"
    candidates = selectors.with_laureate_status(frame.filter(pl.col("eligible")))
    query = params.rules_to_query(rules, base.slug)
    scope = {
        k: v for k, v in (("region", reg and reg.code), ("departement", dep and dep.code)) if v
    }
    scope_query = "&".join(f"{k}={v}" for k, v in scope.items())
    per_dep = (
        frame.group_by("dep")
        .agg(
            pl.len().alias("communes"),
            pl.col("eligible").sum().alias("eligibles"),
            pl.col("retenue").fill_null(False).sum().alias("retenues"),
        )
        .sort("dep")
    )
    names = dict(Departement.objects.values_list("code", "nom"))
    centrality = selectors.centrality_used(frame, rules)
    return render(
        request,
        "selection/resultats.html",
        {
            "base": base,
            "rules": rules,
            "region": reg,
            "departement": dep,
            "communes": frame.height,
            "eligibles": candidates.height,
            "retenues": int(frame.get_column("retenue").fill_null(False).sum()),
            "with_envelope": with_envelope,
            "rows": [
                dict(r, niveau_label=cdomain.LEVEL_SHORT.get(r["niveau"] or "", "inconnue"))
                for r in candidates.head(MAX_ROWS).to_dicts()
            ],
            "niveaux_labels": [cdomain.LEVEL_SHORT[n] for n in rules.niveaux],
            "query_pairs": parse_qsl(query, keep_blank_values=True),
            "truncated": candidates.height > MAX_ROWS,
            "per_dep": [dict(r, nom=names.get(r["dep"], r["dep"])) for r in per_dep.to_dicts()],
            "map": _map(frame, reg, measure) if not dep else None,
            "measure": "communes retenues" if with_envelope else "communes éligibles",
            "query": query,
            "scope_query": scope_query,
            "share_url": request.build_absolute_uri(
                f"{reverse('selection:results')}?{query}{'&' + scope_query if scope_query else ''}"
            ),
            "regions": Region.objects.order_by("nom"),
            "source": centrality["source"],
            "centrality": centrality,
            "scenarios": selectors.scenarios_list(),
            "sans_fragilite": frame.get_column("fragilite_percentile").null_count(),
            "breadcrumb_data": {
                "links": [{"url": reverse("selection:editor"), "title": "Scénarios de sélection"}],
                "current": "Résultats",
            },
        },
    )


def results_csv(request: HttpRequest) -> HttpResponse:
    try:
        base, rules, reg, dep, frame = _run(request)
    except ValueError as exc:
        return HttpResponseBadRequest(f"Règles invalides : {exc}")
    centrality = selectors.centrality_used(frame, rules)
    if request.GET.get("tout") != "1":
        frame = frame.filter(pl.col("eligible"))
    out = frame.select(selectors.EXPORT_COLUMNS)
    body = csv_fr.write([out.columns, *out.rows()], variant=csv_fr.variant_of(request.GET))
    name = "-".join(["selection", base.slug] + [t.code for t in (reg, dep) if t])
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    # Each row's column centralite_source names its source; the header names the main one.
    response["X-Centralite-Source"] = centrality["source"]
    return response


def compare(request: HttpRequest) -> HttpResponse:
    a_slug = request.GET.get("a") or selectors.DEFAULT_SLUG
    b_slug = request.GET.get("b") or request.GET.get("base") or selectors.DEFAULT_SLUG
    a, b = selectors.scenario_get(slug=a_slug), selectors.scenario_get(slug=b_slug)
    if a is None or b is None:
        raise Http404("scénario inconnu")
    # B may be adjusted by the rules of the query string (a what-if from the results page).
    try:
        b_rules = params.rules_from_query(b.rules, request.GET)
    except ValueError as exc:
        return HttpResponseBadRequest(f"Règles invalides : {exc}")
    adjusted = b_rules != b.rules
    region = request.GET.get("region") or None
    try:
        diff = selectors.compare(a=a.rules, b=b_rules, region=region)
    except ValueError as exc:  # e.g. a centrality source that is not loaded
        return HttpResponseBadRequest(f"Règles invalides : {exc}")
    rb = diff["run_b"].select("code", "nom", "dep", "population", "explication")
    ra = diff["run_a"].select("code", "explication")

    def rows(codes: list[str], frame: pl.DataFrame) -> list[dict]:
        return frame.filter(pl.col("code").is_in(codes)).sort("dep", "code").to_dicts()

    return render(
        request,
        "selection/comparer.html",
        {
            "a": a,
            "b": b,
            "b_label": f"{b.nom} (règles modifiées)" if adjusted else b.nom,
            "b_query": params.rules_to_query(b_rules, b.slug) if adjusted else "",
            "diff": diff,
            "changes": rules_diff.differences(a.rules, b_rules),
            "entrent": rows(diff["entrent"], rb),
            "sortent": rows(diff["sortent"], rb.drop("explication").join(ra, on="code")),
            "scenarios": selectors.scenarios_list(),
            "regions": Region.objects.order_by("nom"),
            "region": region,
            "breadcrumb_data": {
                "links": [{"url": reverse("selection:editor"), "title": "Scénarios de sélection"}],
                "current": "Comparaison",
            },
        },
    )


@login_required(login_url="/programme/connexion/")
@require_POST
def save(request: HttpRequest) -> HttpResponse:
    base = _base(request)
    try:
        rules = params.rules_from_query(base.rules, request.POST)
        saved = services.scenario_save(
            nom=request.POST.get("nom", "").strip() or "Scénario",
            description=request.POST.get("description", "").strip(),
            regles=rules.as_dict(),
            user=request.user,
        )
    except services.PermissionDenied as exc:
        return HttpResponseForbidden(f"Scénario non enregistré : {exc}")
    except ValueError as exc:
        return HttpResponseBadRequest(f"Scénario non enregistré : {exc}")
    return redirect("selection:scenario", slug=saved.slug)


def learned_results(request: HttpRequest) -> HttpResponse:
    """The learned scenario: every commune of a region or department (or the first communes
    of France) by probability, with its explanation and whether it is a current laureate."""
    model = learned.current_model()
    region = Region.objects.filter(code=request.GET.get("region") or "").first()
    dep = Departement.objects.filter(code=request.GET.get("departement") or "").first()
    rows, total = [], 0
    if model is not None:
        frame = learned.score(
            model=model,
            region=region.code if region else None,
            departement=dep.code if dep else None,
        ).sort("probabilite", descending=True)
        total = frame.height
        rows = frame.head(MAX_ROWS).select(learned.EXPORT_COLUMNS).to_dicts()
    return render(
        request,
        "selection/appris.html",
        {
            "model": model,
            "rows": rows,
            "total": total,
            "max_rows": MAX_ROWS,
            "region": region,
            "departement": dep,
            "regions": Region.objects.order_by("nom"),
            "breadcrumb_data": {
                "links": [{"url": reverse("selection:editor"), "title": "Scénarios de sélection"}],
                "current": "Modèle appris",
            },
        },
    )
