"""Issue 16 follow-up (a review as users): every output of the outcomes carries its sources
(name, vintage, licence, the Centralités 2020 study among them) and caveats; the PDF is made
once per data version; the charts stay readable on a phone; the town chart's y labels never
overlap."""

from __future__ import annotations

import csv
import io
import json
import re

from click.testing import CliRunner
from django.template.loader import render_to_string

from pvd import caching
from pvd.cli import main
from pvd.outcomes import charts, views

SOURCE_KEYS = {"nom", "editeur", "millesime", "licence", "usage", "url"}


def _check_sources(sources: list[dict]) -> None:
    assert sources and all(set(s) == SOURCE_KEYS for s in sources)
    assert all(s["licence"] for s in sources)
    study = [s for s in sources if "Centralités 2020" in s["nom"]]
    assert len(study) == 1 and "INRAE" in study[0]["editeur"]
    assert study[0]["millesime"].startswith("2020") and "Licence Ouverte" in study[0]["licence"]
    assert "covariable" in study[0]["usage"]
    names = " ".join(s["nom"] for s in sources)
    assert "Lauréats : pvd-2024-hors-aura.csv" in names and "ORT : " in names
    assert any(s["usage"] == "populations légales" and s["millesime"] for s in sources)


def test_every_api_endpoint_carries_sources_and_caveats(c, client):
    code = c.outcomes.towns["laureat"][0]
    region = c.outcomes.towns["region"][0]
    for url in (
        "/api/v1/resultats",
        "/api/v1/resultats/region",
        f"/api/v1/resultats/region/{region}",
        f"/api/v1/resultats/communes/{code}",
    ):
        body = client.get(url).json()
        _check_sources(body["sources"])
        assert body["precautions"] == c.caveats and len(c.caveats) >= 3, url
    one = client.get(f"/api/v1/resultats/region/{region}").json()
    assert one["perimetre"] == f"region:{region}" and one["lecture"]


def test_cli_csv_ends_with_source_lines_and_json_carries_them(c):
    runner = CliRunner()
    region = c.outcomes.towns["region"][0]
    r = runner.invoke(main, ["outcomes", "show", "--scope", f"region:{region}"])
    assert r.exit_code == 0, r.output
    table, _, tail = r.stdout.partition("\n\n")
    rows = list(csv.DictReader(io.StringIO(table)))
    assert [x["perimetre"] for x in rows] == [f"region:{region}"]
    lines = [x[0] for x in csv.reader(io.StringIO(tail)) if x]
    sources = [x for x in lines if x.startswith("Source : ")]
    assert len(sources) == len(c.sources)
    assert all("Licence Ouverte" in x and "millésime" in x for x in sources)
    assert any("Centralités 2020" in x and "INRAE-CESAER" in x for x in sources)
    assert [x for x in lines if x.startswith("Précaution : ")] == [
        f"Précaution : {x}" for x in c.caveats
    ]
    r = runner.invoke(main, ["outcomes", "show", "--scope", f"region:{region}", "--format", "json"])
    payload = json.loads(r.stdout)
    _check_sources(payload["sources"])
    assert payload["precautions"] == c.caveats
    code = c.outcomes.towns["laureat"][0]
    r = runner.invoke(main, ["outcomes", "show", "--scope", f"commune:{code}", "--format", "json"])
    town = json.loads(r.stdout)
    assert town["apparie"] is True and town["precautions"] == c.caveats
    _check_sources(town["sources"])
    r = runner.invoke(main, ["outcomes", "show", "--scope", f"commune:{code}"])
    assert r.stdout.split("\n")[0].startswith("code,nom,role,pop_")
    assert "Source : " in r.stdout and "Centralités 2020" in r.stdout


