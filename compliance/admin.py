"""The compliance admin for legal reviewers: findings and their review, waivers, sweep runs and stored reports.

Rules this module keeps:
- nothing here writes a finding, a review or a waiver itself: every action calls `compliance.services`
  (which checks the permission `compliance.review_finding` and the review state machine again);
- findings are never edited by hand and never deleted from the admin; their history stays visible;
- no changelist runs a query per row (foreign keys joined, rule metadata read from the in-memory registry);
- evidence is shown as a table, with medical details withheld from users without `powcases.view_medical_details`
  (the same redaction as the reports).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Min, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from . import selectors, services
from .choices import FINDING_OUTCOMES, SEVERITY_ORDER, FindingState, Outcome, ReviewAction, RunStatus, Severity
from .forms import (
    BulkReviewForm,
    FindingReviewForm,
    FindingWaiveForm,
    SeenBetweenForm,
    allowed_actions,
    can_waive,
)
from .models import ComplianceRun, ComplianceRunChunk, Finding, FindingReview, Report, ReportDownload, Waiver
from .registry import registry
from .reports.selectors import redact_evidence

REVIEW_PERMISSION = services.REVIEW_PERMISSION
MEDICAL_PERMISSION = "powcases.view_medical_details"
RUN_PERMISSION = "compliance.add_compliancerun"
# Most severe first: the severities are words, so they are ranked for ordering.
SEVERITY_RANK = Case(
    *(When(severity=value, then=Value(rank)) for value, rank in SEVERITY_ORDER.items()), output_field=IntegerField()
)


# --- Small renderers --------------------------------------------------------------------------------------


def badge(kind: str, value: str, label: str) -> SafeString:
    """A coloured label; the colours live in admin/compliance/_styles.html (class `badge-<kind>-<value>`)."""
    return format_html('<span class="cbadge cbadge-{}-{}">{}</span>', kind, value, label)


def admin_change_link(obj: Any, label: str | None = None) -> SafeString:
    """A link to an object's admin page, or its plain label when it has no admin page."""
    if obj is None:
        return format_html("{}", "—")
    meta = obj._meta
    try:
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return format_html("{}", label or obj)
    return format_html('<a href="{}">{}</a>', url, label or obj)


def _humanize_key(key: Any) -> str:
    return capfirst(str(key).replace("_", " "))


def _scalar(value: Any) -> SafeString:
    if value is None:
        return format_html('<span class="quiet">{}</span>', "not recorded")
    if value is True:
        return format_html("{}", "Yes")
    if value is False:
        return format_html("{}", "No")
    if isinstance(value, str):
        if value == "":
            return format_html('<span class="quiet">{}</span>', "empty")
        moment = parse_datetime(value) if "T" in value else None
        if moment is not None:
            return format_html(
                "{}", f"{timezone.localtime(moment):%Y-%m-%d %H:%M %Z}" if timezone.is_aware(moment) else value
            )
    return format_html("{}", value)


def evidence_html(value: Any) -> SafeString:
    """Render a finding's evidence (JSON) as nested tables a person can read: no braces, no quotes.

    A dict becomes a two-column table, a list of dicts a table with one row each, a list of plain values
    a comma-separated line; empty lists say 'none'.
    """
    if isinstance(value, dict):
        if not value:
            return format_html('<span class="quiet">{}</span>', "none")
        rows = format_html_join(
            "", "<tr><th>{}</th><td>{}</td></tr>", ((_humanize_key(k), evidence_html(v)) for k, v in value.items())
        )
        return format_html('<table class="evidence">{}</table>', rows)
    if isinstance(value, list):
        if not value:
            return format_html('<span class="quiet">{}</span>', "none")
        if all(isinstance(item, dict) for item in value):
            columns: list[str] = []
            for item in value:
                columns.extend(k for k in item if k not in columns)
            head = format_html_join("", "<th>{}</th>", ((_humanize_key(c),) for c in columns))
            body = format_html_join(
                "",
                "<tr>{}</tr>",
                (
                    (format_html_join("", "<td>{}</td>", ((evidence_html(item.get(c)),) for c in columns)),)
                    for item in value
                ),
            )
            return format_html('<table class="evidence evidence-rows"><thead><tr>{}</tr></thead>{}</table>', head, body)
        return format_html_join(", ", "{}", ((evidence_html(item),) for item in value))
    return _scalar(value)


