"""GCIII Articles 19-20: evacuation from the combat zone.

Art. 19(1): "Prisoners of war shall be evacuated, as soon as possible after their capture, to camps situated in an area
far enough from the combat zone for them to be out of danger." Art. 19(2): "Only those prisoners of war who, owing to
wounds or sickness, would run greater risks by being evacuated than by remaining where they are, may be temporarily
kept back in a danger zone." Art. 20(3): stays in transit camps "shall be as brief as possible".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from powcases.choices import CustodyEventKind
from powcases.models import Capture

from ..choices import Severity
from ..context import ChunkContext, Row
from ..registry import Result, register, subject_of
from ._common import iso, policy

MOVES = (CustodyEventKind.ARRIVAL, CustodyEventKind.TRANSFER, CustodyEventKind.HOSPITALISATION)


def evacuated_at(capture: Row, events: list[Row], facilities: dict[int, Row]) -> dt.datetime | None:
    """When he reached safety: the recorded evacuation, else his first move to a facility out of the combat zone."""
    if capture["evacuated_at"] is not None:
        return capture["evacuated_at"]
    for event in events:
        facility = facilities.get(event["to_facility_id"]) if event["to_facility_id"] else None
        if event["kind"] in MOVES and facility is not None and facility["out_of_combat_zone"]:
            return event["occurred_at"]
    return None


def medically_held(assessments: list[Row]) -> Row | None:
    """The latest assessment that recorded whether he may travel, if it says he may not (Art. 19(2))."""
    latest = next((row for row in reversed(assessments) if row["fit_to_travel"] is not None), None)
    return latest if latest is not None and latest["fit_to_travel"] is False else None


@register(
    id="GC3-19-EVAC",
    version=1,
    title="Evacuation from the combat zone",
    article="GCIII Art. 19 and Art. 20(3)",
    paragraphs=("19(1)", "19(2)", "20(3)"),
    description=(
        "A prisoner not evacuated to a facility out of the combat zone within the policy period after capture is a "
        "warning, unless his doctors found him unfit to travel (Art. 19(2))."
    ),
    rationale=(
        "Art. 19(1): evacuation to camps out of danger 'as soon as possible after their capture'; Art. 19(2): only "
        "those whom evacuation would put at greater risk because of wounds or sickness may be kept back, temporarily; "
        "Art. 20(3): transit stays as brief as possible."
    ),
    remediation=(
        "Evacuate him to a camp out of the combat zone now, or record the medical assessment that he cannot travel."
    ),
    severity=Severity.MEDIUM,
    tags=("evacuation", "combat zone", "art19", "art20"),
    references=(
        "GCIII Art. 19(1)-(3) and Art. 20(1)-(3), text checked in the ICRC 2020 Commentary pages (Article 19: "
        "Evacuation of prisoners; Article 20: Conditions of evacuation of prisoners).",
        "The 72-hour period is policy (settings.COMPLIANCE_POLICY['EVACUATION_HOURS']); the treaty says 'as soon as "
        "possible'.",
    ),
    time_based=True,
)
def evacuation(ctx: ChunkContext) -> Iterator[Result]:
    hours = policy("EVACUATION_HOURS")
    captures, events, assessments, facilities = ctx.capture, ctx.custody_events, ctx.medical_assessments, ctx.facilities
    for detainee_id in ctx.detainee_ids:
        capture = captures.get(detainee_id)
        if capture is None or not ctx.held(detainee_id):
            yield Result.not_applicable(detainee_id, "No capture recorded, or no longer held.")
            continue
        captured = capture["captured_at"]
        due = captured + dt.timedelta(hours=hours)
        reached = evacuated_at(capture, events[detainee_id], facilities)
        evidence = {
            "captured_at": iso(captured),
            "evacuated_at": iso(reached),
            "due_at": iso(due),
            "period_hours": hours,
        }
        common = {"evidence": evidence, "subject": subject_of(Capture, capture["id"])}
        if reached is not None:
            yield Result.compliant(detainee_id, f"Evacuated on {reached:%Y-%m-%d %H:%M}.", **common)
            continue
        held_back = medically_held(assessments[detainee_id])
        if held_back is not None:
            evidence["unfit_to_travel_since"] = iso(held_back["assessed_at"])
            yield Result.compliant(
                detainee_id,
                "Kept back because his doctors found him unfit to travel (Art. 19(2)); evacuate him once he can be.",
                **common,
            )
            continue
        if ctx.now <= due:
            yield Result.compliant(detainee_id, f"Evacuation due by {due:%Y-%m-%d %H:%M}.", **common)
            continue
        yield Result.warning(
            detainee_id,
            f"Captured on {captured:%Y-%m-%d %H:%M} and not recorded as evacuated to a facility out of the combat zone "
            f"after {hours} hours, and no medical reason to keep him back is recorded. Art. 19 requires evacuation "
            "as soon as possible.",
            **common,
        )
