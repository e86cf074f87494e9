"""GCIII Article 22: grouping prisoners of war by nationality, language and customs.

Art. 22(3): "The Detaining Power shall assemble prisoners of war in camps or camp compounds according to their
nationality, language and customs, provided that such prisoners shall not be separated from prisoners of war
belonging to the armed forces with which they were serving at the time of their capture, except with their consent."
"""

from __future__ import annotations

from collections.abc import Iterator

from powcases.choices import FacilityKind
from powcases.models import Facility

from ..choices import Severity
from ..context import ChunkContext
from ..registry import Result, register, subject_of
from ._common import language_evidence, language_list


@register(
    id="GC3-22-LANGGROUP",
    version=1,
    title="Not isolated from every prisoner who shares his language",
    article="GCIII Art. 22(3)",
    paragraphs=("22(3)",),
    description=(
        "A held prisoner who is the only one in his facility who understands any of his languages is a warning. No "
        "language recorded is insufficient data. Not applicable when he is no longer held, has no recorded facility, "
        "or is in a hospital (Art. 22(3) concerns camps and camp compounds)."
    ),
    rationale=(
        "Art. 22(3) requires the detaining power to assemble prisoners in camps or camp compounds 'according to their "
        "nationality, language and customs'. A prisoner who can talk to no fellow prisoner is not grouped by language. "
        "The article states a duty of organisation rather than an individual right with a threshold, so the design "
        "(../shared/LAW.md) is a warning, not a violation."
    ),
    remediation=(
        "Move him (with his consent where it would separate him from his own forces) to a camp or compound where "
        "prisoners who speak his language are held, or bring others of his language to his."
    ),
    severity=Severity.LOW,
    tags=("language", "grouping", "art22"),
    references=(
        "GCIII Art. 22(3), text checked in the Law-Ref copy of Art. 22 (home.csulb.edu .../geneva/article22.html) and "
        "its 'language' keyword index.",
        "../shared/LAW.md GC3-22-LANGGROUP (design: WARNING where he is the only speaker of his language).",
    ),
)
def language_group(ctx: ChunkContext) -> Iterator[Result]:
    languages, facilities = ctx.languages, ctx.facilities
    population = ctx.facility_language_population
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
        skills = languages[detainee_id]
        understood = sorted({s["language"] for s in skills if s["understands"]})
        counts = {code: population.get(facility_id, {}).get(code, 0) for code in understood}
        evidence = {
            "facility": facility.get("name"),
            "detainee_languages": language_evidence(skills),
            "held_speakers_in_facility": counts,
        }
        if not understood:
            yield Result.insufficient(
                detainee_id,
                "No language he understands is recorded, so it cannot be said whether he is held with prisoners who "
                "share his language.",
                missing=["the languages the detainee understands"],
                evidence=evidence,
                subject=subject,
            )
        elif max(counts.values()) <= 1:
            yield Result.warning(
                detainee_id,
                f"He is the only prisoner held at {facility.get('name', 'his facility')} who understands "
                f"{language_list(understood)}: no fellow prisoner there shares a language with him. Prisoners are to "
                "be assembled according to their nationality, language and customs.",
                evidence=evidence,
                subject=subject,
            )
        else:
            yield Result.compliant(
                detainee_id, "Held with other prisoners who share his language.", evidence=evidence, subject=subject
            )
