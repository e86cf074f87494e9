"""Celery tasks of the compliance module: thin, they take ids and call services (idempotent, acks_late).

Modelled on pretix: the state lives in the database (a chunk's `done_at`, the run's counters and status), a task
locks its row and returns early when the work is already done, and retries are bounded.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import OperationalError

from . import services

MAX_RETRIES = 3


@shared_task(
    acks_late=True, ignore_result=True, autoretry_for=(OperationalError,), max_retries=MAX_RETRIES, retry_backoff=True
)
def evaluate_detainees(detainee_ids: list[int]) -> None:
    """Re-evaluate every active rule for these detainees (after a committed change to their records).

    Idempotent: evaluating the same detainees twice changes nothing the second time.
    """
    services.evaluate_detainees(detainee_ids)


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=MAX_RETRIES)
def run_chunk(self: Any, chunk_id: int) -> None:
    """Evaluate one chunk of a run; returns at once if the chunk is already done (redelivery, retry).

    A transient database error (lost connection, statement timeout, deadlock) is retried with backoff; when
    the retries are used up the run is marked failed. Any other error marks the run failed at once.
    """
    try:
        services.compliance_run_chunk(chunk_id=chunk_id)
    except OperationalError as exc:
        if self.request.retries < MAX_RETRIES:
            raise self.retry(exc=exc, countdown=2**self.request.retries) from exc
        services.compliance_run_fail(chunk_id=chunk_id, error=exc)
        raise


@shared_task(acks_late=True, ignore_result=True)
def periodic_sweep() -> None:
    """Beat, hourly: expire waivers and re-run time-based rules (capture cards, monthly inspections...) for the held."""
    services.compliance_periodic_sweep()


# Report builds live with the reports package; importing them here lets workers register them (autodiscovery).
from .reports.tasks import build_report  # noqa: E402, F401