# --- Findings: filters ------------------------------------------------------------------------------------


def rule_sort_key(rule: Any) -> tuple[Any, ...]:
    """Order rules as a lawyer reads the treaty: by instrument, then article number (GC3-5 before GC3-13)."""
    parts = rule.id.split("-")
    number = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    return (parts[0], number, rule.id)


class RuleListFilter(admin.SimpleListFilter):
    """Every registered rule, by id and title (from the in-memory registry: no query)."""

    title = "rule"
    parameter_name = "rule"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(rule.id, f"{rule.id} · {rule.title}") for rule in sorted(registry.all(), key=rule_sort_key)]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(rule_id=self.value()) if self.value() else queryset


class OutcomeListFilter(admin.SimpleListFilter):
    """The outcomes a finding can have (compliant and not applicable are never stored)."""

    title = "outcome"
    parameter_name = "outcome__exact"  # the name Django's own choices filter would use (report links read it)

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(outcome.value, outcome.label) for outcome in FINDING_OUTCOMES]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(outcome=self.value()) if self.value() else queryset


class SeenBetweenFilter(admin.ListFilter):
    """Findings seen during a period (first seen before it ended, last seen after it began), as the reports do.

    Two date inputs plus quick links; a bad date is shown next to the inputs and the filter is then ignored.
    """

    title = "date seen"
    template = "admin/compliance/seen_between_filter.html"
    parameters = ("seen_from", "seen_to")

    def __init__(self, request: HttpRequest, params: dict[str, Any], model: Any, model_admin: Any) -> None:
        super().__init__(request, params, model, model_admin)
        for name in self.parameters:
            if name in params:
                value = params.pop(name)
                self.used_parameters[name] = value[-1] if isinstance(value, list) else value
        self.form = SeenBetweenForm(self.used_parameters or None)

    def has_output(self) -> bool:
        return True

    def expected_parameters(self) -> list[str]:
        return list(self.parameters)

    def period(self) -> tuple[dt.date | None, dt.date | None]:
        if not self.used_parameters or not self.form.is_valid():
            return None, None
        return self.form.cleaned_data.get("seen_from"), self.form.cleaned_data.get("seen_to")

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        start, end = self.period()
        zone = timezone.get_current_timezone()
        if start:
            queryset = queryset.filter(last_seen_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=zone))
        if end:
            queryset = queryset.filter(
                first_seen_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
            )
        return queryset

    def choices(self, changelist: Any) -> list[dict[str, Any]]:
        today = timezone.localdate()
        quick = [
            ("Any time", None),
            ("Last 7 days", today - dt.timedelta(days=7)),
            ("Last 30 days", today - dt.timedelta(days=30)),
            ("This year", today.replace(month=1, day=1)),
        ]
        current_from = self.used_parameters.get("seen_from")
        self.hidden_fields_list = self.hidden_fields(changelist)  # for the template's date form
        choices = []
        for label, start in quick:
            if start is None:
                query = changelist.get_query_string(remove=list(self.parameters))
                selected = not self.used_parameters
            else:
                query = changelist.get_query_string({"seen_from": start.isoformat()}, remove=["seen_to"])
                selected = current_from == start.isoformat() and "seen_to" not in self.used_parameters
            choices.append({"display": label, "query_string": query, "selected": selected})
        return choices

    def hidden_fields(self, changelist: Any) -> list[tuple[str, str]]:
        """The other filters of the list, kept when the date form is submitted."""
        return [
            (key, value)
            for key, values in changelist.filter_params.items()
            if key not in self.parameters and key != PAGE_VAR
            for value in values
        ]


# --- Findings: reports for the current filters -------------------------------------------------------------


