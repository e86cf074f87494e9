"""Choices of the compliance module. Outcome, severity and review state are kept apart (as in SARIF/XCCDF)."""

from __future__ import annotations

from django.db import models


class Severity(models.TextChoices):
    CRITICAL = "critical", "Critical"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


SEVERITY_ORDER = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2, Severity.LOW: 3}


class Outcome(models.TextChoices):
    """What a rule decided. Only the first three are stored as findings."""

    VIOLATION = "violation", "Violation"
    WARNING = "warning", "Warning"
    INSUFFICIENT_DATA = "insufficient_data", "Insufficient data"
    NOT_APPLICABLE = "not_applicable", "Not applicable"
    COMPLIANT = "compliant", "Compliant"


FINDING_OUTCOMES = (Outcome.VIOLATION, Outcome.WARNING, Outcome.INSUFFICIENT_DATA)


class FindingState(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    DISPUTED = "disputed", "Disputed"
    WAIVED = "waived", "Waived"
    RESOLVED = "resolved", "Resolved"


class ReviewAction(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", "Acknowledge"
    DISPUTE = "dispute", "Dispute"
    WAIVE = "waive", "Waive"
    RESOLVE = "resolve", "Resolve"
    REOPEN = "reopen", "Reopen"
    AUTO_RESOLVE = "auto_resolve", "Resolved automatically (condition cleared)"
    AUTO_REOPEN = "auto_reopen", "Reopened automatically (condition returned)"
    WAIVER_EXPIRED = "waiver_expired", "Waiver expired"


# The review state machine, declared once: action -> (states it may start from, state it leads to).
REVIEW_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    ReviewAction.ACKNOWLEDGE: ((FindingState.OPEN, FindingState.DISPUTED), FindingState.ACKNOWLEDGED),
    ReviewAction.DISPUTE: ((FindingState.OPEN, FindingState.ACKNOWLEDGED), FindingState.DISPUTED),
    ReviewAction.WAIVE: (
        (FindingState.OPEN, FindingState.ACKNOWLEDGED, FindingState.DISPUTED),
        FindingState.WAIVED,
    ),
    ReviewAction.RESOLVE: (
        (FindingState.OPEN, FindingState.ACKNOWLEDGED, FindingState.DISPUTED, FindingState.WAIVED),
        FindingState.RESOLVED,
    ),
    ReviewAction.REOPEN: (
        (FindingState.ACKNOWLEDGED, FindingState.DISPUTED, FindingState.WAIVED, FindingState.RESOLVED),
        FindingState.OPEN,
    ),
}


class RunKind(models.TextChoices):
    FULL = "full", "Full sweep"
    PERIODIC = "periodic", "Periodic sweep (time-based rules)"
    INCREMENTAL = "incremental", "Incremental (changed records)"


class RunStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class ReportScope(models.TextChoices):
    DETAINEE = "detainee", "One detainee"
    FACILITY = "facility", "One facility"
    PERIOD = "period", "A period"
    RULE = "rule", "One rule across all detainees"


class ReportFormat(models.TextChoices):
    HTML = "html", "HTML"
    PDF = "pdf", "PDF"
    CSV = "csv", "CSV"
    SARIF = "sarif", "SARIF 2.1.0 (JSON)"
