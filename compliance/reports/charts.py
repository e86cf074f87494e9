"""Small SVG charts drawn on the server, so a printed or PDF report shows them without JavaScript.

Hand-written SVG: two chart shapes (columns over time, bars by facility), each stacked by severity, with a
legend and plain text labels. Every label is escaped; the output is safe to mark safe in a template.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from django.utils import timezone

from compliance.choices import Severity

SEVERITY_COLOURS = {
    Severity.CRITICAL: "#7f1d1d",
    Severity.HIGH: "#c2410c",
    Severity.MEDIUM: "#ca8a04",
    Severity.LOW: "#4d7c0f",
}
SEVERITIES = list(SEVERITY_COLOURS)
FONT = "font-family:'DejaVu Sans',sans-serif"
MAX_FACILITIES = 12


def _nice_max(value: int) -> int:
    """A round axis maximum at or above `value` (1, 2, 5 times a power of ten)."""
    if value <= 5:
        return max(value, 1)
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return value


def _legend(x: float, y: float) -> list[str]:
    parts = []
    for i, severity in enumerate(SEVERITIES):
        lx = x + i * 95
        parts.append(f'<rect x="{lx}" y="{y - 9}" width="10" height="10" fill="{SEVERITY_COLOURS[severity]}"/>')
        parts.append(f'<text x="{lx + 14}" y="{y}" font-size="10" style="{FONT}">{Severity(severity).label}</text>')
    return parts


def _empty(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
        f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" font-size="12" style="{FONT}" fill="#555">'
        "No findings in this selection.</text></svg>"
    )


def _period_keys(dates: Sequence[dt.date]) -> tuple[list[str], Any]:
    """Buckets for the time axis: weeks for a span of up to about two months, months otherwise."""
    first, last = min(dates), max(dates)
    if (last - first).days <= 62:
        start = first - dt.timedelta(days=first.weekday())
        keys = []
        week = start
        while week <= last:
            keys.append(week.isoformat())
            week += dt.timedelta(days=7)
        return keys, lambda d: (d - dt.timedelta(days=d.weekday())).isoformat()
    keys = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys, lambda d: f"{d.year:04d}-{d.month:02d}"


def findings_over_time_svg(findings: Iterable[Any], *, width: int = 640, height: int = 240) -> str:
    """Columns of findings by the week or month they were first seen, stacked by severity."""
    title = "Findings by the date they were first seen, stacked by severity"
    items = list(findings)
    if not items:
        return _empty(width, height, title)
    tz = timezone.get_current_timezone()
    dates = [timezone.localtime(f.first_seen_at, tz).date() for f in items]
    keys, bucket = _period_keys(dates)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for finding, date in zip(items, dates, strict=True):
        counts[bucket(date)][finding.severity] += 1
    left, right, top, bottom = 44, 10, 24, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _nice_max(max(sum(c.values()) for c in counts.values()))
    slot = plot_w / len(keys)
    bar_w = max(2.0, min(40.0, slot * 0.7))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#333"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#333"/>',
    ]
    # Whole-number gridlines only: a count of findings has no fractions.
    ticks = next(t for t in (4, 5, 2, 1) if t <= peak and peak % t == 0)
    for tick in range(ticks + 1):
        value = peak * tick / ticks
        y = top + plot_h - plot_h * tick / ticks
        label = f"{value:.0f}" if value == int(value) else f"{value:.1f}"
        parts.append(f'<line x1="{left - 3}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(
            f'<text x="{left - 6}" y="{y + 3:.1f}" text-anchor="end" font-size="9" style="{FONT}">{label}</text>'
        )
    label_every = max(1, len(keys) // 12)
    for i, key in enumerate(keys):
        x = left + i * slot + (slot - bar_w) / 2
        y = top + plot_h
        for severity in reversed(SEVERITIES):
            n = counts[key][severity]
            if not n:
                continue
            h = plot_h * n / peak
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{SEVERITY_COLOURS[severity]}">'
                f"<title>{escape(key)}: {n} {Severity(severity).label.lower()}</title></rect>"
            )
        if i % label_every == 0:
            cx = left + i * slot + slot / 2
            parts.append(
                f'<text x="{cx:.1f}" y="{top + plot_h + 13}" text-anchor="middle" font-size="9" style="{FONT}">'
                f"{escape(key)}</text>"
            )
    parts.extend(_legend(left, height - 8))
    parts.append("</svg>")
    return "".join(parts)


def findings_by_facility_svg(findings: Iterable[Any], *, width: int = 640) -> str:
    """Horizontal bars of findings per facility (the largest first), stacked by severity."""
    title = "Findings by facility, stacked by severity"
    items = list(findings)
    if not items:
        return _empty(width, 80, title)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for finding in items:
        name = finding.facility.name if finding.facility_id else "(no facility recorded)"
        counts[name][finding.severity] += 1
    ordered = sorted(counts.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    if len(ordered) > MAX_FACILITIES:
        rest: Counter[str] = Counter()
        for _, c in ordered[MAX_FACILITIES - 1 :]:
            rest.update(c)
        ordered = [*ordered[: MAX_FACILITIES - 1], (f"{len(counts) - MAX_FACILITIES + 1} other facilities", rest)]
    row_h, top, label_w, right = 20, 10, 190, 50
    height = top + row_h * len(ordered) + 34
    plot_w = width - label_w - right
    peak = max(sum(c.values()) for _, c in ordered)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (name, c) in enumerate(ordered):
        y = top + i * row_h
        short = name if len(name) <= 30 else name[:29] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" font-size="10" style="{FONT}">'
            f"{escape(short)}</text>"
        )
        x = float(label_w)
        for severity in SEVERITIES:
            n = c[severity]
            if not n:
                continue
            w = plot_w * n / peak
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                f'fill="{SEVERITY_COLOURS[severity]}">'
                f"<title>{escape(name)}: {n} {Severity(severity).label.lower()}</title></rect>"
            )
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 13}" font-size="10" style="{FONT}">{sum(c.values())}</text>')
    parts.extend(_legend(label_w, height - 8))
    parts.append("</svg>")
    return "".join(parts)
