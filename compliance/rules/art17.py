"""GCIII Article 17: questioning of prisoners of war.

Art. 17(6): "The questioning of prisoners of war shall be carried out in a language which they understand."
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from powcases.choices import Affiliation, InterrogationMode
from powcases.models import Interrogation

from ..choices import Severity
from ..context import ChunkContext, Row
from ..registry import Result, register, subject_of
from ._common import iso, language_evidence, language_list, language_name


def _interpreter_evidence(row: Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "languages": sorted(row["languages"]),
        "affiliation": row["affiliation"],
        "affiliation_state": row["affiliation_state"],
        "organisation": row["organisation"],
        "vetted": row["vetted"],
    }


def _interpreter_concern(row: Row) -> str | None:
    """Why relying on this interpreter is doubtful (the founding case: interpreters of a third state's service)."""
    if row["affiliation"] == Affiliation.THIRD_STATE:
        organisation = f", {row['organisation']}" if row["organisation"] else ""
        state = row["affiliation_state"] or "state not recorded"
        return f"{row['name']} is attached to a third state ({state}{organisation})"
    if not row["vetted"]:
        return f"{row['name']} is not vetted"
    return None


def _skill_flag(skills: dict[str, Row], language: str, flag: str) -> bool | None:
    """True / False / None (unknown) for 'reads' or 'writes' in a language; False if the language is not his."""
    skill = skills.get(language)
    return False if skill is None else skill[flag]


def judge_session(detainee_id: int, session: Row, skills: list[Row], interpreters: dict[int, Row]) -> Result:
    """Decide one questioning session (kept separate so tests and explanations can call it on one row)."""
    subject = subject_of(Interrogation, session["id"])
    language = session["language"]
    written = session["mode"] == InterrogationMode.WRITTEN
    answers_in_writing = session["answers_in_writing"]
    present = [interpreters[i] for i in session["interpreter_ids"] if i in interpreters]
    by_language = {skill["language"]: skill for skill in skills}
    understood = {skill["language"] for skill in skills if skill["understands"]}
    evidence: dict[str, Any] = {
        "session_language": language,
        "mode": session["mode"],
        "answers_in_writing": answers_in_writing,
        "started_at": iso(session["started_at"]),
        "detainee_languages": language_evidence(skills),
        "interpreters": [_interpreter_evidence(row) for row in present],
    }

    if not language:
        return Result.insufficient(
            detainee_id,
            "The language of this questioning session is not recorded.",
            missing=["session language"],
            evidence=evidence,
            subject=subject,
        )
    if not understood:
        return Result.insufficient(
            detainee_id,
            "No language he understands is recorded, so it cannot be said whether he understood the "
            f"questioning in {language_name(language)}.",
            missing=["the languages the detainee understands"],
            evidence=evidence,
            subject=subject,
        )

    violations: list[str] = []
    missing: list[str] = []
    warnings: list[str] = []

    if written:
        # A written questionnaire reaches him only if he reads its language (Art. 17(6) applied to writing).
        reads = _skill_flag(by_language, language, "reads")
        if reads is None:
            missing.append(f"whether he reads {language_name(language)}")
        elif not reads:
            violations.append(f"He was questioned in writing in {language_name(language)}, which he does not read.")
        if answers_in_writing:
            writes = _skill_flag(by_language, language, "writes")
            if writes is None:
                missing.append(f"whether he writes {language_name(language)}")
            elif not writes:
                violations.append(f"He had to answer in writing in {language_name(language)}, which he does not write.")
    else:
        direct = language in understood
        bridges = [row for row in present if language in row["languages"] and row["languages"] & understood]
        evidence["bridging_interpreter_ids"] = [row["id"] for row in bridges]
        if not direct and not bridges:
            unknown = [row for row in present if not row["languages"]]
            if unknown:
                missing.extend(f"the languages of interpreter {row['name']}" for row in unknown)
            else:
                no_bridge = (
                    "no interpreter was recorded"
                    if not present
                    else "no interpreter present speaks both it and a language he understands"
                )
                violations.append(
                    f"He was questioned in {language_name(language)}, which he does not understand, and {no_bridge} "
                    f"(he understands {language_list(understood)})."
                )
        elif not direct:
            concerns = [_interpreter_concern(row) for row in bridges]
            if all(concerns):
                warnings.append(
                    f"He understood the questioning in {language_name(language)} only through interpretation, and "
                    f"every interpreter who could bridge it is doubtful: {'; '.join(c for c in concerns if c)}."
                )
        if answers_in_writing:
            # Written answers must be in a language he writes that the session can read: its own language or
            # one of the interpreters' languages.
            used = {language} | {code for row in present for code in row["languages"]}
            flags = {code: _skill_flag(by_language, code, "writes") for code in used}
            evidence["languages_used"] = sorted(used)
            if not any(flags.values()):
                unknown = sorted(code for code, flag in flags.items() if flag is None)
                if unknown:
                    missing.extend(f"whether he writes {language_name(code)}" for code in unknown)
                else:
                    violations.append(
                        "He answered in writing, but writes none of the languages used in the session "
                        f"({language_list(used)})."
                    )

    if not warnings:
        # LAW.md GC3-17-LANG: a warning wherever an interpreter attached to a third state, or not vetted, takes part,
        # even when the prisoner could follow without him: the interpretation's accuracy and the confidentiality of
        # what the prisoner says (to a third state's services) are in doubt.
        doubtful = [concern for row in present if (concern := _interpreter_concern(row))]
        if doubtful:
            warnings.append(
                f"Interpreters who took part are doubtful: {'; '.join(doubtful)}. The questioning itself reached him "
                "in a language he understands."
            )
    if violations:
        return Result.violation(detainee_id, " ".join(violations), evidence=evidence, subject=subject)
    if missing:
        return Result.insufficient(
            detainee_id,
            f"Cannot decide whether the questioning was in a language he understands: {', '.join(missing)} "
            "is not recorded.",
            missing=missing,
            evidence=evidence,
            subject=subject,
        )
    if warnings:
        return Result.warning(detainee_id, " ".join(warnings), evidence=evidence, subject=subject)
    return Result.compliant(detainee_id, "Questioned in a language he understands.", evidence=evidence, subject=subject)


@register(
    id="GC3-17-LANG",
    version=2,
    title="Questioning in a language the prisoner understands",
    article="GCIII Art. 17(6)",
    paragraphs=("17(6)",),
    description=(
        "Every questioning session must reach the prisoner in a language he understands: directly, or for an oral "
        "session through an interpreter who speaks both the session language and a language he understands. A "
        "written session needs a language he reads, and one he writes when he answers in writing."
    ),
    rationale=(
        "Art. 17(6): 'The questioning of prisoners of war shall be carried out in a language which they understand.' "
        "Questioning a prisoner who cannot follow it defeats the other guarantees of Art. 17 (he cannot know what he "
        "is bound to answer, nor refuse the rest). Interpreters attached to a third state or not vetted put the "
        "accuracy and confidentiality of the interpretation in doubt, hence a warning."
    ),
    remediation=(
        "Record the prisoner's languages (with reading and writing). Question him in a language he understands, or "
        "with a vetted interpreter of the detaining power or the ICRC who speaks both languages; repeat any session "
        "he could not follow."
    ),
    severity=Severity.HIGH,
    tags=("questioning", "language", "interpreters", "art17"),
    references=(
        "GCIII Art. 17(6), text checked against the ICRC IHL database (Commentary of 2020, 'Text of the provision', "
        "paragraph numbering (1)-(6)) and the Law-Ref copy of Art. 17.",
        "../shared/LAW.md GC3-17-LANG (bridging interpreters; written sessions; third-state or unvetted interpreters "
        "as a warning).",
    ),
)
def questioning_language(ctx: ChunkContext) -> Iterator[Result]:
    interrogations, languages, interpreters = ctx.interrogations, ctx.languages, ctx.interpreters
    for detainee_id in ctx.detainee_ids:
        sessions = interrogations.get(detainee_id)
        if not sessions:
            yield Result.not_applicable(detainee_id, "No questioning session recorded.")
            continue
        for session in sessions:
            yield judge_session(detainee_id, session, languages[detainee_id], interpreters)
