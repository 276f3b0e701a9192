"""PDF of a portrait de ville (A4), rendered by WeasyPrint from a print template.

The print template is standalone (its own small stylesheet, no DSFR CSS or web fonts to fetch),
so a PDF takes a fraction of a second to lay out; the charts are the page's inline SVG.
"""

from __future__ import annotations

from django.template.loader import render_to_string


def portrait_pdf(context: dict) -> bytes:
    from weasyprint import HTML  # imported here: loading pango is only needed for PDFs

    html = render_to_string("diagnostics/portrait_print.html", context)
    return HTML(string=html).write_pdf()
