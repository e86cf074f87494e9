"""Additional Protocol I Article 77: protection of children.

Art. 77(2): the Parties "shall take all feasible measures in order that children who have not attained the age of
fifteen years do not take a direct part in hostilities and, in particular, they shall refrain from recruiting them
into their armed forces"; among those between fifteen and eighteen, the oldest are to be recruited first.
Art. 77(3): children under fifteen who take part in hostilities and fall into the power of an adverse Party keep the
special protection of the article, whether or not they are prisoners of war. Art. 77(4): "If arrested, detained or
interned for reasons related to the armed conflict, children shall be held in quarters separate from the quarters of
adults, except where families are accommodated as family units". The article does not define "children" for
paragraph 4; the threshold (18 by default) is policy: settings.COMPLIANCE_POLICY['ADULT_AGE'].
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.conf import settings

from powcases.choices import QuartersKind
from powcases.models import Detainee
from powcases.validators import PartialDate

from ..choices import Outcome, Severity
from ..context import ChunkContext, Row
from ..registry import Result, register, subject_of
from ._common import iso, policy

RECRUITMENT_AGE = 15  # Art. 77(2): fixed by the text


def ages(detainee: Row, on: dt.date) -> tuple[int, int]:
    """Youngest and oldest he can be on `on`, from a date of birth that may be a year or a month only."""
    born = PartialDate(date=detainee["date_of_birth"], precision=detainee["date_of_birth_precision"])
    return born.age_range_on(on)


def _age_text(low: int, high: int) -> str:
    return f"{low}" if low == high else f"{low} to {high}"


def judge_child(detainee_id: int, detainee: Row, captured_at: dt.datetime | None, now: dt.datetime) -> Result:
    """Decide one detainee with a (possibly partial) date of birth."""
    adult = policy("ADULT_AGE")
    capture_day = (captured_at or now).date()
    low, high = ages(detainee, capture_day)
    now_low, now_high = ages(detainee, now.date())
    born = PartialDate(date=detainee["date_of_birth"], precision=detainee["date_of_birth_precision"])
    evidence: dict[str, Any] = {
        "date_of_birth": born.isoformat(),
        "date_of_birth_precision": detainee["date_of_birth_precision"],
        "captured_at": iso(captured_at),
        "age_at_capture": [low, high],
        "age_now": [now_low, now_high],
        "adult_age": adult,
        "quarters": detainee["quarters"],
    }
    if captured_at is None:
        evidence["note"] = "capture date not recorded: ages computed for today"
    common = {"evidence": evidence, "subject": subject_of(Detainee, detainee_id)}
    at_capture = f"{_age_text(low, high)} years old at capture (born {born.isoformat()})"

    if low >= adult:
        return Result.compliant(detainee_id, f"He was {at_capture}: an adult.", **common)

    parts: list[str] = []
    outcome = Outcome.WARNING
    surely_child = high < adult
    if surely_child:
        parts.append(
            f"He was {at_capture}, a child: he is entitled to the special protection of AP I Art. 77 and to quarters "
            "separate from adults while detained."
        )
    else:
        parts.append(
            f"He may have been under {adult} at capture ({at_capture}); verify his age and, until it is "
            "established, treat him as a child entitled to special protection."
        )
    if detainee["quarters"] == QuartersKind.ADULTS and now_low < adult:
        if surely_child and now_high < adult:
            outcome = Outcome.VIOLATION
            parts.append(
                "He is held in quarters with adults, although children must be held apart from adults except in "
                "family units (Art. 77(4))."
            )
        else:
            parts.append("He is held with adults: move him to separate quarters unless he is shown to be an adult.")
    if high < RECRUITMENT_AGE:
        parts.append(
            f"He was under {RECRUITMENT_AGE} at capture: his recruitment breached Art. 77(2) by the Power on which he "
            "depends, not by the detaining power; report it (e.g. to the ICRC) and keep the evidence."
        )
    message = " ".join(parts)
    if outcome == Outcome.VIOLATION:
        return Result.violation(detainee_id, message, **common)
    # A flag, not the critical breach: high for a child or a possible child among adults, medium to verify an age.
    severity = Severity.HIGH if surely_child or detainee["quarters"] == QuartersKind.ADULTS else Severity.MEDIUM
    return Result.warning(detainee_id, message, severity=severity, **common)


@register(
    id="API-77-CHILD",
    version=1,
    title="Children: special protection and separate quarters",
    article="AP I Art. 77(2)-(4)",
    paragraphs=("77(2)", "77(3)", "77(4)"),
    description=(
        "From the (possibly partial) date of birth and the capture date, the rule computes the range of ages he "
        "could have been at capture. Surely a child and held with adults: violation. A child, or possibly one: "
        "warning flagging special protection (and age verification). Surely under 15 at capture: the warning also "
        "reports unlawful recruitment by his own side. Applies only where Additional Protocol I binds the parties."
    ),
    rationale=(
        "AP I Art. 77(4): children detained for reasons related to the conflict are held in quarters separate from "
        "adults, except family units; Art. 77(2)-(3): no recruitment under 15, and children keep special protection "
        "whether or not they are prisoners of war."
    ),
    remediation=(
        "Verify his age (documents, interview, medical assessment); hold a child apart from adults, with the care his "
        "age calls for; report recruitment under 15 to the ICRC."
    ),
    severity=Severity.CRITICAL,
    tags=("children", "quarters", "api77", "additional protocol i"),
    references=(
        "AP I Art. 77: the 1987 ICRC Commentary on Article 77 (ihl-databases.icrc.org, paras 3173-) and Customary "
        "IHL Rule 120 (accommodation for children deprived of their liberty) were checked; the paragraph texts quoted "
        "in the module docstring are from the Protocol as known, not re-read in a stored copy in full.",
        "The adult threshold for Art. 77(4) quarters is policy (settings.COMPLIANCE_POLICY['ADULT_AGE'], default 18); "
        "the rule applies only when settings.COMPLIANCE_AP1_APPLIES is true.",
    ),
)
def child_protection(ctx: ChunkContext) -> Iterator[Result]:
    if not settings.COMPLIANCE_AP1_APPLIES:
        for detainee_id in ctx.detainee_ids:
            yield Result.not_applicable(detainee_id, "Additional Protocol I does not bind the parties (setting).")
        return
    detainees, captures = ctx.detainees, ctx.capture
    for detainee_id in ctx.detainee_ids:
        detainee = detainees.get(detainee_id)
        if detainee is None or not ctx.held(detainee_id):
            yield Result.not_applicable(detainee_id, "No longer held.")
            continue
        if detainee["date_of_birth"] is None:
            yield Result.insufficient(
                detainee_id,
                "His date of birth (or at least the year) is not recorded, so it cannot be told whether he is a child "
                "entitled to special protection and separate quarters.",
                missing=["date of birth or birth year"],
                subject=subject_of(Detainee, detainee_id),
            )
            continue
        capture = captures.get(detainee_id)
        yield judge_child(detainee_id, detainee, capture["captured_at"] if capture else None, ctx.now)
