"""Celery tasks of the compliance module (thin: they take ids and call services)."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def evaluate_detainees(detainee_ids: list[int]) -> None:
    """Re-evaluate every active rule for these detainees (idempotent). Implemented with the engine."""
    # The rule engine lands with the compliance issue; until then there is nothing to evaluate.
    return None
