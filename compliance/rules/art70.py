"""GCIII Article 70: capture cards.

"Immediately upon capture, or not more than one week after arrival at a camp, even if it is a transit camp,
likewise in case of sickness or transfer to hospital or another camp, every prisoner of war shall be enabled to
write direct to his family, on the one hand, and to the Central Prisoners of War Agency ..., on the other hand, a
card ... The said cards shall be forwarded as rapidly as possible and may not be delayed in any manner."
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from powcases.choices import CustodyEventKind, FacilityKind
from powcases.models import Capture, CustodyEvent

from ..choices import Severity
from ..context import ChunkContext, Row
from ..registry import Result, Subject, register, subject_of
from ._common import iso, policy

CAMP_KINDS = (FacilityKind.CAMP, FacilityKind.TRANSIT_CAMP)
# A card offered a little before the event was recorded (clocks, paperwork) still answers that occasion.
TOLERANCE = dt.timedelta(days=1)
# Moves recorded within this time of the previous occasion are one move (a transfer and its arrival).
SAME_MOVE = dt.timedelta(days=1)


@dataclass(frozen=True)
class Occasion:
    """An occasion on which Art. 70 entitles him to write a card, and the date by which he must be enabled to."""

    kind: str  # capture / transfer / hospitalisation
    at: dt.datetime
    due: dt.datetime
    subject: Subject | None
    label: str


def card_time(card: Row) -> dt.datetime | None:
    """When he was enabled to write the card: when it was offered, else the first later step that is recorded."""
    for name in ("offered_at", "completed_at", "declined_at", "sent_to_family_at", "sent_to_cta_at"):
        if card[name] is not None:
            return card[name]
    return None


def occasions_for(capture: Row | None, events: list[Row], facilities: dict[int, Row], days: int) -> list[Occasion]:
    """The capture (with the first arrival at a camp) and every later hospitalisation or transfer."""
    period = dt.timedelta(days=days)
    moves: list[tuple[str, Row]] = []
    for event in events:
        facility = facilities.get(event["to_facility_id"]) if event["to_facility_id"] else None
        if event["kind"] == CustodyEventKind.HOSPITALISATION or (
            event["kind"] in (CustodyEventKind.ARRIVAL, CustodyEventKind.TRANSFER)
            and facility is not None
            and facility["kind"] == FacilityKind.HOSPITAL
        ):
            moves.append(("hospitalisation", event))
        elif event["kind"] in (CustodyEventKind.ARRIVAL, CustodyEventKind.TRANSFER) and (
            facility is None or facility["kind"] in CAMP_KINDS
        ):
            moves.append(("arrival" if event["kind"] == CustodyEventKind.ARRIVAL else "transfer", event))

    occasions: list[Occasion] = []
    first_arrival = next((e for kind, e in moves if kind == "arrival"), None)
    if capture is not None:
        start = capture["captured_at"]
        # "Immediately upon capture, or not more than one week after arrival at a camp": the first camp arrival
        # (if it follows the capture) sets the deadline; without one, the policy period runs from the capture.
        anchor = first_arrival["occurred_at"] if first_arrival and first_arrival["occurred_at"] >= start else start
        occasions.append(
            Occasion(
                "capture",
                start,
                anchor + period,
                subject_of(Capture, capture["id"]),
                f"his capture on {start:%Y-%m-%d}",
            )
        )
    elif first_arrival is not None:
        start = first_arrival["occurred_at"]
        occasions.append(
            Occasion(
                "capture",
                start,
                start + period,
                subject_of(CustodyEvent, first_arrival["id"]),
                f"his arrival at a camp on {start:%Y-%m-%d}",
            )
        )
    for kind, event in moves:
        if event is first_arrival or (occasions and event["occurred_at"] - occasions[-1].at < SAME_MOVE):
            continue
        at = event["occurred_at"]
        occasion_kind = "hospitalisation" if kind == "hospitalisation" else "transfer"
        what = "transfer to hospital" if occasion_kind == "hospitalisation" else "transfer to another camp"
        occasions.append(
            Occasion(
                occasion_kind, at, at + period, subject_of(CustodyEvent, event["id"]), f"his {what} on {at:%Y-%m-%d}"
            )
        )
    return occasions


def _card_evidence(card: Row) -> dict[str, Any]:
    return {
        "id": card["id"],
        "occasion": card["occasion"],
        "offered_at": iso(card["offered_at"]),
        "completed_at": iso(card["completed_at"]),
        "sent_to_family_at": iso(card["sent_to_family_at"]),
        "sent_to_cta_at": iso(card["sent_to_cta_at"]),
        "declined": card["declined"],
    }


def judge_occasion(
    detainee_id: int, occasion: Occasion, next_at: dt.datetime | None, cards: list[Row], now: dt.datetime, days: int
) -> Result:
    """Was he enabled to write a card for this occasion in time, and was it forwarded?"""
    window = [
        card
        for card in cards
        if (t := card_time(card)) is not None and occasion.at - TOLERANCE <= t and (next_at is None or t < next_at)
    ]
    undated = [card for card in cards if card_time(card) is None]
    evidence = {
        "occasion": occasion.kind,
        "occasion_at": iso(occasion.at),
        "due_at": iso(occasion.due),
        "period_days": days,
        "cards": [_card_evidence(card) for card in window + undated],
    }
    common = {"evidence": evidence, "subject": occasion.subject, "discriminator": occasion.kind}
    on_time = [card for card in window if card_time(card) <= occasion.due]
    if on_time:
        if any(card["declined"] for card in on_time):
            return Result.compliant(detainee_id, "He was offered a card and declined to write it.", **common)
        written = [card for card in on_time if card["completed_at"] is not None]
        unsent = [
            card
            for card in written
            if (card["sent_to_family_at"] is None or card["sent_to_cta_at"] is None)
            and card["completed_at"] + dt.timedelta(days=days) < now
        ]
        if written and len(unsent) == len(written):
            missing_to = "the family" if unsent[0]["sent_to_family_at"] is None else "the Central Tracing Agency"
            if unsent[0]["sent_to_family_at"] is None and unsent[0]["sent_to_cta_at"] is None:
                missing_to = "his family or the Central Tracing Agency"
            return Result.warning(
                detainee_id,
                f"He wrote a capture card after {occasion.label}, but it has not been forwarded to {missing_to}; "
                "cards may not be delayed in any manner.",
                **common,
            )
        return Result.compliant(detainee_id, f"Capture card offered in time after {occasion.label}.", **common)
    if window:
        first = min(card_time(card) for card in window)
        return Result.violation(
            detainee_id,
            f"A capture card was offered only on {first:%Y-%m-%d}, later than {days} days after {occasion.label} "
            f"(due {occasion.due:%Y-%m-%d}).",
            **common,
        )
    if now <= occasion.due:
        return Result.compliant(detainee_id, f"Capture card due by {occasion.due:%Y-%m-%d}.", **common)
    if undated:
        return Result.insufficient(
            detainee_id,
            f"A capture card is recorded without any date, so it cannot be said whether he could write one after "
            f"{occasion.label}.",
            missing=["the date the capture card was offered, written or sent"],
            **common,
        )
    return Result.violation(
        detainee_id,
        f"No capture card was offered within {days} days of {occasion.label} (due {occasion.due:%Y-%m-%d}).",
        **common,
    )


@register(
    id="GC3-70-CAPTURECARD",
    version=1,
    title="Capture card to the family and the Central Tracing Agency",
    article="GCIII Art. 70",
    paragraphs=("70",),
    description=(
        "On capture (at the latest one week after arrival at a camp, even a transit camp), and again on sickness or "
        "transfer to hospital or another camp, the prisoner must be enabled to write a capture card to his family "
        "and to the Central Tracing Agency; the cards must be forwarded without delay. Declining is his choice."
    ),
    rationale=(
        "Art. 70 makes the capture card the first means by which the family and the Central Agency learn of the "
        "capture; prisoners are not to be held in secret (2020 Commentary, para. 3123)."
    ),
    remediation=(
        "Offer the card now (Annex IV B model, in his language), record whether he wrote or declined it, and send "
        "both cards at once."
    ),
    severity=Severity.HIGH,
    tags=("capture card", "family", "central tracing agency", "art70"),
    references=(
        "GCIII Art. 70 and 2020 Commentary para. 3123, checked in the ICRC IHL database (article-70/commentary/2020).",
        "1960 Commentary on Art. 70: the first card 'immediately upon capture or, at the latest, not more than one "
        "week after arrival at a camp'. The 7 days after capture when no camp arrival is recorded is policy "
        "(settings.COMPLIANCE_POLICY['CAPTURE_CARD_DAYS']).",
    ),
    time_based=True,
)
def capture_card(ctx: ChunkContext) -> Iterator[Result]:
    days = policy("CAPTURE_CARD_DAYS")
    captures, events, cards, facilities = ctx.capture, ctx.custody_events, ctx.capture_cards, ctx.facilities
    for detainee_id in ctx.detainee_ids:
        occasions = occasions_for(captures.get(detainee_id), events[detainee_id], facilities, days)
        if not occasions:
            if ctx.held(detainee_id):
                yield Result.insufficient(
                    detainee_id,
                    "Neither his capture nor an arrival at a camp is recorded, so the capture card "
                    "deadline cannot be computed.",
                    missing=["capture date", "arrival at a camp"],
                )
            else:
                yield Result.not_applicable(detainee_id, "No capture or arrival recorded and no longer held.")
            continue
        for index, occasion in enumerate(occasions):
            next_at = occasions[index + 1].at if index + 1 < len(occasions) else None
            yield judge_occasion(detainee_id, occasion, next_at, cards[detainee_id], ctx.now, days)
