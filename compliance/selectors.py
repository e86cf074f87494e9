"""Reads of the compliance module (admin, API, reports and commands call these, not the ORM directly)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .choices import FindingState
from .models import ComplianceRun, Finding, FindingReview, Waiver
from .registry import Rule, registry

UNRESOLVED_STATES = (FindingState.OPEN, FindingState.ACKNOWLEDGED, FindingState.DISPUTED, FindingState.WAIVED)


def finding_list(*, filters: dict[str, Any] | None = None) -> QuerySet[Finding]:
    """Findings with what a list shows (detainee, facility, subject type) in one query.

    `filters` take Finding lookups, e.g. {"rule_id": "GC3-17-LANG", "state__in": [...], "facility_id": 3}.
    """
    return (
        Finding.objects.select_related("detainee", "facility", "subject_type")
        .filter(**(filters or {}))
        .order_by("-last_seen_at", "-id")
    )


def findings_for_detainee(*, detainee_id: int, unresolved_only: bool = False) -> QuerySet[Finding]:
    queryset = finding_list(filters={"detainee_id": detainee_id})
    return queryset.filter(state__in=UNRESOLVED_STATES) if unresolved_only else queryset


def finding_detail(*, finding_id: int) -> Finding:
    """A finding with its reviews (and their actors) and waivers (and who granted them), in three queries."""
    return (
        Finding.objects.select_related("detainee", "facility", "subject_type")
        .prefetch_related(
            Prefetch("reviews", queryset=FindingReview.objects.select_related("actor").order_by("at", "id")),
            Prefetch("waivers", queryset=Waiver.objects.select_related("granted_by").order_by("-granted_at")),
        )
        .get(pk=finding_id)
    )


def finding_active_waiver(*, finding: Finding) -> Waiver | None:
    return (
        finding.waivers.filter(revoked_at__isnull=True, expires_at__gt=timezone.now()).order_by("-expires_at").first()
    )


def finding_rule(*, finding: Finding) -> Rule | None:
    """The rule's metadata (title, article, rationale, remediation); None if the rule is no longer registered."""
    return registry.get(finding.rule_id) if finding.rule_id in registry else None


def run_latest(*, kind: str | None = None) -> ComplianceRun | None:
    queryset = ComplianceRun.objects.all()
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("-created_at", "-id").first()


def rule_catalogue() -> list[Rule]:
    """Every registered rule (silenced ones included; `rule.is_silenced` says which)."""
    return registry.all()