def findings_report_links(request: HttpRequest, queryset: QuerySet | None = None) -> list[tuple[str, str]]:
    """(label, url) of the report, PDF, CSV and SARIF for the list's current filters.

    A rule filter gives the rule report, else a facility filter the facility report, else a period report
    (from the 'date seen' filter, or from the first finding to today). The text search is not carried over.
    """
    get = request.GET
    query: dict[str, str] = {}
    for param, report_param in (
        ("state__exact", "state"),
        ("severity__exact", "severity"),
        ("outcome__exact", "outcome"),
    ):
        if get.get(param):
            query[report_param] = get[param]
    rule_id, facility_id = get.get("rule", ""), get.get("facility__id__exact", "")
    form = SeenBetweenForm({k: get[k] for k in SeenBetweenFilter.parameters if get.get(k)} or None)
    start = end = None
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data.get("seen_from"), form.cleaned_data.get("seen_to")
    try:
        if rule_id and rule_id in registry:
            base = reverse("compliance:report-rule", kwargs={"rule_id": rule_id})
            if facility_id.isdigit():
                query["facility"] = facility_id
        elif facility_id.isdigit():
            base = reverse("compliance:report-facility", kwargs={"pk": int(facility_id)})
        else:
            base = reverse("compliance:report-period")
            if start is None:
                first = (queryset if queryset is not None else Finding.objects).aggregate(first=Min("first_seen_at"))
                start = timezone.localdate(first["first"]) if first["first"] else timezone.localdate()
            end = end or timezone.localdate()
    except NoReverseMatch:
        return []
    if start:
        query["start"] = start.isoformat()
    if end:
        query["end"] = end.isoformat()
    links = [("Report", f"{base}?{urlencode(query)}" if query else base)]
    for label, fmt in (("PDF", "pdf"), ("CSV", "csv"), ("SARIF", "sarif")):
        links.append((label, f"{base}?{urlencode({**query, 'format': fmt})}"))
    return links


# --- Findings: inlines ------------------------------------------------------------------------------------


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    max_num = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class FindingReviewInline(ReadOnlyInline):
    model = FindingReview
    verbose_name = "review action"
    verbose_name_plural = "Review history"
    fields = ("at", "action", "transition", "actor", "comment")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("actor").order_by("at", "id")

    @admin.display(description="State")
    def transition(self, row: FindingReview) -> str:
        return f"{FindingState(row.from_state).label} → {FindingState(row.to_state).label}"


class WaiverInline(ReadOnlyInline):
    model = Waiver
    verbose_name_plural = "Waivers"
    fields = ("granted_at", "granted_by", "expires_at", "waiver_status", "justification")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("granted_by").order_by("-granted_at")

    @admin.display(description="Status")
    def waiver_status(self, row: Waiver) -> SafeString:
        return waiver_status_badge(row)


def waiver_status_badge(waiver: Waiver) -> SafeString:
    if waiver.revoked_at is not None:
        return badge("waiver", "revoked", f"Ended early {waiver.revoked_at:%Y-%m-%d}")
    if waiver.is_active:
        return badge("waiver", "active", "Active")
    return badge("waiver", "expired", "Expired")


