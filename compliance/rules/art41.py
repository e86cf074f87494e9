"""GCIII Article 41: posting of the Convention and of regulations in the prisoners' language.

Art. 41(1): in every camp the text of the Convention, its Annexes and the contents of any special agreement (Art. 6)
shall be posted, in the prisoners' own language, at places where all may read them; copies are supplied on request to
prisoners who cannot have access to the posted copy.
Art. 41(2): regulations, orders, notices and publications of every kind relating to the conduct of prisoners of war
shall be issued to them in a language which they understand, and posted in the same manner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from powcases.choices import FacilityKind, PostedTextKind
from powcases.models import Facility

from ..choices import Severity
from ..context import ChunkContext, Row
from ..registry import Result, register, subject_of
from ._common import iso, language_evidence, language_list


def _on_display(text: Row, today: dt.date) -> bool:
    posted = text["posted_on"] is None or text["posted_on"] <= today
    return posted and (text["removed_on"] is None or text["removed_on"] > today)


def _text_evidence(texts: list[Row]) -> list[dict[str, Any]]:
    return [
        {
            "kind": t["kind"],
            "language": t["language"],
            "posted_on": iso(t["posted_on"]),
            "removed_on": iso(t["removed_on"]),
        }
        for t in texts
    ]


@register(
    id="GC3-41-POSTED",
    version=1,
    title="The Convention and camp regulations posted in his language",
    article="GCIII Art. 41(1), (2)",
    paragraphs=("41(1)", "41(2)"),
    description=(
        "For each held prisoner, the texts posted in his facility are compared with the languages he understands: "
        "no copy of the Convention on display in any of them is a violation (41(1)); no regulations in a language he "
        "understands, while the facility records regulations in other languages, is a warning (41(2)). A facility "
        "with no posted text recorded, or with no regulations recorded at all, or a prisoner with no language "
        "recorded, is insufficient data. Hospitals are not camps: not applicable."
    ),
    rationale=(
        "Art. 41(1): the Convention is posted 'in the prisoners' own language, at places where all may read them'; "
        "a prisoner cannot claim rights he cannot read. Art. 41(2): regulations, orders and notices relating to "
        "their conduct are issued 'in a language which they understand' and posted likewise. The Convention text is "
        "an obligation of result, hence a violation; for regulations the record rarely lists every notice, so a gap "
        "is a warning."
    ),
    remediation=(
        "Post the Convention (the ICRC publishes it in many languages) and the camp regulations in his language where "
        "all may read them, and record them as posted texts of the facility."
    ),
    severity=Severity.MEDIUM,
    tags=("language", "information", "art41"),
    references=(
        "GCIII Art. 41(1),(2): English wording checked through the Law-Ref 'language' index (Art. 41: 'In every camp "
        "the text of the present Convention and its Annexes and the contents of any special agreement ...') and "
        "Halsbury's summary ('posted in the prisoners' own language at places where all may read them'); full text "
        "checked in the Polish text of the Convention (libr.sejm.gov.pl, Art. 41) for the second paragraph.",
        "../shared/LAW.md GC3-41-POSTED.",
    ),
)
def posted_texts(ctx: ChunkContext) -> Iterator[Result]:
    languages, facilities, posted = ctx.languages, ctx.facilities, ctx.posted_texts
    today = ctx.now.date()
    for detainee_id in ctx.detainee_ids:
        facility_id = ctx.facility_of(detainee_id)
        if not ctx.held(detainee_id) or facility_id is None:
            yield Result.not_applicable(detainee_id, "Not held in a recorded facility.")
            continue
        facility = facilities.get(facility_id, {})
        subject = subject_of(Facility, facility_id)
        if facility.get("kind") == FacilityKind.HOSPITAL:
            yield Result.not_applicable(detainee_id, "Held in a hospital, not a camp.", subject=subject)
            continue
        name = facility.get("name", "his facility")
        texts = posted[facility_id]
        skills = languages[detainee_id]
        understood = {s["language"] for s in skills if s["understands"]}
        evidence = {
            "facility": facility.get("name"),
            "posted_texts": _text_evidence(texts),
            "detainee_languages": language_evidence(skills),
        }
        if not texts:
            yield Result.insufficient(
                detainee_id,
                f"No posted text is recorded for {name}, so it cannot be said whether the Convention is posted in his "
                "language.",
                missing=["the texts posted at the facility (Art. 41)"],
                evidence=evidence,
                subject=subject,
            )
            continue
        if not understood:
            yield Result.insufficient(
                detainee_id,
                "No language he understands is recorded, so the posted texts cannot be checked against his language.",
                missing=["the languages the detainee understands"],
                evidence=evidence,
                subject=subject,
            )
            continue
        shown = [t for t in texts if _on_display(t, today)]
        convention = {t["language"] for t in shown if t["kind"] == PostedTextKind.CONVENTION}
        if convention & understood:
            yield Result.compliant(
                detainee_id,
                "The Convention is posted in a language he understands.",
                evidence=evidence,
                subject=subject,
                discriminator=PostedTextKind.CONVENTION,
            )
        else:
            yield Result.violation(
                detainee_id,
                f"The Convention is not posted at {name} in any language he understands ({language_list(understood)}); "
                f"it is posted in {language_list(convention)}. Art. 41(1) requires it to be posted in the prisoners' "
                "own language where all may read it.",
                evidence=evidence,
                subject=subject,
                discriminator=PostedTextKind.CONVENTION,
            )
        recorded_regulations = [t for t in texts if t["kind"] == PostedTextKind.REGULATIONS]
        regulations = {t["language"] for t in shown if t["kind"] == PostedTextKind.REGULATIONS}
        if not recorded_regulations:
            yield Result.insufficient(
                detainee_id,
                f"No camp regulations, orders or notices are recorded as posted at {name}, so it cannot be said "
                "whether they reach him in a language he understands (Art. 41(2)).",
                missing=["the regulations posted at the facility (Art. 41(2))"],
                evidence=evidence,
                subject=subject,
                discriminator=PostedTextKind.REGULATIONS,
            )
        elif regulations & understood:
            yield Result.compliant(
                detainee_id,
                "Regulations are posted in a language he understands.",
                evidence=evidence,
                subject=subject,
                discriminator=PostedTextKind.REGULATIONS,
            )
        else:
            yield Result.warning(
                detainee_id,
                f"The regulations, orders and notices of {name} are posted in {language_list(regulations)}, none of "
                f"which he understands ({language_list(understood)}). Art. 41(2) requires them in a language he "
                "understands.",
                evidence=evidence,
                subject=subject,
                discriminator=PostedTextKind.REGULATIONS,
            )
