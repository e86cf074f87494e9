"""Server-side SVG charts: they print, and they escape what they show."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from xml.etree import ElementTree

from django.utils import timezone

from compliance.reports import charts


def _finding(days_ago: int, severity: str = "high", facility: str | None = "Camp <A> & B"):
    return SimpleNamespace(
        first_seen_at=timezone.now() - dt.timedelta(days=days_ago),
        severity=severity,
        facility_id=1 if facility else None,
        facility=SimpleNamespace(name=facility) if facility else None,
    )


def test_charts_are_well_formed_svg_with_escaped_labels():
    findings = [_finding(d, s) for d, s in [(1, "critical"), (40, "high"), (200, "low"), (200, "low")]]
    for svg in (charts.findings_over_time_svg(findings), charts.findings_by_facility_svg(findings)):
        root = ElementTree.fromstring(svg)  # noqa: S314 - our own output
        assert root.tag.endswith("svg")
    assert "Camp &lt;A&gt; &amp; B" in charts.findings_by_facility_svg(findings)


def test_by_facility_counts_each_facility_and_findings_without_one():
    findings = [_finding(1), _finding(2), _finding(3, facility=None)]
    svg = charts.findings_by_facility_svg(findings)
    assert "(no facility recorded)" in svg
    assert ">2</text>" in svg and ">1</text>" in svg


def test_an_empty_selection_says_so():
    assert "No findings in this selection." in charts.findings_over_time_svg([])
