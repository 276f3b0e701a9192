"""PDF of the outcomes (A4), rendered by WeasyPrint from a standalone print template, as the
portrait's PDF is (``pvd.diagnostics.pdf``): its own small stylesheet, the pages' inline SVG."""

from __future__ import annotations

from django.template.loader import render_to_string


def outcomes_pdf(context: dict) -> bytes:
    from weasyprint import HTML  # imported here: loading pango is only needed for PDFs

    return HTML(string=render_to_string("outcomes/print.html", context)).write_pdf()