# --- Findings ---------------------------------------------------------------------------------------------


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
    """Findings for legal reviewers: filter, read the evidence, review through compliance.services."""

    list_display = (
        "rule_column",
        "article",
        "detainee_column",
        "facility",
        "outcome_column",
        "severity_column",
        "state_column",
        "last_seen_column",
    )
    list_display_links = ("rule_column",)
    list_select_related = ("detainee", "facility")
    list_filter = (
        RuleListFilter,
        "severity",
        OutcomeListFilter,
        "state",
        ("facility", admin.RelatedOnlyFieldListFilter),
        SeenBetweenFilter,
    )
    search_fields = (
        "detainee__case_number",
        "detainee__family_name",
        "detainee__given_names",
        "detainee__family_name_original",
        "detainee__given_names_original",
        "rule_id",
    )
    search_help_text = "Case number or the detainee's name (in any script), or a rule id."
    list_per_page = 50
    ordering = (SEVERITY_RANK.asc(), "-last_seen_at", "-id")
    actions = ("acknowledge_selected", "resolve_selected")
    inlines = (FindingReviewInline, WaiverInline)
    change_form_template = "admin/compliance/finding/change_form.html"
    change_list_template = "admin/compliance/finding/change_list.html"
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "rule_heading",
                    "message",
                    ("outcome_column", "severity_column", "state_column"),
                    ("detainee_column", "facility", "subject_link"),
                    ("first_seen_at", "last_seen_at"),
                )
            },
        ),
    )
    # Evidence, the rule's text and the report links are rendered by the template after these fields
    # (admin/compliance/finding/change_form.html): the evidence depends on the user (medical details).
    readonly_fields = (
        "rule_heading",
        "message",
        "outcome_column",
        "severity_column",
        "state_column",
        "detainee_column",
        "facility",
        "subject_link",
        "first_seen_at",
        "last_seen_at",
        "resolved_at",
        "auto_resolved",
    )

    # Permissions: findings are written by the engine and moved by review actions, never edited or deleted here.

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_review_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(REVIEW_PERMISSION)

    # Columns

    @admin.display(description="Rule", ordering="rule_id")
    def rule_column(self, obj: Finding) -> SafeString:
        title = registry.get(obj.rule_id).title if obj.rule_id in registry else "(rule no longer registered)"
        # The message as a tooltip: a reviewer scanning the list can read it without opening the finding.
        return format_html(
            '<span title="{}"><strong>{}</strong><br><span class="quiet">{}</span></span>',
            obj.message,
            obj.rule_id,
            title,
        )

    @admin.display(description="Detainee", ordering="detainee__case_number")
    def detainee_column(self, obj: Finding) -> SafeString:
        detainee = obj.detainee
        return format_html(
            '{} <span class="quiet">{}</span>', admin_change_link(detainee, detainee.case_number), detainee.display_name
        )

    @admin.display(description="Outcome", ordering="outcome")
    def outcome_column(self, obj: Finding) -> SafeString:
        return badge("outcome", obj.outcome, Outcome(obj.outcome).label)

    @admin.display(description="Severity", ordering=SEVERITY_RANK)
    def severity_column(self, obj: Finding) -> SafeString:
        return badge("severity", obj.severity, Severity(obj.severity).label)

    @admin.display(description="State", ordering="state")
    def state_column(self, obj: Finding) -> SafeString:
        return badge("state", obj.state, FindingState(obj.state).label)

    @admin.display(description="Last seen", ordering="last_seen_at")
    def last_seen_column(self, obj: Finding) -> str:
        return f"{timezone.localtime(obj.last_seen_at):%Y-%m-%d %H:%M}"

    # Change page

    @admin.display(description="Rule")
    def rule_heading(self, obj: Finding) -> SafeString:
        rule = selectors.finding_rule(finding=obj)
        title = rule.title if rule else "(rule no longer registered)"
        return format_html(
            "<strong>{}</strong> · {} · {} (version {})", obj.rule_id, title, obj.article, obj.rule_version
        )

    @admin.display(description="About the record")
    def subject_link(self, obj: Finding) -> SafeString:
        if obj.subject_type_id is None or obj.subject_id is None:
            return format_html("{}", "The detainee's file as a whole")
        kind = capfirst(obj.subject_type.name)
        subject = obj.subject  # one query, on this page only
        if subject is None:
            return format_html("{} #{} (no longer in the record)", kind, obj.subject_id)
        return admin_change_link(subject, f"{kind} #{obj.subject_id}: {subject}")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.state == FindingState.RESOLVED:
            (name, options), *rest = fieldsets
            fields = (*options["fields"][:-1], ("first_seen_at", "last_seen_at", "resolved_at", "auto_resolved"))
            return [(name, {**options, "fields": fields}), *rest]
        return fieldsets

    def rule_text(self, obj: Finding) -> SafeString:
        rule = selectors.finding_rule(finding=obj)
        if rule is None:
            return format_html("{}", f"The rule {obj.rule_id} is no longer registered; its text is not available.")
        sections = [
            ("What it checks", rule.description),
            ("Why (the law)", rule.rationale),
            ("What to do", rule.remediation),
        ]
        parts = format_html_join("", "<dt>{}</dt><dd>{}</dd>", ((label, text) for label, text in sections if text))
        if rule.references:
            refs = format_html_join("", "<li>{}</li>", ((ref,) for ref in rule.references))
            parts = format_html("{}<dt>References</dt><dd><ul>{}</ul></dd>", parts, refs)
        return format_html('<dl class="rule-text">{}</dl>', parts)

    def report_links(self, obj: Finding) -> SafeString:
        links: list[tuple[str, str]] = []
        try:
            links.append(
                (
                    "Detainee report",
                    reverse("compliance:report-detainee", kwargs={"pk": obj.detainee_id}) + f"#finding-{obj.pk}",
                )
            )
            links.append(
                (f"All {obj.rule_id} findings", reverse("compliance:report-rule", kwargs={"rule_id": obj.rule_id}))
            )
            if obj.facility_id:
                links.append(("Facility report", reverse("compliance:report-facility", kwargs={"pk": obj.facility_id})))
        except NoReverseMatch:
            return format_html("{}", "—")
        return format_html_join(" · ", '<a href="{}">{}</a>', ((url, label) for label, url in links))

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("detainee", "facility", "subject_type")

    # The findings list: report links for the current filters

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        extra_context = {**(extra_context or {}), "report_links": []}
        if request.user.has_perm("compliance.view_report"):
            extra_context["report_links"] = findings_report_links(request)
        return super().changelist_view(request, extra_context)

    # The change page: review panel

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        finding = self.get_object(request, object_id)
        if finding is None or not self.has_view_permission(request, finding):
            return super().change_view(request, object_id, form_url, extra_context)
        review_form = waive_form = None
        if request.method == "POST":
            if not self.has_review_permission(request):
                raise PermissionDenied("Only legal reviewers may review findings.")
            response, review_form, waive_form = self._review(request, finding)
            if response is not None:
                return response
            request.method = "GET"  # render the page again, with the refused form and its errors
            finding = self.get_object(request, object_id)
        evidence = redact_evidence(finding.evidence, medical_allowed=request.user.has_perm(MEDICAL_PERMISSION))
        extra_context = {
            **(extra_context or {}),
            **self._review_context(request, finding, review_form, waive_form),
            "evidence": evidence_html(evidence),
            "evidence_redacted": evidence != finding.evidence,
            "subtitle": f"{finding.rule_id} · {finding.detainee.case_number} {finding.detainee.display_name}",
            "rule_text": self.rule_text(finding),
            "finding_report_links": self.report_links(finding)
            if request.user.has_perm("compliance.view_report")
            else "",
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _review_context(
        self,
        request: HttpRequest,
        finding: Finding,
        review_form: FindingReviewForm | None,
        waive_form: FindingWaiveForm | None,
    ) -> dict[str, Any]:
        if not self.has_review_permission(request):
            return {"can_review": False}
        actions = allowed_actions(finding.state)
        return {
            "can_review": True,
            "review_actions": [(action.value, action.label) for action in actions],
            "review_form": review_form or FindingReviewForm(),
            "can_waive": can_waive(finding.state),
            "waive_form": waive_form or FindingWaiveForm(),
            "active_waiver": selectors.finding_active_waiver(finding=finding),
        }

    def _review(
        self, request: HttpRequest, finding: Finding
    ) -> tuple[HttpResponse | None, FindingReviewForm | None, FindingWaiveForm | None]:
        """Apply one review action from the change page; a redirect on success, the bound form on refusal."""
        # Back to the top of the page, where the message about the action stands.
        redirect = HttpResponseRedirect(f"{request.path}#container")
        if "_waive" in request.POST:
            form = FindingWaiveForm(request.POST)
            if not form.is_valid():
                self._form_errors(request, form)
                return None, None, form
            try:
                waiver = services.finding_waive(
                    actor=request.user,
                    finding=finding,
                    justification=form.cleaned_data["justification"],
                    expires_at=form.expires_at,
                )
            except ValidationError as error:
                self._service_error(request, error)
                return None, None, form
            messages.success(
                request, f"Finding waived until {waiver.expires_at:%Y-%m-%d}. It opens again after that day."
            )
            return redirect, None, None
        form = FindingReviewForm(request.POST)
        if not form.is_valid():
            self._form_errors(request, form)
            return None, form, None
        action = form.cleaned_data["review_action"]
        try:
            finding = services.finding_review(
                actor=request.user, finding=finding, action=action, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            self._service_error(request, error)
            return None, form, None
        messages.success(
            request, f"{ReviewAction(action).label}: the finding is now {finding.get_state_display().lower()}."
        )
        return redirect, None, None

    @staticmethod
    def _form_errors(request: HttpRequest, form: Any) -> None:
        for name, errors in form.errors.items():
            label = (form.fields[name].label or _humanize_key(name)) if name in form.fields else "Action"
            messages.error(request, f"{label}: {' '.join(errors)}")

    @staticmethod
    def _service_error(request: HttpRequest, error: ValidationError) -> None:
        """A refusal by the service (a forbidden transition, a bad expiry): shown as a message, never a 500."""
        details = error.message_dict if hasattr(error, "error_dict") else {"action": error.messages}
        labels = {
            "expires_at": "Waived until",
            "justification": "Justification",
            "comment": "Comment",
            "action": "Action",
        }
        for name, texts in details.items():
            messages.error(request, f"{labels.get(name, _humanize_key(name))}: {' '.join(texts)}")

    # Bulk actions (through the services, one finding at a time: one refusal does not undo the others)

    @admin.action(description="Acknowledge selected findings", permissions=["review"])
    def acknowledge_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk(request, queryset, ReviewAction.ACKNOWLEDGE, comment="")

    @admin.action(description="Resolve selected findings…", permissions=["review"])
    def resolve_selected(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        form = BulkReviewForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._bulk(request, queryset, ReviewAction.RESOLVE, comment=form.cleaned_data["comment"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Resolve findings",
            "opts": self.model._meta,
            "findings": list(queryset.select_related("detainee")),
            "form": form,
            "action": "resolve_selected",
            "action_label": "Resolve",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "is_popup": IS_POPUP_VAR in request.GET,
        }
        return TemplateResponse(request, "admin/compliance/finding/bulk_review.html", context)

    def _bulk(self, request: HttpRequest, queryset: QuerySet, action: str, *, comment: str) -> None:
        done, refused = 0, []
        for finding in queryset.select_related("detainee"):
            try:
                services.finding_review(actor=request.user, finding=finding, action=action, comment=comment)
                done += 1
            except ValidationError as error:
                refused.append(f"{finding.rule_id} for {finding.detainee.case_number} ({' '.join(error.messages)})")
        label = ReviewAction(action).label.lower()
        if done:
            messages.success(request, f"{capfirst(label)}d {done} finding{'s' if done != 1 else ''}.")
        if refused:
            messages.error(request, f"{len(refused)} could not be {label}d: " + "; ".join(refused))


# --- Waivers and the review log (read-only) ---------------------------------------------------------------


class ReadOnlyAdmin(admin.ModelAdmin):
    """A list and detail page to read, never to write."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class WaiverStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("active", "Active"), ("expired", "Expired"), ("revoked", "Ended early")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        now = timezone.now()
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True, expires_at__gt=now)
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(Waiver)
class WaiverAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("finding_column", "justification", "granted_by", "granted_at", "expires_at", "status_column")
    list_select_related = ("finding__detainee", "granted_by")
    list_filter = (WaiverStatusFilter,)
    search_fields = ("finding__rule_id", "finding__detainee__case_number", "justification")
    date_hierarchy = "granted_at"

    @admin.display(description="Finding", ordering="finding__rule_id")
    def finding_column(self, obj: Waiver) -> SafeString:
        finding = obj.finding
        return admin_change_link(finding, f"{finding.rule_id} · {finding.detainee.case_number}")

    @admin.display(description="Status")
    def status_column(self, obj: Waiver) -> SafeString:
        return waiver_status_badge(obj)


@admin.register(FindingReview)
class FindingReviewAdmin(ReadOnlyAdmin):
    """Every review action on every finding: the audit trail of the legal review."""

    list_display = ("at", "finding_column", "action", "transition", "actor", "comment")
    list_select_related = ("finding__detainee", "actor")
    list_filter = ("action",)
    search_fields = ("finding__rule_id", "finding__detainee__case_number", "comment", "actor__username")
    date_hierarchy = "at"

    @admin.display(description="Finding", ordering="finding__rule_id")
    def finding_column(self, obj: FindingReview) -> SafeString:
        return admin_change_link(obj.finding, f"{obj.finding.rule_id} · {obj.finding.detainee.case_number}")

    @admin.display(description="State")
    def transition(self, obj: FindingReview) -> str:
        return f"{FindingState(obj.from_state).label} → {FindingState(obj.to_state).label}"


# --- Compliance runs --------------------------------------------------------------------------------------


def progress_bar(run: ComplianceRun) -> SafeString:
    percent = run.progress_percent
    return format_html(
        '<div class="cprogress" title="{} of {} detainees">'
        '<div class="cprogress-bar cprogress-{}" style="width: {}%"></div>'
        '<span class="cprogress-label">{} / {} · {}%</span></div>',
        run.processed,
        run.total,
        run.status,
        percent,
        run.processed,
        run.total,
        percent,
    )


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes} min {rest:02d} s"


class ChunkInline(ReadOnlyInline):
    model = ComplianceRunChunk
    verbose_name_plural = "Chunks"
    fields = ("index", "first_id", "last_id", "size", "done_at", "findings_opened", "findings_resolved", "queries")
    readonly_fields = fields

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Chunks are part of the run: whoever may see the run sees them (no separate permission exists in roles).
        return request.user.has_perm("compliance.view_compliancerun")


@admin.register(ComplianceRun)
class ComplianceRunAdmin(ReadOnlyAdmin):
    """Sweep runs with their progress; a 'Run full sweep' button for users allowed to start one."""

    list_display = (
        "run_column",
        "kind",
        "status_column",
        "progress_column",
        "findings_opened",
        "findings_resolved",
        "duration_column",
        "requested_by",
        "created_column",
    )
    list_select_related = ("requested_by",)
    list_filter = ("status", "kind")
    inlines = (ChunkInline,)
    change_list_template = "admin/compliance/compliancerun/change_list.html"
    change_form_template = "admin/compliance/compliancerun/change_form.html"
    fields = (
        ("kind", "status_column", "requested_by"),
        "progress_column",
        ("findings_opened", "findings_resolved"),
        ("created_at", "started_at", "finished_at", "duration_column"),
        ("chunks_total", "chunks_done"),
        "rule_ids",
        "error",
    )
    readonly_fields = (
        "kind",
        "status_column",
        "requested_by",
        "progress_column",
        "findings_opened",
        "findings_resolved",
        "created_at",
        "started_at",
        "finished_at",
        "duration_column",
        "chunks_total",
        "chunks_done",
        "rule_ids",
        "error",
    )

    @admin.display(description="Status", ordering="status")
    def status_column(self, obj: ComplianceRun) -> SafeString:
        return badge("run", obj.status, RunStatus(obj.status).label)

    @admin.display(description="Run", ordering="pk")
    def run_column(self, obj: ComplianceRun) -> str:
        return f"#{obj.pk}"

    @admin.display(description="Started", ordering="created_at")
    def created_column(self, obj: ComplianceRun) -> str:
        return f"{timezone.localtime(obj.created_at):%Y-%m-%d %H:%M}"

    @admin.display(description="Progress")
    def progress_column(self, obj: ComplianceRun) -> SafeString:
        return progress_bar(obj)

    @admin.display(description="Duration")
    def duration_column(self, obj: ComplianceRun) -> str:
        return duration_text(obj.duration_seconds)

    def get_urls(self) -> list[Any]:
        urls = [
            path(
                "run-full-sweep/",
                self.admin_site.admin_view(require_POST(self.run_full_sweep_view)),
                name="compliance_compliancerun_run_full_sweep",
            )
        ]
        return urls + super().get_urls()

    def run_full_sweep_view(self, request: HttpRequest) -> HttpResponse:
        """Start a full sweep (POST only, CSRF-checked by admin_view). Eager: it is finished when we redirect."""
        if not request.user.has_perm(RUN_PERMISSION):
            raise PermissionDenied("Starting a sweep needs the permission compliance.add_compliancerun.")
        changelist = reverse("admin:compliance_compliancerun_changelist")
        try:
            run = services.compliance_run_start(actor=request.user, kind="full")
        except ValidationError as error:
            messages.error(request, "The sweep could not start: " + " ".join(error.messages))
            return HttpResponseRedirect(changelist)
        run.refresh_from_db()
        if run.status == RunStatus.SUCCEEDED:
            messages.success(
                request,
                f"Full sweep #{run.pk} finished: {run.total} detainees, {run.findings_opened} findings opened, "
                f"{run.findings_resolved} resolved, in {duration_text(run.duration_seconds)}.",
            )
        elif run.status == RunStatus.FAILED:
            messages.error(request, f"Full sweep #{run.pk} failed: {run.error}")
        else:
            messages.info(request, f"Full sweep #{run.pk} started on {run.total} detainees; its progress shows below.")
        return HttpResponseRedirect(changelist)

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "can_run_sweep": request.user.has_perm(RUN_PERMISSION),
            "refresh": ComplianceRun.objects.filter(status__in=(RunStatus.PENDING, RunStatus.RUNNING)).exists(),
        }
        return super().changelist_view(request, extra_context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        run = get_object_or_404(ComplianceRun, pk=object_id) if str(object_id).isdigit() else None
        extra_context = {
            **(extra_context or {}),
            "refresh": bool(run and run.status in (RunStatus.PENDING, RunStatus.RUNNING)),
        }
        return super().change_view(request, object_id, form_url, extra_context)


# --- Stored reports and their downloads ------------------------------------------------------------------


def _size(num: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if num < 1024 or unit == "GB":
            return f"{num:.0f} {unit}" if unit == "B" else f"{num:.1f} {unit}"
        num /= 1024
    return f"{num} B"


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = (
        "__str__",
        "scope",
        "format",
        "status_column",
        "finding_count",
        "size_column",
        "requested_by",
        "created_at",
        "download_column",
    )
    list_select_related = ("requested_by",)
    list_filter = ("status", "scope", "format")
    search_fields = ("title",)
    exclude = ("file",)  # the file is reached only through the permission-checked download view
    readonly_fields = (
        "title",
        "scope",
        "format",
        "parameters",
        "status_column",
        "progress",
        "finding_count",
        "size_column",
        "content_hash",
        "requested_by",
        "created_at",
        "finished_at",
        "error",
        "download_column",
    )
    fields = readonly_fields

    @admin.display(description="Status", ordering="status")
    def status_column(self, obj: Report) -> SafeString:
        return badge("run", obj.status, RunStatus(obj.status).label)

    @admin.display(description="Size", ordering="size_bytes")
    def size_column(self, obj: Report) -> str:
        return _size(obj.size_bytes) if obj.size_bytes else "—"

    @admin.display(description="Download")
    def download_column(self, obj: Report) -> SafeString:
        try:
            status_url = reverse("compliance:report-status", kwargs={"pk": obj.pk})
            download_url = reverse("compliance:report-download", kwargs={"pk": obj.pk})
        except NoReverseMatch:
            return format_html("{}", "—")
        if obj.status == RunStatus.SUCCEEDED and obj.file:
            return format_html('<a href="{}">Download {}</a>', download_url, obj.get_format_display())
        return format_html('<a href="{}">{}</a>', status_url, "Status")


@admin.register(ReportDownload)
class ReportDownloadAdmin(ReadOnlyAdmin):
    list_display = ("at", "report_column", "user", "ip_address")
    list_select_related = ("report", "user")
    search_fields = ("report__title", "user__username", "ip_address")
    date_hierarchy = "at"

    @admin.display(description="Report", ordering="report__title")
    def report_column(self, obj: ReportDownload) -> SafeString:
        return admin_change_link(obj.report)
