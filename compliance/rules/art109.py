"""GCIII Articles 109-112: direct repatriation of the seriously wounded and sick.

Art. 109(1): the Parties "are bound to send back to their own country, regardless of number or rank, seriously wounded
and seriously sick prisoners of war, after having cared for them until they are fit to travel". Art. 109(3): "No sick
or injured prisoner of war who is eligible for repatriation ... may be repatriated against his will during
hostilities." Art. 110 lists who is repatriated direct. Art. 112: Mixed Medical Commissions examine the sick and
wounded, but prisoners "who, in the opinion of the medical authorities of the Detaining Power, are manifestly seriously
injured or seriously sick, may be repatriated without having to be examined by a Mixed Medical Commission".
Because the duty holds "regardless of number or rank", such a prisoner is not a bargaining counter in a one-for-one
exchange (1960 Commentary). A refusal to return by a man on an active list is judged by GC3-118-REPAT, not here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from powcases.choices import HealthCategory, MedicalAssessmentKind, RepatriationWishChoice
from powcases.models import ExchangeOutgoing, MedicalAssessment

from ..choices import Severity
from ..context import ChunkContext, Row
from ..registry import Result, register, subject_of
from ._common import iso
from .art118 import active_memberships, latest_wish


def _last(assessments: list[Row], field: str) -> Row | None:
    """The latest assessment where `field` is recorded (not None, not blank)."""
    for row in reversed(assessments):
        if row[field] not in (None, ""):
            return row
    return None


def medical_picture(assessments: list[Row]) -> dict[str, Any]:
    """What the medical record says about serious injury or sickness and about direct repatriation."""
    category = _last(assessments, "health_category")
    manifest = _last(assessments, "manifestly_seriously_ill")
    commission = _last(assessments, "eligible_for_direct_repatriation")
    travel = _last(assessments, "fit_to_travel")
    examined_by_commission = commission is not None or any(
        row["kind"] == MedicalAssessmentKind.MIXED_MEDICAL_COMMISSION for row in assessments
    )
    serious = (
        (category is not None and category["health_category"] == HealthCategory.SERIOUSLY_WOUNDED)
        or (manifest is not None and manifest["manifestly_seriously_ill"] is True)
        or (commission is not None and commission["eligible_for_direct_repatriation"] is True)
    )
    # A commission's finding prevails; without one, the detaining power's doctors may decide (Art. 112(2)).
    if commission is not None:
        eligible = commission["eligible_for_direct_repatriation"] is True
    else:
        eligible = manifest is not None and manifest["manifestly_seriously_ill"] is True
    return {
        "serious": serious,
        "eligible": eligible,
        "examined": examined_by_commission or manifest is not None,
        "evidence": {
            "health_category": category["health_category"] if category else None,
            "health_category_at": iso(category["assessed_at"]) if category else None,
            "manifestly_seriously_ill": manifest["manifestly_seriously_ill"] if manifest else None,
            "examined_by_mixed_medical_commission": examined_by_commission,
            "eligible_for_direct_repatriation": commission["eligible_for_direct_repatriation"] if commission else None,
            "fit_to_travel": travel["fit_to_travel"] if travel else None,
        },
        "subject_row": category or manifest or commission,
    }


@register(
    id="GC3-109-DIRECTREPAT",
    version=1,
    title="Seriously wounded and sick: examination and direct repatriation",
    article="GCIII Art. 109(1),(3), Arts. 110 and 112",
    paragraphs=("109(1)", "109(3)", "110", "112"),
    description=(
        "A seriously wounded or sick prisoner needs either an examination by a Mixed Medical Commission or a finding "
        "by the detaining power's doctors that he is manifestly seriously injured or sick (warning when neither is "
        "recorded). One found eligible for direct repatriation should not sit on a one-for-one exchange list "
        "(warning)."
    ),
    rationale=(
        "Art. 109(1) binds the Parties to send back the seriously wounded and sick 'regardless of number or rank' once "
        "fit to travel; Art. 112 provides the Mixed Medical Commission, or the detaining power's own doctors for "
        "manifest cases, to decide who qualifies (Art. 110)."
    ),
    remediation=(
        "Have him examined by a Mixed Medical Commission, or record the detaining power's doctors' finding; if he is "
        "eligible, arrange his direct repatriation (with his consent, Art. 109(3)) outside any exchange bargain."
    ),
    severity=Severity.HIGH,
    tags=("wounded and sick", "repatriation", "exchange", "art109", "art112"),
    references=(
        "GCIII Arts. 109 and 110, text checked in tamilnation.org geneva3d and home.csulb.edu .../article110.html; "
        "Art. 112, text checked in home.csulb.edu .../article112.html ('manifestly seriously injured or seriously "
        "sick, may be repatriated without having to be examined by a Mixed Medical Commission').",
        "'Regardless of number or rank' read as excluding one-for-one bargaining: ../shared/LAW.md (1960 Commentary, "
        "not re-read here).",
    ),
)
def direct_repatriation(ctx: ChunkContext) -> Iterator[Result]:
    assessments, memberships = ctx.medical_assessments, ctx.exchange_memberships
    for detainee_id in ctx.detainee_ids:
        picture = medical_picture(assessments[detainee_id])
        if not ctx.held(detainee_id) or not picture["serious"]:
            yield Result.not_applicable(detainee_id, "Not recorded as seriously wounded or sick, or no longer held.")
            continue
        evidence = picture["evidence"]
        row = picture["subject_row"]
        subject = subject_of(MedicalAssessment, row["id"]) if row else None
        if not picture["examined"]:
            yield Result.warning(
                detainee_id,
                "He is recorded as seriously wounded or sick, but neither a Mixed Medical Commission has examined him "
                "nor have the detaining power's doctors recorded whether he is manifestly seriously injured or sick. "
                "Without one of them his right to direct repatriation (Arts. 109-110) cannot be decided.",
                evidence=evidence,
                subject=subject,
                discriminator="examination",
            )
            continue
        listed = active_memberships(memberships[detainee_id])
        if picture["eligible"] and listed:
            wish = latest_wish(ctx.repatriation_wishes[detainee_id])
            if wish is not None and wish["wish"] == RepatriationWishChoice.DOES_NOT_WISH_TO_RETURN:
                # Art. 109(3) on an active list is GC3-118-REPAT's finding; reporting it twice would double-count.
                yield Result.not_applicable(detainee_id, "He refuses repatriation: see GC3-118-REPAT.")
                continue
            for membership in listed:
                yield Result.warning(
                    detainee_id,
                    f"He is eligible for direct repatriation as seriously wounded or sick, yet he is on the outgoing "
                    f"list of exchange proposal {membership['proposal_reference']}. Art. 109(1) requires sending him "
                    "back 'regardless of number or rank': he should be repatriated in his own right, not traded "
                    "one-for-one.",
                    evidence={
                        **evidence,
                        "proposal_reference": membership["proposal_reference"],
                        "proposal_status": membership["proposal_status"],
                    },
                    subject=subject_of(ExchangeOutgoing, membership["id"]),
                    discriminator="exchange",
                )
            continue
        if picture["eligible"]:
            travel = " once fit to travel" if evidence["fit_to_travel"] is not True else ""
            message = f"Found eligible for direct repatriation: send him back{travel} (with his consent, Art. 109(3))."
        else:
            message = "Examined; not found eligible for direct repatriation."
        yield Result.compliant(detainee_id, message, evidence=evidence, subject=subject)
