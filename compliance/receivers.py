"""Re-evaluate a detainee's findings once a change to his record has committed."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from powcases.signals import record_changed


@receiver(record_changed, dispatch_uid="compliance.reevaluate_on_change")
def reevaluate_on_change(sender: Any, detainee_ids: list[int], **kwargs: Any) -> None:
    """Hand the ids to the Celery task (eager in the embedded default, so findings show at once)."""
    from .tasks import evaluate_detainees

    evaluate_detainees.delay(list(detainee_ids))
