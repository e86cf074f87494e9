"""GCIII Article 5: persons whose prisoner-of-war status is in doubt.

Art. 5(2): "Should any doubt arise as to whether persons, having committed a belligerent act and having fallen into
the hands of the enemy, belong to any of the categories enumerated in Article 4, such persons shall enjoy the
protection of the present Convention until such time as their status has been determined by a competent tribunal."
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from powcases.choices import DetaineeStatus, TribunalOutcome

from ..choices import Severity
from ..context import ChunkContext, Row
from ..registry import Result, register
from ._common import iso, policy

DECIDED = (TribunalOutcome.PRISONER_OF_WAR, TribunalOutcome.NOT_PRISONER_OF_WAR)


def _evidence(row: Row, days: int) -> dict[str, Any]:
    return {
        "status": row["status"],
        "status_doubt_since": iso(row["status_doubt_since"]),
        "tribunal_decided_at": iso(row["tribunal_decided_at"]),
        "tribunal_outcome": row["tribunal_outcome"],
        "policy_days": days,
    }


def judge_status(detainee_id: int, row: Row, now: dt.datetime, days: int) -> Result:
    """Decide one detainee's Art. 5(2) position from his status, the doubt and the tribunal's decision."""
    evidence = _evidence(row, days)
    status, since, outcome = row["status"], row["status_doubt_since"], row["tribunal_outcome"]
    decided = outcome in DECIDED
    when = f" on {row['tribunal_decided_at']:%Y-%m-%d}" if row["tribunal_decided_at"] else ""

    if status == DetaineeStatus.CIVILIAN_INTERNEE and outcome == TribunalOutcome.PRISONER_OF_WAR:
        return Result.violation(
            detainee_id,
            f"A competent tribunal found him to be a prisoner of war{when}, yet he is held as a civilian internee.",
            evidence=evidence,
        )
    if status == DetaineeStatus.CIVILIAN_INTERNEE and since is not None and not decided:
        return Result.violation(
            detainee_id,
            f"His prisoner-of-war status was doubted on {since:%Y-%m-%d}, and he is treated as a civilian internee "
            "although no competent tribunal has decided. Until a tribunal decides, Art. 5(2) requires that he be "
            "given the full protection of the Third Convention.",
            evidence=evidence,
        )
    if decided:
        return Result.compliant(detainee_id, f"A competent tribunal decided his status{when}.", evidence=evidence)
    if status != DetaineeStatus.STATUS_IN_DOUBT:
        if since is not None and status == DetaineeStatus.PRISONER_OF_WAR:
            return Result.compliant(
                detainee_id, "His status was doubted; meanwhile he is treated as a prisoner of war.", evidence=evidence
            )
        return Result.not_applicable(detainee_id, "His status is not in doubt.", evidence=evidence)
    if since is None:
        return Result.insufficient(
            detainee_id,
            "His status is recorded as in doubt, but not since when, so it cannot be said how long he has waited for "
            "a competent tribunal.",
            missing=["since when his status is in doubt"],
            evidence=evidence,
        )
    waited = (now - since).days
    evidence["days_in_doubt"] = waited
    if now - since > dt.timedelta(days=days):
        return Result.warning(
            detainee_id,
            f"His status has been in doubt since {since:%Y-%m-%d} ({waited} days) and no competent tribunal has "
            f"decided it. He keeps the full protection of the Third Convention meanwhile (Art. 5(2)); the treaty sets "
            f"no deadline, but {days} days is the policy period for bringing his case before a tribunal.",
            evidence=evidence,
        )
    return Result.compliant(
        detainee_id,
        f"Status in doubt since {since:%Y-%m-%d}; within the {days}-day policy period for a tribunal decision.",
        evidence=evidence,
    )


@register(
    id="GC3-5-DOUBT",
    version=1,
    title="Status in doubt: protection until a competent tribunal decides",
    article="GCIII Art. 5(2)",
    paragraphs=("5(2)",),
    description=(
        "A person whose prisoner-of-war status is in doubt keeps the protection of the Convention until a competent "
        "tribunal decides. Treating him as a civilian internee while the doubt is undecided (or against a tribunal's "
        "finding that he is a prisoner of war) is a violation; a doubt left undecided beyond the policy period "
        "(settings.COMPLIANCE_POLICY['DOUBT_TRIBUNAL_DAYS']) is a warning; a doubt without a start date is "
        "insufficient data."
    ),
    rationale=(
        "Art. 5(2) gives the protection of the Convention to such persons 'until such time as their status has been "
        "determined by a competent tribunal': the breach is withholding that protection, not the length of the wait, "
        "for which the treaty fixes no period. A long wait is therefore a warning (the period is policy), while "
        "treating the person as not a prisoner of war before any tribunal has decided takes away the protection the "
        "article guarantees, hence a violation. The status 'civilian internee' is read as 'not treated as a POW'."
    ),
    remediation=(
        "Bring the case before a competent tribunal without further delay; until it decides, hold and treat him as a "
        "prisoner of war. Record the date the doubt arose and the tribunal's date and outcome."
    ),
    severity=Severity.HIGH,
    tags=("status", "tribunal", "art5"),
    references=(
        "GCIII Art. 5(2), text checked in the ICRC IHL database (Commentary of 2020, Article 5, 'Text of the "
        "provision', paras 1093-1094) and copies of the Competent tribunal article quoting Art. 5(2).",
        "The period for a tribunal decision is policy: ../shared/LAW.md GC3-5-DOUBT (30 days by default).",
    ),
    time_based=True,
)
def status_in_doubt(ctx: ChunkContext) -> Iterator[Result]:
    days = policy("DOUBT_TRIBUNAL_DAYS")
    detainees = ctx.detainees
    for detainee_id in ctx.detainee_ids:
        row = detainees.get(detainee_id)
        if row is None:
            continue
        if not ctx.held(detainee_id):
            yield Result.not_applicable(detainee_id, "No longer held.")
            continue
        yield judge_status(detainee_id, row, ctx.now, days)
