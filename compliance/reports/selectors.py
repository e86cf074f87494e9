"""Selections of findings for reports, and everything a report shows about them.

Every function here reads a fixed number of queries, whatever the number of findings: findings come with
their detainee, facility and subject type joined, and their reviews and waivers prefetched (two queries);
summaries and charts are computed from that list in Python. A detainee's dossier is one query per kind of
record, medical records only for users allowed to see them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from compliance.choices import SEVERITY_ORDER, FindingState, Outcome, ReportScope, Severity
from compliance.models import Finding, FindingReview, Waiver
from powcases.models import Detainee, ExchangeOutgoing, Facility, Interrogation, RepatriationWish

from . import charts
from .rules import RuleInfo, rules_info

MEDICAL_PERMISSION = "powcases.view_medical_details"
# Evidence keys that carry medical details: their values are withheld from users without the medical permission.
MEDICAL_KEY_FRAGMENTS = (
    "medical",
    "health",
    "weight",
    "condition",
    "injur",
    "diagnos",
    "treatment",
    "fit_for",
    "fit_to",
    "can_speak",
    "can_write",
    "certificate",
    "serious",
    "sick",
    "wound",
    "illness",
    "medical_assessment",
    "eligible_for_direct",
    "mixed_medical",
)
WITHHELD = "[withheld: medical detail]"
WITHHELD_MESSAGE = "[withheld: this finding describes medical details, which your role may not see]"


class SelectionError(ValueError):
    """A report selection that cannot be built; `field` names the parameter at fault."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class Selection:
    """Which findings a report covers: a scope object and optional filters. Stored as Report.parameters."""

    scope: str
    detainee_id: int | None = None
    facility_id: int | None = None
    rule_id: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    states: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.scope not in ReportScope.values:
            raise SelectionError("scope", f"expected one of {', '.join(ReportScope.values)}, got {self.scope!r}.")
        required = {
            ReportScope.DETAINEE: ("detainee_id", self.detainee_id),
            ReportScope.FACILITY: ("facility_id", self.facility_id),
            ReportScope.RULE: ("rule_id", self.rule_id),
        }.get(ReportScope(self.scope))
        if required and not required[1]:
            raise SelectionError(required[0], f"a {self.scope} report needs {required[0]}.")
        if self.scope == ReportScope.PERIOD and (self.start is None or self.end is None):
            raise SelectionError("start", "a period report needs a start and an end date (YYYY-MM-DD).")
        if self.start and self.end and self.end < self.start:
            raise SelectionError("end", "the end of the period cannot be before its start.")
        for name, values, allowed in (
            ("state", self.states, FindingState.values),
            ("severity", self.severities, Severity.values),
            ("outcome", self.outcomes, Outcome.values),
        ):
            bad = [v for v in values if v not in allowed]
            if bad:
                raise SelectionError(name, f"unknown value {bad[0]!r}; expected one of {', '.join(allowed)}.")

    def to_parameters(self) -> dict[str, Any]:
        """JSON-ready form (Report.parameters); `from_parameters` reads it back."""
        return {
            "scope": self.scope,
            "detainee_id": self.detainee_id,
            "facility_id": self.facility_id,
            "rule_id": self.rule_id,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "states": list(self.states),
            "severities": list(self.severities),
            "outcomes": list(self.outcomes),
        }

    @classmethod
    def from_parameters(cls, data: dict[str, Any]) -> Selection:
        def date(name: str) -> dt.date | None:
            raw = data.get(name)
            if not raw:
                return None
            try:
                return dt.date.fromisoformat(str(raw))
            except ValueError:
                raise SelectionError(name, f"expected a date as YYYY-MM-DD, got {raw!r}.") from None

        return cls(
            scope=str(data.get("scope", "")),
            detainee_id=data.get("detainee_id") or None,
            facility_id=data.get("facility_id") or None,
            rule_id=str(data.get("rule_id") or ""),
            start=date("start"),
            end=date("end"),
            states=tuple(data.get("states") or ()),
            severities=tuple(data.get("severities") or ()),
            outcomes=tuple(data.get("outcomes") or ()),
        )


