"""GCIII Articles 122-123: the National Information Bureau and the Central Agency.

Art. 122(2): "Within the shortest possible period, each of the Parties to the conflict shall give its Bureau the
information referred to in the fourth, fifth and sixth paragraphs of this Article regarding any enemy person ... who
has fallen into its power." Art. 122(3): the Bureau forwards it "immediately ... by the most rapid means" through the
Protecting Powers and the Central Agency (Art. 123; today the ICRC's Central Tracing Agency). Art. 122(4) lists the
particulars "in so far as available", among them the "place and full date of birth", the "first name of the father
and maiden name of the mother" and the "name and address of the person to be informed". Art. 122(5): the Bureau also
receives information on transfers, releases, repatriations, escapes, admissions to hospital and deaths.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from powcases.choices import CustodyEventKind, DatePrecision, NotificationKind, NotificationRecipient
from powcases.models import Capture, CustodyEvent, Detainee

from ..choices import Severity
from ..context import ChunkContext, Row
from ..registry import Result, Subject, register, subject_of
from ._common import iso, policy

RECIPIENTS = (NotificationRecipient.INFORMATION_BUREAU, NotificationRecipient.CENTRAL_TRACING_AGENCY)
# Custody events the Bureau must hear of (Art. 122(5)), with the notification kind that reports each.
LATER_EVENTS: dict[str, str] = {
    CustodyEventKind.TRANSFER: NotificationKind.TRANSFER,
    CustodyEventKind.TRANSFER_TO_POWER: NotificationKind.TRANSFER,
    CustodyEventKind.HOSPITALISATION: NotificationKind.HOSPITALISATION,
    CustodyEventKind.RELEASE: NotificationKind.RELEASE,
    CustodyEventKind.REPATRIATION: NotificationKind.REPATRIATION,
    CustodyEventKind.ESCAPE: NotificationKind.ESCAPE,
    CustodyEventKind.DEATH: NotificationKind.DEATH,
}
# Moves while he stays in captivity: the family must learn the new address, but the gravest gaps are an unreported
# capture, release, repatriation, escape or death (high, the rule's severity).
ROUTINE_MOVES = (NotificationKind.TRANSFER, NotificationKind.HOSPITALISATION)
EVENT_LABELS = {value: label.lower() for value, label in CustodyEventKind.choices}
# A notification whose event time is within this of the custody event reports that event (clocks, paperwork).
SAME_EVENT = dt.timedelta(days=1)
# Art. 122(4) particulars the case record holds, with the words a reader will recognise.
PARTICULARS = (
    ("place_of_birth", "place of birth"),
    ("father_first_name", "father's first name"),
    ("mother_maiden_name", "mother's maiden name"),
    ("next_of_kin_name", "name of the person to be informed"),
    ("next_of_kin_address", "address of the person to be informed"),
)


def _notification_evidence(row: Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "kind": row["kind"],
        "recipient": row["recipient"],
        "event_at": iso(row["event_at"]),
        "sent_at": iso(row["sent_at"]),
        "reference": row["reference"],
    }


def judge_event(
    detainee_id: int,
    *,
    kind: str,
    at: dt.datetime,
    label: str,
    subject: Subject | None,
    notifications: list[Row],
    now: dt.datetime,
    days: int,
) -> Result:
    """Was the Information Bureau or the Central Tracing Agency told of this event within the period?"""
    due = at + dt.timedelta(days=days)
    matching = [
        row
        for row in notifications
        if row["kind"] == kind and row["recipient"] in RECIPIENTS and abs(row["event_at"] - at) <= SAME_EVENT
    ]
    if kind != NotificationKind.CAPTURE:
        # The first notification reports him as he is when it is sent: an event before it (wounded men taken to
        # hospital on the day after capture) reaches the Bureau with it.
        matching += [
            row
            for row in notifications
            if row["kind"] == NotificationKind.CAPTURE
            and row["recipient"] in RECIPIENTS
            and row["sent_at"] is not None
            and row["sent_at"] >= at
        ]
    sent = sorted((row for row in matching if row["sent_at"] is not None), key=lambda row: row["sent_at"])
    evidence = {
        "event": kind,
        "event_at": iso(at),
        "due_at": iso(due),
        "period_days": days,
        "notifications": [_notification_evidence(row) for row in matching],
    }
    common: dict[str, Any] = {"evidence": evidence, "subject": subject, "discriminator": kind}
    if kind in ROUTINE_MOVES:
        common["severity"] = Severity.MEDIUM
    if sent and sent[0]["sent_at"] <= due:
        return Result.compliant(detainee_id, f"The Information Bureau or the CTA was notified of {label}.", **common)
    if sent:
        return Result.violation(
            detainee_id,
            f"The notification of {label} was sent only on {sent[0]['sent_at']:%Y-%m-%d}, more than {days} days "
            "later; Art. 122 requires the information 'within the shortest possible period'.",
            **common,
        )
    if now <= due:
        return Result.compliant(detainee_id, f"Notification of {label} due by {due:%Y-%m-%d}.", **common)
    drafted = " A notification was drafted but never sent." if matching else ""
    return Result.violation(
        detainee_id,
        f"Neither the National Information Bureau nor the ICRC Central Tracing Agency has been notified of {label}, "
        f"{days} days having passed (due {due:%Y-%m-%d}).{drafted} His family may not know where he is.",
        **common,
    )


def judge_particulars(detainee_id: int, detainee: Row) -> Iterator[Result]:
    """Art. 122(4): the full date of birth and the family particulars, as far as available."""
    subject = subject_of(Detainee, detainee_id)
    if detainee["date_of_birth"] is not None and detainee["date_of_birth_precision"] != DatePrecision.DAY:
        known = (
            f"{detainee['date_of_birth']:%Y}"
            if detainee["date_of_birth_precision"] == DatePrecision.YEAR
            else f"{detainee['date_of_birth']:%Y-%m}"
        )
        yield Result.warning(
            detainee_id,
            f"Only {known} is recorded as his date of birth; Art. 122(4) asks for the full date of birth as far as "
            "it is available. Ask him, or check his documents, and complete it.",
            evidence={
                "date_of_birth": known,
                "date_of_birth_precision": detainee["date_of_birth_precision"],
            },
            subject=subject,
            discriminator="date_of_birth",
            severity=Severity.LOW,
        )
    missing = [label for name, label in PARTICULARS if not (detainee[name] or "").strip()]
    if missing:
        yield Result.warning(
            detainee_id,
            f"Particulars the Information Bureau should pass on under Art. 122(4) are not recorded: "
            f"{', '.join(missing)}. "
            "Record them if he can or will give them (he is bound to give only the Art. 17 items).",
            evidence={"missing_particulars": missing},
            subject=subject,
            discriminator="particulars",
            severity=Severity.LOW,
        )


@register(
    id="GC3-122-INFO",
    version=1,
    title="Information Bureau: capture and later events notified in time",
    article="GCIII Art. 122(2)-(5) and Art. 123",
    paragraphs=("122(2)", "122(3)", "122(4)", "122(5)", "123"),
    description=(
        "Within the policy period after capture, and after each later transfer, hospitalisation, release, "
        "repatriation, escape or death, a notification must be sent to the National Information Bureau or the ICRC "
        "Central Tracing Agency; a missing or late one is a violation. A birth year without the full date, and "
        "missing Art. 122(4) family particulars, are warnings."
    ),
    rationale=(
        "Art. 122(2)-(3): the Bureau receives the information 'within the shortest possible period' and forwards it "
        "at once through the Protecting Powers and the Central Agency (Art. 123), so that the next of kin can be told "
        "quickly (122(4)); Art. 122(5) extends this to transfers, releases, repatriations, escapes, admissions to "
        "hospital and deaths."
    ),
    remediation=(
        "Send the notification to the Information Bureau (and through it to the Central Tracing Agency) now, with the "
        "Art. 122(4) particulars available; complete the date of birth and family particulars when he gives them."
    ),
    severity=Severity.HIGH,
    tags=("information bureau", "central tracing agency", "family", "art122"),
    references=(
        "GCIII Art. 122(1)-(4), text checked in the ICRC 2020 Commentary page (Article 122: National information "
        "bureaux) and in home.csulb.edu .../geneva/article122.html.",
        "Art. 122(5) events and Art. 123: checked against the Convention text; the 7-day period is policy "
        "(settings.COMPLIANCE_POLICY['INFO_BUREAU_DAYS']), the treaty says 'within the shortest possible period'.",
    ),
    time_based=True,
)
def information_bureau(ctx: ChunkContext) -> Iterator[Result]:
    days = policy("INFO_BUREAU_DAYS")
    detainees, captures, events, notifications = ctx.detainees, ctx.capture, ctx.custody_events, ctx.notifications
    for detainee_id in ctx.detainee_ids:
        results = list(_judge_detainee(ctx, detainee_id, detainees, captures, events, notifications, days))
        yield from results or [Result.not_applicable(detainee_id, "No capture or later event recorded; not held.")]


def _judge_detainee(
    ctx: ChunkContext,
    detainee_id: int,
    detainees: dict[int, Row],
    captures: dict[int, Row],
    events: dict[int, list[Row]],
    notifications: dict[int, list[Row]],
    days: int,
) -> Iterator[Result]:
    capture = captures.get(detainee_id)
    sent = notifications[detainee_id]
    if capture is not None:
        at = capture["captured_at"]
        yield judge_event(
            detainee_id,
            kind=NotificationKind.CAPTURE,
            at=at,
            label=f"his capture on {at:%Y-%m-%d}",
            subject=subject_of(Capture, capture["id"]),
            notifications=sent,
            now=ctx.now,
            days=days,
        )
    elif ctx.held(detainee_id):
        yield Result.insufficient(
            detainee_id,
            "His capture is not recorded, so the deadline for notifying the Information Bureau cannot be computed.",
            missing=["capture date"],
            discriminator=NotificationKind.CAPTURE,
        )
    for event in events[detainee_id]:
        kind = LATER_EVENTS.get(event["kind"])
        if kind is None:
            continue
        at = event["occurred_at"]
        yield judge_event(
            detainee_id,
            kind=kind,
            at=at,
            label=f"his {EVENT_LABELS[event['kind']]} on {at:%Y-%m-%d}",
            subject=subject_of(CustodyEvent, event["id"]),
            notifications=sent,
            now=ctx.now,
            days=days,
        )
    detainee = detainees.get(detainee_id)
    if detainee is not None and ctx.held(detainee_id):
        yield from judge_particulars(detainee_id, detainee)
