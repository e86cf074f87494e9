"""HTML to PDF with WeasyPrint (A4, page margin boxes from the report's print stylesheet).

Fonts: DejaVu for Latin and Cyrillic, NanumGothic (Debian `fonts-nanum`, installed by `.ci/system-deps`) for
Hangul. Without a Korean font WeasyPrint prints empty boxes while text extraction still "finds" the text, so
tests check the font embedded in the PDF, and people look at rendered pages (`pdftoppm -png`).
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

STYLESHEETS = ("compliance/report.css", "compliance/print.css")
CARD_STYLESHEETS = ("compliance/cards.css",)

# WeasyPrint logs every unsupported CSS property at WARNING; keep the logs for real problems.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def stylesheet_paths(names: tuple[str, ...]) -> list[str]:
    paths = []
    for name in names:
        found = finders.find(name)
        if not found:
            raise FileNotFoundError(f"Static file {name!r} is missing (looked in STATICFILES_DIRS and app static).")
        paths.append(str(found))
    return paths


def html_to_pdf(html: str, *, stylesheets: tuple[str, ...] = STYLESHEETS) -> bytes:
    """Render an HTML document to PDF bytes with the given static stylesheets."""
    from weasyprint import CSS, HTML  # imported lazily: it loads pango and fonts, slow at start-up

    base_url = str(Path(settings.BASE_DIR))
    css = [CSS(filename=path) for path in stylesheet_paths(stylesheets)]
    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=css)
