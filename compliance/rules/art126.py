"""GCIII Article 126: visits by the Protecting Powers and the ICRC.

Art. 126(1): delegates "shall have permission to go to all places where prisoners of war may be ... They shall be able
to interview the prisoners ... without witnesses, either personally or through an interpreter." Art. 126(2): "Visits
may not be prohibited except for reasons of imperative military necessity, and then only as an exceptional and
temporary measure." Art. 126(4): ICRC delegates "shall enjoy the same prerogatives".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from powcases.choices import CustodyEventKind, DenialGround, VisitingBody
from powcases.models import Visit

from ..choices import Severity
from ..context import ChunkContext, Row
from ..registry import Result, register, subject_of
from ._common import iso

BODY_LABELS = dict(VisitingBody.choices)  # a dict lookup: enum construction is slow in a 100,000-detainee sweep
MOVES_IN = (CustodyEventKind.ARRIVAL, CustodyEventKind.TRANSFER, CustodyEventKind.HOSPITALISATION)


def visit_time(visit: Row) -> dt.datetime | None:
    return visit["requested_at"] or visit["visited_at"]


def held_there_since(facility_id: int | None, capture: Row | None, events: list[Row]) -> dt.datetime | None:
    """Since when he is at his present facility: his last move there, else his capture (None if neither is known)."""
    moves = [e for e in events if e["kind"] in MOVES_IN and facility_id and e["to_facility_id"] == facility_id]
    if moves:
        return moves[-1]["occurred_at"]
    return capture["captured_at"] if capture else None


def visits_concerning(own: list[Row], facility_visits: list[Row], since: dt.datetime | None) -> list[Row]:
    """Visits naming him, and visits to his present facility as a whole (no detainee named) while he was there."""
    return own + [
        row
        for row in facility_visits
        if row["detainee_id"] is None and (since is None or visit_time(row) is None or visit_time(row) >= since)
    ]


def later_granted(visit: Row, concerning: list[Row]) -> Row | None:
    """A later granted visit by the same body to the same place or person (ends a temporary prohibition)."""
    start = visit_time(visit)
    if start is None:
        return None
    return next(
        (
            row
            for row in concerning
            if row["granted"] is True
            and row["visiting_body"] == visit["visiting_body"]
            and (row["facility_id"], row["detainee_id"]) == (visit["facility_id"], visit["detainee_id"])
            and visit_time(row) is not None
            and visit_time(row) > start
        ),
        None,
    )


def _visit_evidence(visit: Row) -> dict[str, Any]:
    return {
        "visit": visit["id"],
        "visiting_body": visit["visiting_body"],
        "facility_id": visit["facility_id"],
        "about_him": visit["detainee_id"] is not None,
        "requested_at": iso(visit["requested_at"]),
        "visited_at": iso(visit["visited_at"]),
        "granted": visit["granted"],
        "private_interview": visit["private_interview"],
        "interpreter_present": visit["interpreter_present"],
        "denial_ground": visit["denial_ground"],
        "denial_reason": visit["denial_reason"],
    }


def judge_visit(detainee_id: int, visit: Row, concerning: list[Row]) -> Result:
    """Decide one visit request concerning him (to him, or to the facility where he is held)."""
    body = BODY_LABELS.get(visit["visiting_body"], "delegates")
    target = "to him" if visit["detainee_id"] is not None else "to his place of detention"
    when = f" requested on {visit['requested_at']:%Y-%m-%d}" if visit["requested_at"] else ""
    common = {"evidence": _visit_evidence(visit), "subject": subject_of(Visit, visit["id"])}
    reason = f" (reason given: '{visit['denial_reason']}')" if visit["denial_reason"] else ""
    if visit["granted"] is False:
        if visit["denial_ground"] == DenialGround.IMPERATIVE_MILITARY_NECESSITY:
            after = later_granted(visit, concerning)
            if after is not None:
                return Result.compliant(
                    detainee_id,
                    f"A {body} visit {target}{when} was refused for imperative military necessity; the prohibition "
                    f"was temporary (a visit was granted on {visit_time(after):%Y-%m-%d}).",
                    **common,
                )
            return Result.warning(
                detainee_id,
                f"A {body} visit {target}{when} was refused for imperative military necessity{reason}. Art. 126(2) "
                "allows this only as an exceptional and temporary measure: record when the visit will be allowed "
                "and allow it as soon as the necessity ends.",
                severity=Severity.MEDIUM,
                **common,
            )
        return Result.violation(
            detainee_id,
            f"A {body} visit {target}{when} was refused on a ground other than imperative military necessity"
            f"{reason}. Visits may be prohibited for no other reason (Art. 126(2)).",
            **common,
        )
    if visit["granted"] is None:
        return Result.not_applicable(detainee_id, f"A {body} visit {target}{when} is pending.", **common)
    if visit["private_interview"] is False:
        return Result.warning(
            detainee_id,
            f"A {body} visit {target} took place, but the delegates could not interview prisoners without witnesses, "
            "as Art. 126(1) entitles them to.",
            **common,
        )
    return Result.compliant(detainee_id, f"A {body} visit {target} was granted.", **common)


@register(
    id="GC3-126-VISITS",
    version=1,
    title="Visits by the Protecting Power and the ICRC",
    article="GCIII Art. 126",
    paragraphs=("126(1)", "126(2)", "126(4)"),
    description=(
        "A visit by the Protecting Power or the ICRC to the prisoner or to his place of detention may be refused only "
        "for imperative military necessity: any other ground is a violation, that ground a warning (it must stay "
        "exceptional and temporary). A visit without a private interview is a warning."
    ),
    rationale=(
        "Art. 126(1)-(2), (4): Protecting Power and ICRC delegates may go to all places where prisoners are and "
        "interview them without witnesses; visits may be prohibited only for imperative military necessity, as an "
        "exceptional and temporary measure."
    ),
    remediation=(
        "Grant the visit; where military necessity truly prevents it, record until when, and allow it as soon as the "
        "necessity ends. Let the delegates interview prisoners without witnesses, with an interpreter of their choice."
    ),
    severity=Severity.HIGH,
    tags=("visits", "icrc", "protecting power", "art126"),
    references=(
        "GCIII Art. 126(1)-(4), text checked in the ICRC 2020 Commentary page (Article 126: Supervision by the "
        "Protecting Powers and the ICRC) and the German text (gesetzefinden.at, Art. 126).",
    ),
)
def visits(ctx: ChunkContext) -> Iterator[Result]:
    own, by_facility = ctx.visits, ctx.facility_visits
    for detainee_id in ctx.detainee_ids:
        facility_id = ctx.facility_of(detainee_id)
        facility_visits = by_facility[facility_id] if facility_id else []
        since = (
            held_there_since(facility_id, ctx.capture.get(detainee_id), ctx.custody_events[detainee_id])
            if any(row["detainee_id"] is None for row in facility_visits)
            else None
        )
        concerning = visits_concerning(own[detainee_id], facility_visits, since)
        if not concerning:
            yield Result.not_applicable(detainee_id, "No visit by the Protecting Power or the ICRC is recorded.")
            continue
        for visit in concerning:
            yield judge_visit(detainee_id, visit, concerning)