def findings_queryset(selection: Selection) -> QuerySet[Finding]:
    """The findings a selection covers, with what each report row needs joined or prefetched."""
    qs = Finding.objects.all()
    if selection.detainee_id:
        qs = qs.filter(detainee_id=selection.detainee_id)
    if selection.facility_id:
        qs = qs.filter(facility_id=selection.facility_id)
    if selection.rule_id:
        qs = qs.filter(rule_id=selection.rule_id)
    if selection.start:
        # Seen at any time during the period: first seen before it ended, last seen after it began.
        start = dt.datetime.combine(selection.start, dt.time.min, tzinfo=timezone.get_current_timezone())
        qs = qs.filter(last_seen_at__gte=start)
    if selection.end:
        end = dt.datetime.combine(
            selection.end + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
        )
        qs = qs.filter(first_seen_at__lt=end)
    if selection.states:
        qs = qs.filter(state__in=selection.states)
    if selection.severities:
        qs = qs.filter(severity__in=selection.severities)
    if selection.outcomes:
        qs = qs.filter(outcome__in=selection.outcomes)
    return qs.select_related("detainee", "facility", "subject_type").prefetch_related(
        Prefetch("reviews", queryset=FindingReview.objects.select_related("actor").order_by("at", "id")),
        Prefetch("waivers", queryset=Waiver.objects.select_related("granted_by").order_by("-granted_at", "-id")),
    )


def count_findings(selection: Selection) -> int:
    return findings_queryset(selection).count()


def _is_medical_key(key: str) -> bool:
    lowered = key.lower()
    return any(fragment in lowered for fragment in MEDICAL_KEY_FRAGMENTS)


def redact_evidence(evidence: Any, *, medical_allowed: bool) -> Any:
    """The evidence with the values of medical keys replaced, for users who may not see medical details."""
    if medical_allowed:
        return evidence
    if isinstance(evidence, dict):
        return {
            key: (WITHHELD if _is_medical_key(str(key)) else redact_evidence(value, medical_allowed=False))
            for key, value in evidence.items()
        }
    if isinstance(evidence, list):
        return [redact_evidence(value, medical_allowed=False) for value in evidence]
    return evidence


def evidence_items(evidence: Any) -> list[tuple[str, str]]:
    """(label, value) pairs for display; nested values as compact JSON."""
    if not isinstance(evidence, dict):
        return [("value", json.dumps(evidence, ensure_ascii=False, default=str))] if evidence else []
    items = []
    for key, value in evidence.items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
        items.append((str(key).replace("_", " "), text))
    return items


@dataclass
class FindingRow:
    """One finding as a report shows it."""

    finding: Finding
    rule: RuleInfo
    evidence: Any
    reviews: list[FindingReview]
    waivers: list[Waiver]
    message: str = ""

    @property
    def evidence_items(self) -> list[tuple[str, str]]:
        return evidence_items(self.evidence)

    @property
    def active_waiver(self) -> Waiver | None:
        return next((w for w in self.waivers if w.is_active), None)

    @property
    def subject_label(self) -> str:
        f = self.finding
        if f.subject_type_id and f.subject_id:
            return f"{f.subject_type.model} #{f.subject_id}"
        return ""


@dataclass
class SummaryRow:
    key: str
    label: str
    total: int
    by_state: dict[str, int]
    extra: str = ""

    @property
    def state_counts(self) -> list[int]:
        """Counts in the order of FindingState (the columns of the summary tables)."""
        return [self.by_state.get(state, 0) for state in FindingState.values]


@dataclass
class ReportData:
    """Everything a report template, the CSV and the SARIF export need; built once per request or task."""

    selection: Selection
    title: str
    scope_label: str
    filters: list[tuple[str, str]]
    generated_at: dt.datetime
    generated_by: str
    medical_allowed: bool
    rows: list[FindingRow]
    rules: list[RuleInfo]
    by_rule: list[SummaryRow] = field(default_factory=list)
    by_severity: list[SummaryRow] = field(default_factory=list)
    by_state: list[SummaryRow] = field(default_factory=list)
    by_outcome: list[SummaryRow] = field(default_factory=list)
    chart_over_time: str = ""
    chart_by_facility: str = ""
    dossier: Dossier | None = None
    scope_object: Any = None

    @property
    def finding_count(self) -> int:
        return len(self.rows)

    @property
    def states(self) -> list[tuple[str, str]]:
        return list(FindingState.choices)


