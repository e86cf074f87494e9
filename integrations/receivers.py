"""Turn case-record and compliance events into webhook outbox rows, inside the transaction of the change."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from compliance.choices import Severity
from compliance.models import Finding
from compliance.signals import findings_opened
from powcases.signals import exchange_changed

from .models import WebhookEvent
from .outbox import publish, publish_many


def exchange_data(proposal: Any) -> dict[str, Any]:
    """The exchange as integrators see it in webhook bodies (a subset of the API representation)."""
    return {
        "id": proposal.pk,
        "reference": proposal.reference,
        "counterparty": proposal.counterparty,
        "mediator": proposal.mediator,
        "status": proposal.status,
        "version": proposal.version,
        "outgoing": sorted(proposal.outgoing_members.values_list("detainee_id", flat=True)),
        "incoming_count": proposal.incoming.count(),
    }


EXCHANGE_EVENTS = {
    "created": WebhookEvent.EXCHANGE_CREATED,
    "status_changed": WebhookEvent.EXCHANGE_STATUS_CHANGED,
    "members_changed": WebhookEvent.EXCHANGE_MEMBERS_CHANGED,
}


@receiver(exchange_changed, dispatch_uid="integrations.exchange_changed")
def on_exchange_changed(sender: Any, proposal: Any, event: str, actor: Any = None, **kwargs: Any) -> None:
    name = EXCHANGE_EVENTS.get(event)
    if name is None:
        return
    data = exchange_data(proposal)
    data["actor"] = getattr(actor, "username", None)
    if event == "status_changed":
        data["from_status"], data["to_status"] = kwargs.get("from_status"), kwargs.get("to_status")
    publish(name, data)


@receiver(findings_opened, dispatch_uid="integrations.findings_opened")
def on_findings_opened(sender: Any, finding_ids: list[int], **kwargs: Any) -> None:
    """Only critical findings are announced (finding.critical_opened), one delivery per finding and subscriber.

    A sweep chunk opens thousands of findings at once: the batch is written with a fixed number of queries.
    """
    fields = (
        "id",
        "rule_id",
        "rule_version",
        "article",
        "outcome",
        "severity",
        "state",
        "detainee_id",
        "message",
        "first_seen_at",
    )
    critical = Finding.objects.filter(pk__in=list(finding_ids), severity=Severity.CRITICAL).order_by("pk")
    items = [
        {
            "id": row["id"],
            "rule": row["rule_id"],
            "rule_version": row["rule_version"],
            "article": row["article"],
            "outcome": row["outcome"],
            "severity": row["severity"],
            "state": row["state"],
            "detainee": row["detainee_id"],
            "message": row["message"],
            "first_seen_at": row["first_seen_at"],
        }
        for row in critical.values(*fields)
    ]
    publish_many(WebhookEvent.FINDING_CRITICAL_OPENED, items)