def test_pages_and_pdf_list_the_centralites_study(c, client):
    for url in ("/resultats/", f"/resultats/region/{c.outcomes.towns['region'][0]}/"):
        page = client.get(url).content.decode()
        sources = page.split('id="precautions"')[1]
        assert "Centralités 2020" in sources and "INRAE-CESAER" in sources
        assert "millésime 2020" in sources and "Licence Ouverte" in sources
    printed = render_to_string("outcomes/print.html", views._france_context(c))
    assert "Centralités 2020" in printed and "millésime 2020" in printed


def test_pdf_is_made_once_per_data_version(c, client, monkeypatch):
    from pvd.outcomes import pdf

    made = []
    real = pdf.outcomes_pdf

    def counting(context):
        made.append(1)
        return real(context)

    monkeypatch.setattr(pdf, "outcomes_pdf", counting)
    first = client.get("/resultats/resultats.pdf")
    second = client.get("/resultats/resultats.pdf")
    assert first.status_code == second.status_code == 200
    assert second.content == first.content and second.content.startswith(b"%PDF")
    assert len(made) == 1
    caching.bump_data_version()  # an import changed the data: the PDF is made again
    assert client.get("/resultats/resultats.pdf").content.startswith(b"%PDF")
    assert len(made) == 2


def _rows(n: int) -> list[dict]:
    return [
        {
            "libelle": f"Provence-Alpes-Côte d'Azur {i}",
            "effet": 0.5 * i - 1,
            "intervalle": [0.5 * i - 2, 0.5 * i],
            "significatif": i % 2 == 0,
        }
        for i in range(n)
    ]


def test_effects_chart_scrolls_with_readable_text_on_a_phone():
    html = charts.effects_chart(_rows(13), title="Écart par département")
    assert html.startswith('<div class="pvd-chart-scroll" style="overflow-x:auto')
    assert 'tabindex="0"' in html and "défilement horizontal" in html
    view_width = float(re.search(r'viewBox="0 0 ([\d.]+) ', html).group(1))
    shown = int(re.search(r"min-width:(\d+)px", html).group(1))
    # The page's chart text (15 viewBox units) is never drawn under 11 CSS pixels.
    assert charts.FONT * shown / view_width >= charts.MIN_TEXT_PX
    # A page 390 px wide has 326 px for the chart: before, 720 units were squeezed into them.
    assert shown > 326


def test_axis_ticks_are_round_and_a_label_apart():
    for lo, hi, length in (
        (99.0, 101.3, 200),
        (93.0, 101.2, 200),
        (50, 180, 200),
        (99.9, 100.3, 40),
    ):
        ticks = charts.axis_ticks(lo, hi, length)
        assert ticks[0] <= lo and ticks[-1] >= hi
        steps = {round(b - a, 9) for a, b in zip(ticks, ticks[1:], strict=False)}
        assert len(steps) <= 1
        if len(ticks) > 1:
            step = steps.pop()
            assert step == int(step)  # nice_step: 1, 2, 2.5 or 5 × 10^k, whole
            assert length * step / (ticks[-1] - ticks[0]) >= charts.LABEL_GAP


def test_town_chart_y_labels_do_not_overlap():
    """Saint-Chély-d'Apcher (48140): an index from 93.8 to 100.2; before, "100,2" was drawn
    over "100,0"."""
    t = {
        "nom": "Saint-Chély-d'Apcher",
        "millesimes": [2019, 2020, 2022, 2023],
        "indice": [100.0, 100.2, 95.5, 93.8],
        "indice_comparables": [100.0, 99.4, 98.3, 97.8],
    }
    svg = charts.trajectory_chart(t)
    labels = re.findall(r'<text x="44" y="([\d.]+)"[^>]*text-anchor="end">([^<]+)</text>', svg)
    assert len(labels) >= 3 and "100" in [text for _, text in labels]
    ys = sorted(float(y) for y, _ in labels)
    assert min(b - a for a, b in zip(ys, ys[1:], strict=False)) >= charts.LABEL_GAP
    assert all("," not in text for _, text in labels)  # round ticks: no "100,2"