def _summary(rows: Iterable[FindingRow], key: Callable[[FindingRow], str], labels: dict[str, str]) -> list[SummaryRow]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        counts[key(row)][row.finding.state] += 1
    return [
        SummaryRow(
            key=k, label=labels.get(k, k), total=sum(c.values()), by_state={s: c.get(s, 0) for s in FindingState.values}
        )
        for k, c in counts.items()
    ]


def _row(finding: Finding, rule: RuleInfo, *, medical_allowed: bool) -> FindingRow:
    """A finding as the reader may see it: a medical rule's message and evidence only with medical details."""
    withhold_all = rule.is_medical and not medical_allowed
    return FindingRow(
        finding=finding,
        rule=rule,
        evidence=(
            redact_evidence(finding.evidence, medical_allowed=medical_allowed)
            if not withhold_all
            else dict.fromkeys(finding.evidence, WITHHELD)
            if isinstance(finding.evidence, dict)
            else WITHHELD
        ),
        reviews=list(finding.reviews.all()),
        waivers=list(finding.waivers.all()),
        message=WITHHELD_MESSAGE if withhold_all else finding.message,
    )


def _sort_key(row: FindingRow) -> tuple[int, str, str, int]:
    f = row.finding
    return (SEVERITY_ORDER.get(f.severity, 9), f.rule_id, f.detainee.case_number, f.pk)


def build_report_data(
    selection: Selection,
    *,
    user: Any,
    progress: Callable[[int], None] | None = None,
) -> ReportData:
    """Read a selection's findings (and for a detainee his dossier) and prepare summaries and charts."""
    medical_allowed = bool(user and user.has_perm(MEDICAL_PERMISSION))
    scope_object, title, scope_label = _scope_object(selection)
    findings = list(findings_queryset(selection))
    if progress:
        progress(30)
    infos = rules_info([(f.rule_id, f.article, f.rule_version) for f in findings])
    rows = [_row(f, infos[f.rule_id], medical_allowed=medical_allowed) for f in findings]
    rows.sort(key=_sort_key)
    if progress:
        progress(45)
    data = ReportData(
        selection=selection,
        title=title,
        scope_label=scope_label,
        filters=_filters_display(selection),
        generated_at=timezone.now(),
        generated_by=(user.get_username() if user else "system"),
        medical_allowed=medical_allowed,
        rows=rows,
        rules=sorted(infos.values(), key=lambda r: r.id),
        scope_object=scope_object,
    )
    rule_labels = {r.id: f"{r.id} — {r.title}" if r.title != r.id else r.id for r in data.rules}
    data.by_rule = sorted(_summary(rows, lambda r: r.finding.rule_id, rule_labels), key=lambda s: (-s.total, s.key))
    for summary in data.by_rule:
        summary.extra = infos[summary.key].article or ""
    data.by_severity = sorted(
        _summary(rows, lambda r: r.finding.severity, dict(Severity.choices)), key=lambda s: SEVERITY_ORDER.get(s.key, 9)
    )
    data.by_state = sorted(
        _summary(rows, lambda r: r.finding.state, dict(FindingState.choices)),
        key=lambda s: FindingState.values.index(s.key),
    )
    data.by_outcome = sorted(
        _summary(rows, lambda r: r.finding.outcome, dict(Outcome.choices)), key=lambda s: Outcome.values.index(s.key)
    )
    data.chart_over_time = charts.findings_over_time_svg([r.finding for r in rows])
    data.chart_by_facility = charts.findings_by_facility_svg([r.finding for r in rows])
    if selection.scope == ReportScope.DETAINEE:
        data.dossier = build_dossier(selection.detainee_id, medical_allowed=medical_allowed)
    if progress:
        progress(55)
    return data


