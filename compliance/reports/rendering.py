"""Render a report (HTML for the browser, the same HTML for WeasyPrint) and its exports to bytes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from compliance.choices import ReportFormat

from . import exports, pdf
from .selectors import ReportData

COMPACT_ABOVE = 50
CONFIDENTIALITY_MARKING = (
    "CONFIDENTIAL — personal data of a person protected by the Third Geneva Convention. "
    "Not for publication (GCIII Art. 13(2))."
)


@dataclass(frozen=True)
class Rendered:
    content: bytes
    content_type: str
    extension: str


def report_context(data: ReportData, *, for_pdf: bool, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "report": data,
        "for_pdf": for_pdf,
        "marking": CONFIDENTIALITY_MARKING,
        # Past this many findings each one points to its rule's explanation (with the page number in the PDF)
        # instead of repeating it: a 1,000-finding report stays readable and builds faster.
        "compact": data.finding_count > COMPACT_ABOVE,
        # The charts are built from escaped text by compliance.reports.charts.
        "chart_over_time": mark_safe(data.chart_over_time),
        "chart_by_facility": mark_safe(data.chart_by_facility),
        **(extra or {}),
    }


def render_html(data: ReportData, *, for_pdf: bool = False, extra: dict[str, Any] | None = None) -> str:
    return render_to_string("compliance/reports/report.html", report_context(data, for_pdf=for_pdf, extra=extra))


def render(data: ReportData, fmt: str, *, progress: Callable[[int], None] | None = None) -> Rendered:
    """The report in one format, as bytes ready to store or send."""
    if fmt == ReportFormat.PDF:
        html = render_html(data, for_pdf=True)
        if progress:
            progress(65)
        return Rendered(pdf.html_to_pdf(html), "application/pdf", "pdf")
    if fmt == ReportFormat.HTML:
        # A stored HTML report is opened from disk, away from the server: its stylesheet travels inside it.
        css = "\n".join(
            Path(path).read_text(encoding="utf-8") for path in pdf.stylesheet_paths(("compliance/report.css",))
        )
        html = render_html(data, for_pdf=False, extra={"inline_css": css, "standalone": True})
        return Rendered(html.encode("utf-8"), "text/html; charset=utf-8", "html")
    if fmt == ReportFormat.CSV:
        return Rendered(exports.to_csv(data), "text/csv; charset=utf-8", "csv")
    if fmt == ReportFormat.SARIF:
        return Rendered(exports.to_sarif(data), "application/sarif+json", "sarif.json")
    raise ValueError(f"format: expected one of {', '.join(ReportFormat.values)}, got {fmt!r}.")
