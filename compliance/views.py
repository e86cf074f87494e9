"""Report views for legal reviewers: HTML reports, PDF, CSV and SARIF exports, stored reports, Annex IV cards.

Every view needs a login and a permission: reports need `compliance.view_report` (building a stored one
`compliance.add_report`), cards need `powcases.view_detainee`. Medical details appear only for users with
`powcases.view_medical_details`, and a stored report built with them is downloadable only by such users.
Bad parameters give a 400 page naming the parameter and what was expected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from compliance.choices import ReportFormat, ReportScope, RunStatus
from compliance.models import Finding, Report
from compliance.reports import cards, pdf, rendering, services
from compliance.reports.selectors import Selection, SelectionError, build_report_data, count_findings
from powcases.models import Detainee, Facility

VIEW_REPORT = "compliance.view_report"
ADD_REPORT = "compliance.add_report"
VIEW_DETAINEE = "powcases.view_detainee"
RULE_ID_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")


def direct_limit() -> int:
    """Largest selection rendered as HTML or PDF within the request; larger ones are built by a task."""
    return int(settings.COMPLIANCE_REPORT_DIRECT_LIMIT)


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied(f"You need the permission {permission!r} to see this page.")


def _bad_request(request: HttpRequest, error: SelectionError) -> HttpResponse:
    return render(
        request, "compliance/reports/error.html", {"field": error.field, "message": error.message}, status=400
    )


def _no_store(response: HttpResponse) -> HttpResponse:
    # Reports carry personal data of protected persons: never cached by browsers or proxies.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _list(request: HttpRequest, name: str) -> tuple[str, ...]:
    values: list[str] = []
    for raw in request.GET.getlist(name):
        values.extend(v.strip() for v in raw.split(",") if v.strip())
    return tuple(values)


def _date(request: HttpRequest, name: str) -> dt.date | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise SelectionError(name, f"expected a date as YYYY-MM-DD, got {raw!r}.") from None


def _int(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise SelectionError(name, f"expected a whole number (an id), got {raw!r}.")
    return int(raw)


def selection_from_request(request: HttpRequest, scope: str, **fixed: Any) -> Selection:
    """The scope from the URL, the filters from the query string (state, severity, outcome, rule, start, end)."""
    params: dict[str, Any] = {
        "scope": scope,
        "states": _list(request, "state"),
        "severities": _list(request, "severity"),
        "outcomes": _list(request, "outcome"),
        "start": _date(request, "start"),
        "end": _date(request, "end"),
        "rule_id": request.GET.get("rule", "").strip(),
        "facility_id": _int(request, "facility"),
    }
    params.update({k: v for k, v in fixed.items() if v is not None})
    if params["rule_id"] and not set(params["rule_id"]) <= RULE_ID_CHARS:
        raise SelectionError("rule", "a rule id has only letters, digits, '-', '_' and '.' (e.g. GC3-17-LANG).")
    return Selection(**params)


def _format(request: HttpRequest) -> str:
    fmt = request.GET.get("format", ReportFormat.HTML)
    if fmt not in ReportFormat.values:
        raise SelectionError("format", f"expected one of {', '.join(ReportFormat.values)}, got {fmt!r}.")
    return fmt


def _filename(selection: Selection, extension: str) -> str:
    ident = (
        selection.detainee_id
        or selection.facility_id
        or selection.rule_id
        or (f"{selection.start}_{selection.end}" if selection.start else "all")
    )
    return f"compliance-{selection.scope}-{ident}-{timezone.now():%Y%m%d-%H%M}.{extension}"


def _serve_report(request: HttpRequest, scope: str, **fixed: Any) -> HttpResponse:
    """Render a report in the requested format, or (POST) request a stored build of it."""
    _require(request, VIEW_REPORT)
    try:
        selection = selection_from_request(request, scope, **fixed)
        fmt = request.POST.get("format", ReportFormat.PDF) if request.method == "POST" else _format(request)
        if request.method == "POST":
            _require(request, ADD_REPORT)
            report = services.report_request(selection=selection, fmt=fmt, user=request.user)
            return redirect("compliance:report-status", pk=report.pk)
        count = count_findings(selection)
        limit = direct_limit() if fmt in (ReportFormat.HTML, ReportFormat.PDF) else direct_limit() * 20
        if count > limit:
            return _no_store(
                render(
                    request,
                    "compliance/reports/large.html",
                    {
                        "count": count,
                        "limit": limit,
                        "fmt": fmt,
                        "can_build": request.user.has_perm(ADD_REPORT),
                        "build_url": request.get_full_path(),
                    },
                )
            )
        data = build_report_data(selection, user=request.user)
    except SelectionError as error:
        return _bad_request(request, error)
    if fmt == ReportFormat.HTML:
        base = request.path
        query = request.GET.copy()
        query.pop("format", None)

        def url(f: str) -> str:
            q = query.copy()
            q["format"] = f
            return f"{base}?{q.urlencode()}"

        # The template needs the CSRF token for the build form: render with the request.
        html = render_to_string(
            "compliance/reports/report.html",
            rendering.report_context(
                data,
                for_pdf=False,
                extra={
                    "pdf_url": url("pdf"),
                    "csv_url": url("csv"),
                    "sarif_url": url("sarif"),
                    "build_url": f"{base}?{query.urlencode()}",
                    "can_build": request.user.has_perm(ADD_REPORT),
                },
            ),
            request=request,
        )
        return _no_store(HttpResponse(html, content_type="text/html; charset=utf-8"))
    rendered = rendering.render(data, fmt)
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = f'attachment; filename="{_filename(selection, rendered.extension)}"'
    return _no_store(response)


@login_required
@require_http_methods(["GET", "POST"])
def report_detainee(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(Detainee, pk=pk)
    return _serve_report(request, ReportScope.DETAINEE, detainee_id=pk)


@login_required
@require_http_methods(["GET", "POST"])
def report_facility(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(Facility, pk=pk)
    return _serve_report(request, ReportScope.FACILITY, facility_id=pk)


@login_required
@require_http_methods(["GET", "POST"])
def report_period(request: HttpRequest) -> HttpResponse:
    return _serve_report(request, ReportScope.PERIOD)


@login_required
@require_http_methods(["GET", "POST"])
def report_rule(request: HttpRequest, rule_id: str) -> HttpResponse:
    if not set(rule_id) <= RULE_ID_CHARS:
        raise Http404("No such rule.")
    return _serve_report(request, ReportScope.RULE, rule_id=rule_id)


@login_required
@require_GET
def report_index(request: HttpRequest) -> HttpResponse:
    """Stored reports, and forms to open a period or rule report."""
    _require(request, VIEW_REPORT)
    reports = Report.objects.select_related("requested_by").order_by("-created_at", "-id")[:50]
    rule_ids = list(Finding.objects.order_by("rule_id").values_list("rule_id", flat=True).distinct())
    facilities = Facility.objects.order_by("name").only("id", "name")
    today = timezone.localdate()
    return _no_store(
        render(
            request,
            "compliance/reports/index.html",
            {
                "reports": reports,
                "rule_ids": rule_ids,
                "facilities": facilities,
                "default_start": (today - dt.timedelta(days=30)).isoformat(),
                "default_end": today.isoformat(),
            },
        )
    )


def _stored_report(request: HttpRequest, pk: int) -> Report:
    _require(request, VIEW_REPORT)
    report = get_object_or_404(Report.objects.select_related("requested_by"), pk=pk)
    if not services.report_may_be_read_by(report, request.user):
        raise PermissionDenied("This report contains medical details, which your role may not see.")
    return report


@login_required
@require_GET
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    report = _stored_report(request, pk)
    refresh = report.status in (RunStatus.PENDING, RunStatus.RUNNING)
    return _no_store(render(request, "compliance/reports/status.html", {"report": report, "refresh": refresh}))


@login_required
@require_GET
def report_progress(request: HttpRequest, pk: int) -> JsonResponse:
    report = _stored_report(request, pk)
    return JsonResponse(
        {
            "status": report.status,
            "progress": report.progress,
            "finding_count": report.finding_count,
            "content_hash": report.content_hash,
            "error": report.error,
        }
    )


@login_required
@require_GET
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    """The stored file, after the permission check; every download is logged with user, time and IP address."""
    report = _stored_report(request, pk)
    if report.status != RunStatus.SUCCEEDED or not report.file:
        raise Http404("This report has not been built (yet).")
    try:
        handle = report.file.open("rb")
    except FileNotFoundError:
        raise Http404("The report file is missing from storage.") from None
    services.report_download_record(report=report, user=request.user, ip_address=request.META.get("REMOTE_ADDR"))
    content_type = {
        ReportFormat.PDF: "application/pdf",
        ReportFormat.CSV: "text/csv; charset=utf-8",
        ReportFormat.SARIF: "application/sarif+json",
        ReportFormat.HTML: "text/html; charset=utf-8",
    }[ReportFormat(report.format)]
    response = FileResponse(
        handle, content_type=content_type, as_attachment=True, filename=report.file.name.rsplit("/", 1)[-1]
    )
    response["X-Content-SHA256"] = report.content_hash
    return _no_store(response)


# --- Annex IV cards ---------------------------------------------------------------------------------------

CARD_TEMPLATES: dict[str, tuple[str, Callable[..., dict[str, Any]]]] = {
    "capture": ("compliance/cards/capture_card.html", cards.capture_card_context),
    "identity": ("compliance/cards/identity_card.html", cards.identity_card_context),
    "rights": ("compliance/cards/rights_notice.html", cards.rights_notice_context),
}


def _card(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    _require(request, VIEW_DETAINEE)
    get_object_or_404(Detainee, pk=pk)
    lang = request.GET.get("lang", "").strip().lower()
    if lang and lang not in cards.CARD_LANGUAGES:
        return _bad_request(
            request, SelectionError("lang", f"expected one of {', '.join(cards.CARD_LANGUAGES)}, got {lang!r}.")
        )
    fmt = request.GET.get("format", "html")
    if fmt not in ("html", "pdf"):
        return _bad_request(request, SelectionError("format", f"expected 'html' or 'pdf', got {fmt!r}."))
    template, build = CARD_TEMPLATES[kind]
    kwargs: dict[str, Any] = {"requested_language": lang}
    if kind == "capture":
        kwargs["user"] = request.user
    context = build(pk, **kwargs)
    current = context.get("language") or context["languages"].secondary
    context.update(
        {
            "for_pdf": fmt == "pdf",
            "pdf_url": f"{request.path}?format=pdf" + (f"&lang={lang}" if lang else ""),
            "language_choices": [(code, cards.LABELS[code]["language_name"]) for code in cards.CARD_LANGUAGES],
            "current_language": current,
            "notes": context.get("notes") or getattr(context.get("languages"), "notes", []),
        }
    )
    html = render_to_string(template, context, request=request)
    if fmt == "html":
        return _no_store(HttpResponse(html, content_type="text/html; charset=utf-8"))
    content = pdf.html_to_pdf(html, stylesheets=pdf.CARD_STYLESHEETS)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{kind}-card-{context["detainee"].case_number}-{current}.pdf"'
    )
    return _no_store(response)


@login_required
@require_GET
def card_capture(request: HttpRequest, pk: int) -> HttpResponse:
    return _card(request, pk, "capture")


@login_required
@require_GET
def card_identity(request: HttpRequest, pk: int) -> HttpResponse:
    return _card(request, pk, "identity")


@login_required
@require_GET
def card_rights_notice(request: HttpRequest, pk: int) -> HttpResponse:
    return _card(request, pk, "rights")


def report_url(scope: str, obj: Any = None, **query: str) -> str:
    """URL of a report for code elsewhere (admin links): scope + object, query filters as keyword arguments."""
    from urllib.parse import urlencode

    names = {
        ReportScope.DETAINEE: "compliance:report-detainee",
        ReportScope.FACILITY: "compliance:report-facility",
        ReportScope.RULE: "compliance:report-rule",
        ReportScope.PERIOD: "compliance:report-period",
    }
    if scope == ReportScope.RULE:
        base = reverse(names[scope], kwargs={"rule_id": obj})
    elif scope == ReportScope.PERIOD:
        base = reverse(names[scope])
    else:
        base = reverse(names[scope], kwargs={"pk": obj.pk})
    return f"{base}?{urlencode(query)}" if query else base