def _scope_object(selection: Selection) -> tuple[Any, str, str]:
    if selection.scope == ReportScope.DETAINEE:
        detainee = Detainee.objects.filter(pk=selection.detainee_id).first()
        if detainee is None:
            raise SelectionError("detainee_id", f"no detainee with id {selection.detainee_id}.")
        return detainee, f"Compliance report: {detainee.case_number} {detainee.display_name}", "One detainee"
    if selection.scope == ReportScope.FACILITY:
        facility = Facility.objects.filter(pk=selection.facility_id).first()
        if facility is None:
            raise SelectionError("facility_id", f"no facility with id {selection.facility_id}.")
        return facility, f"Compliance report: {facility.name}", "One facility"
    if selection.scope == ReportScope.RULE:
        return None, f"Compliance report: rule {selection.rule_id}", "One rule across all detainees"
    return None, f"Compliance report: {selection.start:%Y-%m-%d} to {selection.end:%Y-%m-%d}", "A period"


def _filters_display(selection: Selection) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    if selection.start or selection.end:
        items.append(("Seen during", f"{selection.start or '…'} to {selection.end or '…'}"))
    if selection.rule_id and selection.scope != ReportScope.RULE:
        items.append(("Rule", selection.rule_id))
    if selection.facility_id and selection.scope != ReportScope.FACILITY:
        items.append(("Facility id", str(selection.facility_id)))
    for label, values, choices in (
        ("Review state", selection.states, dict(FindingState.choices)),
        ("Severity", selection.severities, dict(Severity.choices)),
        ("Outcome", selection.outcomes, dict(Outcome.choices)),
    ):
        if values:
            items.append((label, ", ".join(str(choices.get(v, v)) for v in values)))
    return items or [("Filters", "none: every finding in scope, whatever its state")]


@dataclass
class Dossier:
    """A detainee's case file as the detainee report shows it (medical records only where allowed)."""

    detainee: Detainee
    capture: Any
    aliases: list[Any]
    documents: list[Any]
    languages: list[Any]
    custody_events: list[Any]
    interrogations: list[Interrogation]
    medical_assessments: list[Any] | None
    media_items: list[Any]
    notifications: list[Any]
    capture_cards: list[Any]
    visits: list[Any]
    wishes: list[RepatriationWish]
    risk_assessments: list[Any]
    exchanges: list[ExchangeOutgoing]


def build_dossier(detainee_id: int | None, *, medical_allowed: bool) -> Dossier:
    """One detainee with every part of his file, one query per kind of record."""
    prefetches: list[Any] = [
        "aliases",
        "documents",
        "languages",
        "capture_cards",
        "notifications",
        "visits",
        "risk_assessments",
        Prefetch("custody_events", queryset=_custody_qs()),
        Prefetch("interrogations", queryset=Interrogation.objects.prefetch_related("interpreters__languages")),
        Prefetch("repatriation_wishes", queryset=RepatriationWish.objects.prefetch_related("interpreters")),
        Prefetch("exchange_memberships", queryset=ExchangeOutgoing.objects.select_related("proposal")),
        "media_items",
    ]
    if medical_allowed:
        prefetches.append("medical_assessments")
    detainee = (
        Detainee.objects.select_related("current_facility", "capture").prefetch_related(*prefetches).get(pk=detainee_id)
    )
    try:
        capture = detainee.capture
    except Detainee.capture.RelatedObjectDoesNotExist:
        capture = None
    return Dossier(
        detainee=detainee,
        capture=capture,
        aliases=list(detainee.aliases.all()),
        documents=list(detainee.documents.all()),
        languages=list(detainee.languages.all()),
        custody_events=list(detainee.custody_events.all()),
        interrogations=list(detainee.interrogations.all()),
        medical_assessments=list(detainee.medical_assessments.all()) if medical_allowed else None,
        media_items=list(detainee.media_items.all()),
        notifications=list(detainee.notifications.all()),
        capture_cards=list(detainee.capture_cards.all()),
        visits=list(detainee.visits.all()),
        wishes=list(detainee.repatriation_wishes.all()),
        risk_assessments=list(detainee.risk_assessments.all()),
        exchanges=list(detainee.exchange_memberships.all()),
    )


def _custody_qs() -> QuerySet[Any]:
    from powcases.models import CustodyEvent

    return CustodyEvent.objects.select_related("from_facility", "to_facility")


def facilities_with_findings() -> QuerySet[Facility]:
    """Facilities for the report index, with nothing else loaded."""
    return Facility.objects.filter(Q(findings__isnull=False)).distinct().order_by("name")
