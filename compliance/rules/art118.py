"""GCIII Article 118: release and repatriation, read with the principle of non-refoulement.

Art. 118(1): "Prisoners of war shall be released and repatriated without delay after the cessation of active
hostilities." The duty to repatriate does not oblige a Detaining Power to send a prisoner back against his openly
and freely expressed will where he would face a real risk of serious violations (non-refoulement: ICRC practice,
Republic of Korea declaration on Art. 118, Customary IHL Rule 128). Before a man goes on an outgoing list his wish
must therefore be known, recorded in a language he understands, and, if he does not wish to return, weighed in a
completed risk assessment.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from powcases.choices import (
    EXCHANGE_ACTIVE_STATUSES,
    Affiliation,
    RepatriationWishChoice,
    RiskAssessmentOutcome,
)
from powcases.models import ExchangeOutgoing

from ..choices import Severity
from ..context import ChunkContext, Row
from ..registry import Result, register, subject_of
from ._common import iso, language_list, language_name


def active_memberships(memberships: list[Row]) -> list[Row]:
    """His places on outgoing lists of exchange proposals that are still being acted upon."""
    return [row for row in memberships if row["proposal_status"] in EXCHANGE_ACTIVE_STATUSES]


def latest_wish(wishes: list[Row]) -> Row | None:
    """The most recent recorded wish (the context orders them by recorded_at)."""
    return wishes[-1] if wishes else None


def completed_assessment(assessments: list[Row]) -> Row | None:
    """The most recently completed risk assessment with a finding (in-progress ones decide nothing)."""
    done = [
        row
        for row in assessments
        if row["completed_at"] is not None and row["outcome"] != RiskAssessmentOutcome.IN_PROGRESS
    ]
    return max(done, key=lambda row: row["completed_at"]) if done else None


def wish_evidence(wish: Row, interpreters: dict[int, Row]) -> dict[str, Any]:
    return {
        "wish": wish["wish"],
        "recorded_at": iso(wish["recorded_at"]),
        "recorded_by": wish["recorded_by"],
        "language": wish["language"],
        "third_party_present": wish["third_party_present"],
        "interpreters": [
            {
                "id": interpreters[i]["id"],
                "name": interpreters[i]["name"],
                "affiliation": interpreters[i]["affiliation"],
                "affiliation_state": interpreters[i]["affiliation_state"],
                "languages": sorted(interpreters[i]["languages"]),
            }
            for i in wish["interpreter_ids"]
            if i in interpreters
        ],
    }


def communication_doubt(wish: Row, skills: list[Row], interpreters: dict[int, Row]) -> str | None:
    """Why the recorded wish may not be his own words: a language he does not understand, or a third-state bridge.

    Returns None when he understood the language of the record directly, or through an interpreter who is not
    attached to a third state; also None when his languages are not recorded (the rule cannot tell).
    """
    understood = {skill["language"] for skill in skills if skill["understands"]}
    if not understood:
        return None
    language = wish["language"]
    if language and language in understood:
        return None
    present = [interpreters[i] for i in wish["interpreter_ids"] if i in interpreters]
    bridges = [
        row for row in present if row["languages"] & understood and (not language or language in row["languages"])
    ]
    where = f"in {language_name(language)}" if language else "in an unrecorded language"
    if not bridges:
        return (
            f"his wish was recorded {where}, which he is not known to understand (he understands "
            f"{language_list(understood)}), and no interpreter present speaks a language he understands"
        )
    if all(row["affiliation"] == Affiliation.THIRD_STATE for row in bridges):
        names = ", ".join(f"{row['name']} ({row['affiliation_state'] or 'third state'})" for row in bridges)
        return (
            f"his wish was recorded {where} and reached him only through an interpreter attached to a third state "
            f"({names}), not an independent one"
        )
    return None


def judge_membership(
    detainee_id: int,
    membership: Row,
    wish: Row | None,
    assessment: Row | None,
    skills: list[Row],
    interpreters: dict[int, Row],
) -> Result:
    """Decide one place on an active outgoing list."""
    proposal = f"{membership['proposal_reference']} ({membership['proposal_status']})"
    listing = f"He is on the outgoing list of exchange proposal {proposal}"
    evidence: dict[str, Any] = {
        "proposal_id": membership["proposal_id"],
        "proposal_reference": membership["proposal_reference"],
        "proposal_status": membership["proposal_status"],
        "proposal_counterparty": membership["proposal_counterparty"],
        "proposal_proposed_on": iso(membership["proposal_proposed_on"]),
        "handed_over_at": iso(membership["handed_over_at"]),
        "wish": wish_evidence(wish, interpreters) if wish else None,
        "risk_assessment": (
            {
                "id": assessment["id"],
                "outcome": assessment["outcome"],
                "completed_at": iso(assessment["completed_at"]),
                "assessed_by": assessment["assessed_by"],
            }
            if assessment
            else None
        ),
    }
    common = {"evidence": evidence, "subject": subject_of(ExchangeOutgoing, membership["id"])}

    if wish is None:
        return Result.warning(
            detainee_id,
            f"{listing}, but no wish about repatriation has been recorded. Ask him, in a language he understands and "
            "without witnesses from either side, whether he wishes to return before the exchange goes ahead.",
            **common,
        )
    when = f"on {wish['recorded_at']:%Y-%m-%d}" + (f" by {wish['recorded_by']}" if wish["recorded_by"] else "")
    if wish["wish"] == RepatriationWishChoice.UNDECIDED:
        return Result.warning(
            detainee_id,
            f"{listing}; his last recorded wish ({when}) is that he is undecided. Record a clear, freely expressed "
            "wish before he is handed over.",
            **common,
        )
    if wish["wish"] == RepatriationWishChoice.DOES_NOT_WISH_TO_RETURN:
        if assessment is None:
            return Result.violation(
                detainee_id,
                f"{listing}, although he stated {when} that he does not wish to return, and no risk assessment has "
                "been completed. He must not be repatriated against his will without an assessment of the risk of "
                "serious violations awaiting him (non-refoulement).",
                **common,
            )
        if assessment["outcome"] == RiskAssessmentOutcome.REAL_RISK:
            return Result.violation(
                detainee_id,
                f"{listing}, although he stated {when} that he does not wish to return and the risk assessment "
                f"completed on {assessment['completed_at']:%Y-%m-%d} found a real risk of serious violations. "
                "Take him off the list (non-refoulement).",
                **common,
            )
        # The catalogue (LAW.md) asks for a completed assessment; one finding no real risk meets it.
        return Result.compliant(
            detainee_id,
            f"{listing}; he stated {when} that he does not wish to return, and the risk assessment completed on "
            f"{assessment['completed_at']:%Y-%m-%d} found no real risk of serious violations.",
            **common,
        )
    doubt = communication_doubt(wish, skills, interpreters)
    if doubt:
        return Result.warning(
            detainee_id,
            f"{listing} and is recorded as wishing to return, but {doubt}. Confirm his wish with an independent "
            "interpreter in his own language.",
            **common,
        )
    return Result.compliant(detainee_id, f"{listing} and wishes to return ({when}).", **common)


@register(
    id="GC3-118-REPAT",
    version=1,
    title="Repatriation lists: the prisoner's wish and non-refoulement",
    article="GCIII Art. 118(1); non-refoulement",
    paragraphs=("118(1)",),
    description=(
        "A prisoner on the outgoing list of an active exchange proposal must have a known wish about repatriation. "
        "A recorded wish not to return without a completed risk assessment, or with one that found a real risk, is a "
        "violation; an unknown or undecided wish is a warning, as is a wish recorded in a language he does not "
        "understand or only through a third-state interpreter."
    ),
    rationale=(
        "Art. 118(1) requires release and repatriation without delay after active hostilities; the principle of "
        "non-refoulement bars sending a prisoner back against his freely expressed will to a real risk of serious "
        "violations, so his wish must be known and the risk assessed before he is handed over."
    ),
    remediation=(
        "Record his wish in a language he understands, with an independent interpreter and ideally an ICRC delegate; "
        "if he does not wish to return, complete a risk assessment and take him off the list while it is pending or "
        "if it finds a real risk."
    ),
    severity=Severity.CRITICAL,
    tags=("repatriation", "exchange", "non-refoulement", "art118"),
    references=(
        "GCIII Art. 118(1)-(4), text checked in the ICRC 2020 Commentary page (ihl-databases.icrc.org, Article 118: "
        "'released and repatriated without delay after the cessation of active hostilities'; reservation in force: "
        "Republic of Korea).",
        "Non-refoulement limit: Customary IHL Rule 128 (checked) and ../shared/LAW.md GC3-118-REPAT; the 2020 "
        "Commentary paragraphs on the prisoner's will were not read directly.",
    ),
)
def repatriation_wish(ctx: ChunkContext) -> Iterator[Result]:
    memberships = ctx.exchange_memberships
    listed = {d for d in ctx.detainee_ids if active_memberships(memberships[d])}
    # Only load wishes, assessments, languages and interpreters when someone in the chunk is on an active list.
    if listed:
        wishes, assessments, languages, interpreters = (
            ctx.repatriation_wishes,
            ctx.risk_assessments,
            ctx.languages,
            ctx.interpreters,
        )
    for detainee_id in ctx.detainee_ids:
        if detainee_id not in listed:
            yield Result.not_applicable(detainee_id, "Not on the outgoing list of any active exchange proposal.")
            continue
        wish = latest_wish(wishes[detainee_id])
        assessment = completed_assessment(assessments[detainee_id])
        for membership in active_memberships(memberships[detainee_id]):
            yield judge_membership(detainee_id, membership, wish, assessment, languages[detainee_id], interpreters)
