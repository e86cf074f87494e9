"""Writes of the reports module: requesting a stored report, building it, logging its downloads."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from compliance.choices import ReportFormat, RunStatus
from compliance.models import Report, ReportDownload

from . import rendering
from .selectors import MEDICAL_PERMISSION, Selection, build_report_data

logger = logging.getLogger(__name__)


@transaction.atomic
def report_request(*, selection: Selection, fmt: str, user: Any) -> Report:
    """Record a report to build and enqueue its build once the record has committed."""
    if fmt not in ReportFormat.values:
        from .selectors import SelectionError

        raise SelectionError("format", f"expected one of {', '.join(ReportFormat.values)}, got {fmt!r}.")
    report = Report.objects.create(
        scope=selection.scope,
        format=fmt,
        parameters=selection.to_parameters(),
        status=RunStatus.PENDING,
        requested_by=user if getattr(user, "pk", None) else None,
    )
    from .tasks import build_report

    transaction.on_commit(lambda: build_report.delay(report.pk))
    return report


def _set_progress(report_id: int, percent: int) -> None:
    # A plain UPDATE outside any long transaction, so the status page sees it while the build runs.
    Report.objects.filter(pk=report_id).update(progress=min(max(percent, 0), 100))


def report_build(*, report_id: int) -> Report:
    """Build a requested report and store it with its SHA-256; idempotent (a finished report is left alone).

    The medical-details permission of the user who asked for the report decides what it contains; the fact
    is recorded in its parameters so that downloads can be refused to users without that permission.
    """
    with transaction.atomic():
        report = Report.objects.select_for_update(of=("self",)).select_related("requested_by").get(pk=report_id)
        # A report left "running" by a crashed worker is built again when the task is redelivered (acks_late).
        if report.status == RunStatus.SUCCEEDED:
            return report
        report.status = RunStatus.RUNNING
        report.progress = 5
        report.error = ""
        report.save(update_fields=["status", "progress", "error"])
    try:
        selection = Selection.from_parameters(report.parameters)
        user = report.requested_by
        data = build_report_data(selection, user=user, progress=lambda p: _set_progress(report_id, p))
        rendered = rendering.render(data, report.format, progress=lambda p: _set_progress(report_id, p))
    except Exception as exc:
        logger.exception("Report %s failed", report_id)
        Report.objects.filter(pk=report_id).update(
            status=RunStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
        )
        raise
    _set_progress(report_id, 90)
    digest = hashlib.sha256(rendered.content).hexdigest()
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        report.file.save(
            f"report-{report.pk}-{report.scope}.{rendered.extension}", ContentFile(rendered.content), save=False
        )
        report.title = data.title[:300]
        report.content_hash = digest
        report.size_bytes = len(rendered.content)
        report.finding_count = data.finding_count
        report.parameters = {**report.parameters, "medical_included": data.medical_allowed}
        report.status = RunStatus.SUCCEEDED
        report.progress = 100
        report.finished_at = timezone.now()
        report.save()
    return report


def report_may_be_read_by(report: Report, user: Any) -> bool:
    """A stored report built with medical details may only be read by users allowed to see them."""
    if not user.has_perm("compliance.view_report"):
        return False
    return not report.parameters.get("medical_included", True) or user.has_perm(MEDICAL_PERMISSION)


def report_download_record(*, report: Report, user: Any, ip_address: str | None) -> ReportDownload:
    """Log one download of a stored report (who, when, from where)."""
    return ReportDownload.objects.create(report=report, user=user, ip_address=ip_address or None, at=timezone.now())
