"""Findings of the compliance rules, their legal review, waivers, sweep runs and generated reports."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from powcases.models import Detainee, Facility

from .choices import (
    FindingState,
    Outcome,
    ReportFormat,
    ReportScope,
    ReviewAction,
    RunKind,
    RunStatus,
    Severity,
)


def _choices_check(field: str, choices: type[models.TextChoices]) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": choices.values}), name=f"%(app_label)s_%(class)s_{field}_valid"
    )


class Finding(models.Model):
    """What one rule found about one detainee (and, where it applies, one record of his file).

    `fingerprint` is stable across evaluations (rule id + detainee + subject record), so re-evaluation
    updates the same finding. When the condition clears the finding is resolved, never deleted.
    """

    fingerprint = models.CharField(max_length=64, unique=True)
    rule_id = models.CharField(max_length=40, db_index=True)
    rule_version = models.PositiveIntegerField(default=1)
    article = models.CharField(max_length=100, help_text="e.g. 'GCIII Art. 17(4)'.")
    detainee = models.ForeignKey(Detainee, on_delete=models.CASCADE, related_name="findings")
    facility = models.ForeignKey(
        Facility,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
        help_text="The detainee's facility when the finding was last seen.",
    )
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    state = models.CharField(max_length=20, choices=FindingState.choices, default=FindingState.OPEN)
    message = models.TextField()
    evidence = models.JSONField(default=dict, blank=True)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    auto_resolved = models.BooleanField(default=False, help_text="Resolved because the condition cleared.")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        permissions = [("review_finding", "Can review findings (acknowledge, dispute, waive, resolve)")]
        indexes = [
            models.Index(fields=["detainee", "rule_id"]),
            models.Index(fields=["state", "severity"]),
            models.Index(fields=["rule_id", "state"]),
            models.Index(fields=["facility", "state"]),
        ]
        constraints = [
            _choices_check("outcome", Outcome),
            _choices_check("severity", Severity),
            _choices_check("state", FindingState),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} · {self.detainee_id} · {self.get_outcome_display()}"


class FindingReview(models.Model):
    """One review action on a finding, by whom and when (append-only)."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="reviews")
    action = models.CharField(max_length=20, choices=ReviewAction.choices)
    from_state = models.CharField(max_length=20, choices=FindingState.choices)
    to_state = models.CharField(max_length=20, choices=FindingState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["finding", "at", "id"]
        constraints = [_choices_check("action", ReviewAction)]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.from_state} → {self.to_state})"


class Waiver(models.Model):
    """A waiver of a finding: who granted it, why, and until when. It never deletes the finding."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="waivers")
    justification = models.TextField()
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    expired_processed_at = models.DateTimeField(null=True, blank=True, help_text="When expiry reopened the finding.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["expires_at", "expired_processed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("granted_at")), name="waiver_expires_after_grant"
            ),
            models.CheckConstraint(condition=~Q(justification=""), name="waiver_has_justification"),
        ]

    def __str__(self) -> str:
        return f"Waiver until {self.expires_at:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class ComplianceRun(models.Model):
    """One evaluation run: a full sweep, a periodic sweep, or an incremental re-evaluation."""

    kind = models.CharField(max_length=20, choices=RunKind.choices, default=RunKind.FULL)
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rule_ids = models.JSONField(default=list, blank=True, help_text="Empty: every active rule.")
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    findings_opened = models.PositiveIntegerField(default=0)
    findings_resolved = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [_choices_check("kind", RunKind), _choices_check("status", RunStatus)]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at is None:
            return None
        end = self.finished_at or timezone.now()
        return (end - self.started_at).total_seconds()

    @property
    def progress_percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else (100 if self.finished_at else 0)


class ComplianceRunChunk(models.Model):
    """One chunk of a sweep (a range of detainee ids); re-running a done chunk changes nothing."""

    run = models.ForeignKey(ComplianceRun, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    first_id = models.PositiveBigIntegerField()
    last_id = models.PositiveBigIntegerField()
    size = models.PositiveIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)
    findings_opened = models.PositiveIntegerField(default=0)
    findings_resolved = models.PositiveIntegerField(default=0)
    queries = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["run", "index"]
        constraints = [models.UniqueConstraint(fields=["run", "index"], name="run_chunk_unique")]

    def __str__(self) -> str:
        return f"Chunk {self.index} of run {self.run_id}"


def report_upload_to(instance: Report, filename: str) -> str:
    return f"reports/{timezone.now():%Y/%m}/{filename}"


class Report(models.Model):
    """A generated compliance report (or export), stored privately with a content hash."""

    scope = models.CharField(max_length=20, choices=ReportScope.choices)
    format = models.CharField(max_length=10, choices=ReportFormat.choices, default=ReportFormat.PDF)
    parameters = models.JSONField(default=dict, blank=True, help_text="Scope object and filters.")
    title = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.PENDING)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent.")
    file = models.FileField(upload_to=report_upload_to, blank=True)
    content_hash = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the file.")
    size_bytes = models.PositiveBigIntegerField(default=0)
    finding_count = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            _choices_check("scope", ReportScope),
            _choices_check("format", ReportFormat),
            _choices_check("status", RunStatus),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_scope_display()} report #{self.pk}"


class ReportDownload(models.Model):
    """Every download of a stored report: who and when."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} at {self.at:%Y-%m-%d %H:%M}"
