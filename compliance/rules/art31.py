"""GCIII Article 31: monthly medical inspections.

Art. 31: "Medical inspections of prisoners of war shall be held at least once a month. They shall include the checking
and the recording of the weight of each prisoner of war. Their purpose shall be, in particular, to supervise the
general state of health, nutrition and cleanliness of prisoners and to detect contagious diseases ..."
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from powcases.choices import MedicalAssessmentKind
from powcases.models import MedicalAssessment

from ..choices import Severity
from ..context import ChunkContext, Row
from ..registry import Result, register, subject_of
from ._common import iso, policy

# General inspections in the sense of Art. 31. Treatment, fitness for questioning and Mixed Medical Commission
# examinations serve other purposes (the 1960 Commentary distinguishes the Art. 112 examinations expressly).
INSPECTION_KINDS = (MedicalAssessmentKind.MONTHLY_INSPECTION, MedicalAssessmentKind.CAPTURE_SCREENING)


def custody_start(capture: Row | None, events: list[Row]) -> dt.datetime | None:
    """When he came into the detaining power's hands: the capture, else the first custody event recorded."""
    if capture is not None:
        return capture["captured_at"]
    return events[0]["occurred_at"] if events else None


def judge_inspections(
    detainee_id: int, start: dt.datetime | None, assessments: list[Row], now: dt.datetime, days: int
) -> Result:
    inspections = [a for a in assessments if a["kind"] in INSPECTION_KINDS and a["assessed_at"] <= now]
    last = inspections[-1] if inspections else None
    evidence = {
        "custody_start": iso(start),
        "last_inspection_at": iso(last["assessed_at"]) if last else None,
        "last_inspection_weight_kg": str(last["weight_kg"]) if last and last["weight_kg"] is not None else None,
        "inspections": len(inspections),
        "period_days": days,
    }
    subject = subject_of(MedicalAssessment, last["id"]) if last else None
    if last is None and start is None:
        return Result.insufficient(
            detainee_id,
            "Neither his capture nor his arrival in custody is recorded, and no medical inspection, so the monthly "
            "inspection cannot be checked.",
            missing=["capture date or arrival in custody"],
            evidence=evidence,
        )
    since = last["assessed_at"] if last else start
    due = since + dt.timedelta(days=days)
    evidence["due_at"] = iso(due)
    if now > due:
        what = f"since his last inspection on {since:%Y-%m-%d}" if last else f"since he was taken on {since:%Y-%m-%d}"
        return Result.violation(
            detainee_id,
            f"No medical inspection {what} ({(now - since).days} days). Art. 31 requires a medical inspection at least "
            f"once a month (policy: every {days} days), including his weight.",
            evidence=evidence,
            subject=subject,
        )
    if last is None:
        return Result.not_applicable(
            detainee_id,
            f"In custody since {since:%Y-%m-%d}; the first monthly inspection is due by {due:%Y-%m-%d}.",
            evidence=evidence,
        )
    if last["weight_kg"] is None:
        return Result.warning(
            detainee_id,
            f"His medical inspection of {since:%Y-%m-%d} did not record his weight; Art. 31 inspections shall include "
            "the checking and recording of each prisoner's weight.",
            evidence=evidence,
            subject=subject,
        )
    return Result.compliant(
        detainee_id,
        f"Inspected on {since:%Y-%m-%d} with weight; next due by {due:%Y-%m-%d}.",
        evidence=evidence,
        subject=subject,
    )


@register(
    id="GC3-31-MONTHLY",
    version=1,
    title="Medical inspection at least once a month, with weight",
    article="GCIII Art. 31",
    paragraphs=("31",),
    description=(
        "A held prisoner must have a medical inspection (monthly inspection or capture screening) within every "
        "policy period (settings.COMPLIANCE_POLICY['MEDICAL_INSPECTION_DAYS'], 31 days) since his capture or his "
        "last inspection: none is a violation. An inspection that did not record his weight is a warning. During "
        "his first month, before any inspection, not applicable. No capture, arrival or inspection recorded is "
        "insufficient data."
    ),
    rationale=(
        "Art. 31: 'Medical inspections of prisoners of war shall be held at least once a month. They shall include "
        "the checking and the recording of the weight of each prisoner of war.' Weight is the quickest way to see "
        "whether his general state of health and nutrition is satisfactory (1960 Commentary on Art. 31). The rule "
        "checks the current state (the last inspection), so a finding clears once he is inspected."
    ),
    remediation="Hold the inspection now and record his weight; schedule inspections at least monthly.",
    severity=Severity.MEDIUM,
    tags=("medical", "inspection", "art31"),
    references=(
        "GCIII Art. 31, text checked in a stored copy of the Convention (lawin.org, Geneva Convention (III), "
        "Article 31) and the ICRC 1960 Commentary on Art. 31 (weight; distinct from Art. 112 examinations).",
        "'Once a month' as 31 days is policy: settings.COMPLIANCE_POLICY['MEDICAL_INSPECTION_DAYS'].",
    ),
    time_based=True,
)
def monthly_inspection(ctx: ChunkContext) -> Iterator[Result]:
    days = policy("MEDICAL_INSPECTION_DAYS")
    captures, events, assessments = ctx.capture, ctx.custody_events, ctx.medical_assessments
    for detainee_id in ctx.detainee_ids:
        if not ctx.held(detainee_id):
            yield Result.not_applicable(detainee_id, "No longer held.")
            continue
        start = custody_start(captures.get(detainee_id), events[detainee_id])
        yield judge_inspections(detainee_id, start, assessments[detainee_id], ctx.now, days)
