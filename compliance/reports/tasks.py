"""Celery task of the reports module (imported by compliance.tasks so workers register it)."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError


@shared_task(
    name="compliance.reports.build_report",
    acks_late=True,
    ignore_result=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def build_report(report_id: int) -> None:
    """Build a stored report by id (idempotent: a finished report is not rebuilt)."""
    from .services import report_build

    report_build(report_id=report_id)
