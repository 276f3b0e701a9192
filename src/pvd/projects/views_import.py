"""Import an action plan from a spreadsheet: the page with its template, the dry run (default)
and the import itself. Thin: the rules are in :mod:`pvd.projects.action_import`."""

from __future__ import annotations

import io

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from openpyxl import Workbook
from openpyxl.styles import Font

from pvd.formats import csv_fr
from pvd.projects import action_import
from pvd.projects.views_common import CONTENT_TYPES, _base, _group, _guard


@_guard
def import_actions(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    need = "edit" if request.method == "POST" else "read"
    groupe, projet, acc = _group(request, slug, code, need=need)
    ctx = _base(groupe, projet, acc, "Importer un plan d'actions")
    ctx["columns"] = action_import.COLUMNS
    ctx["max_rows"] = action_import.MAX_ROWS
    if request.method != "POST":
        return render(request, "projects/import_actions.html", ctx)
    upload = request.FILES.get("fichier")
    dry_run = request.POST.get("simulation") == "1"
    ctx["dry_run"] = dry_run
    if upload is None:
        ctx["failure"] = "Choisissez un fichier XLSX ou CSV."
        return render(request, "projects/import_actions.html", ctx, status=400)
    ctx["file_name"] = upload.name
    try:
        rows = action_import.read_rows(upload.name, upload.read(action_import.MAX_BYTES + 1))
        plan = action_import.plan_of(projet, rows)
        if not dry_run:
            action_import.apply(projet, plan, user=request.user)
    except ValueError as exc:
        ctx["failure"] = str(exc)
        return render(request, "projects/import_actions.html", ctx, status=400)
    ctx["plan"] = plan
    if plan.errors:
        return render(request, "projects/import_actions.html", ctx, status=400)
    if dry_run:
        return render(request, "projects/import_actions.html", ctx)
    messages.success(
        request,
        f"{plan.created} action(s) importée(s) depuis {upload.name}"
        + (
            f" ; {len(plan.existing)} déjà présente(s), laissée(s) telle(s) quelle(s)"
            if plan.existing
            else ""
        )
        + ".",
    )
    return redirect("projects:projet", slug, code)


@_guard
def import_template(request: HttpRequest, slug: str, code: str, fmt: str) -> HttpResponse:
    _group(request, slug, code)
    rows = action_import.template_rows()
    if fmt == "csv":
        body = csv_fr.write(rows, variant=csv_fr.variant_of(request.GET))
    elif fmt == "xlsx":
        wb = Workbook()
        ws = wb.active
        ws.title = "Plan d'actions"
        for row in rows:
            ws.append(row)
        help_sheet = wb.create_sheet("Mode d'emploi")
        for row in action_import.template_help():
            help_sheet.append(row)
        for sheet in (ws, help_sheet):
            for cell in sheet[1]:
                cell.font = Font(bold=True)
        buffer = io.BytesIO()
        wb.save(buffer)
        body = buffer.getvalue()
    else:
        return HttpResponse("Format inconnu : csv ou xlsx.", status=404)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="modele-plan-actions.{fmt}"'
    return response
