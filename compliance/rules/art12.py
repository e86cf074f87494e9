"""GCIII Article 12: transfer of prisoners to another Power.

Art. 12(2): "Prisoners of war may only be transferred by the Detaining Power to a Power which is a party to the
Convention and after the Detaining Power has satisfied itself of the willingness and ability of such transferee Power
to apply the Convention." Art. 12(3): if that Power fails to apply the Convention in any important respect, the
transferring Power must correct the situation or request the prisoners' return.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from powcases.choices import CustodyEventKind
from powcases.models import CustodyEvent

from ..choices import Severity
from ..context import ChunkContext, Row
from ..registry import Result, register, subject_of
from ._common import iso


def judge_transfer(detainee_id: int, event: Row) -> Result:
    """Decide one transfer to another Power."""
    power = event["to_power"] or "an unrecorded Power"
    label = f"His transfer to {power} on {event['occurred_at']:%Y-%m-%d}"
    evidence: dict[str, Any] = {
        "occurred_at": iso(event["occurred_at"]),
        "to_power": event["to_power"],
        "to_power_party_to_convention": event["to_power_party_to_convention"],
        "to_power_willing_and_able": event["to_power_willing_and_able"],
    }
    common = {"evidence": evidence, "subject": subject_of(CustodyEvent, event["id"])}
    party, willing = event["to_power_party_to_convention"], event["to_power_willing_and_able"]
    if party is False:
        return Result.violation(
            detainee_id,
            f"{label} was to a Power that is not party to the Third Geneva Convention; Art. 12(2) allows transfers "
            "only to a party.",
            **common,
        )
    if willing is False:
        return Result.violation(
            detainee_id,
            f"{label} went ahead although the detaining power was not satisfied that {power} is willing and able to "
            "apply the Convention (Art. 12(2)). Under Art. 12(3) it must correct the situation or ask for him back.",
            **common,
        )
    missing = []
    if party is None:
        missing.append("whether the receiving Power is party to the Convention")
    if willing is None:
        missing.append("whether the receiving Power was found willing and able to apply the Convention")
    if missing:
        return Result.insufficient(
            detainee_id,
            f"{label}: the record does not show {' or '.join(missing)}.",
            missing=missing,
            **common,
        )
    return Result.compliant(detainee_id, f"{label} met the conditions of Art. 12(2).", **common)


@register(
    id="GC3-12-TRANSFER",
    version=1,
    title="Transfer to another Power",
    article="GCIII Art. 12(2),(3)",
    paragraphs=("12(2)", "12(3)"),
    description=(
        "A transfer to another Power is a violation when that Power is not party to the Convention or was not found "
        "willing and able to apply it; insufficient data when either is not recorded."
    ),
    rationale=(
        "Art. 12(2): prisoners may only be transferred to a Power party to the Convention, after the detaining power "
        "has satisfied itself of that Power's willingness and ability to apply it; Art. 12(3) keeps a residual "
        "responsibility on the transferring Power."
    ),
    remediation=(
        "Record the assessment of the receiving Power (party status; willingness and ability, with its basis); where "
        "it fails, take effective measures or request the prisoner's return (Art. 12(3))."
    ),
    severity=Severity.HIGH,
    tags=("transfer", "art12"),
    references=(
        "GCIII Art. 12(1)-(3), text checked in the ICRC 2020 Commentary page (Article 12: Responsibility for the "
        "treatment of prisoners and conditions for their transfer to another Power).",
    ),
)
def transfer_to_power(ctx: ChunkContext) -> Iterator[Result]:
    events = ctx.custody_events
    for detainee_id in ctx.detainee_ids:
        transfers = [e for e in events[detainee_id] if e["kind"] == CustodyEventKind.TRANSFER_TO_POWER]
        if not transfers:
            yield Result.not_applicable(detainee_id, "Not transferred to another Power.")
            continue
        for event in transfers:
            yield judge_transfer(detainee_id, event)
