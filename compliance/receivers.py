"""Re-evaluate a detainee's findings once a change to his record has committed."""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver

from powcases.signals import record_changed

logger = logging.getLogger(__name__)


@receiver(record_changed, dispatch_uid="compliance.reevaluate_on_change")
def reevaluate_on_change(sender: Any, detainee_ids: list[int], **kwargs: Any) -> None:
    """Hand the ids to the Celery task (eager in the embedded default, so findings show at once).

    The change itself has committed by now: a failing evaluation must not turn the user's successful write
    into an error page. It is logged, and the next sweep brings the findings up to date.
    """
    from .tasks import evaluate_detainees

    try:
        evaluate_detainees.delay(list(detainee_ids))
    except Exception:
        logger.exception("Compliance re-evaluation of detainees %s failed; the next sweep will catch up", detainee_ids)
