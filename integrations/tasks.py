"""Celery tasks of the webhook outbox (thin: they take ids and call integrations.outbox)."""

from __future__ import annotations

from celery import shared_task

from . import outbox


@shared_task(acks_late=True, ignore_result=True)
def delivery_send(delivery_id: int) -> None:
    """Attempt one webhook delivery if it is still pending and due (safe to run twice)."""
    outbox.deliver(delivery_id)


@shared_task(acks_late=True, ignore_result=True)
def deliveries_replay() -> int:
    """Periodic (beat): send every pending delivery that is due, e.g. after Redis or a receiver was down."""
    due = outbox.deliveries_due()
    for delivery_id in due:
        outbox.deliver(delivery_id)
    return len(due)
