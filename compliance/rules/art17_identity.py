"""GCIII Article 17 (with Art. 18(2)): identity, the identity card, and how questioning may be conducted.

Art. 17 (paragraph numbers as in the ICRC 2020 Commentary):
(1) Every prisoner of war, when questioned on the subject, is bound to give only his surname, first names and rank,
    date of birth, and army, regimental, personal or serial number, or failing this, equivalent information.
(2) If he wilfully infringes this rule, he may render himself liable to a restriction of the privileges accorded to
    his rank or status.
(3) ... The identity card shall be shown by the prisoner of war upon demand, but may in no case be taken away from him.
(4) No physical or mental torture, nor any other form of coercion, may be inflicted on prisoners of war to secure from
    them information of any kind whatever. Prisoners of war who refuse to answer may not be threatened, insulted, or
    exposed to any unpleasant or disadvantageous treatment of any kind.
(5) Prisoners of war who, owing to their physical or mental condition, are unable to state their identity, shall be
    handed over to the medical service. The identity of such prisoners shall be established by all possible means,
    subject to the provisions of the preceding paragraph.
Art. 18(2): "At no time should prisoners of war be without identity documents. The Detaining Power shall supply such
documents to prisoners of war who possess none."
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from powcases.choices import DocumentKind, HealthCategory, InterrogationMode
from powcases.models import IdentityDocument, Interrogation

from ..choices import Severity
from ..context import ChunkContext, Row
from ..registry import Result, register, subject_of
from ._common import iso

IDENTITY_CARD_KINDS = (DocumentKind.IDENTITY_CARD_ART17, DocumentKind.MILITARY_ID)

# --- GC3-17-UNABLE ----------------------------------------------------------------------------------------------


def _latest_finding(assessments: list[Row], before: dt.datetime, field: str) -> Row | None:
    """The latest assessment at or before `before` that records `field` (assessments are ordered by time).

    A later assessment that is silent on a point (a monthly inspection that does not assess speech) does not
    cancel an earlier finding on it.
    """
    found = None
    for assessment in assessments:
        if assessment["assessed_at"] > before:
            break
        if assessment[field] is not None:
            found = assessment
    return found


def _assessment_evidence(row: Row | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "id": row["id"],
        "assessed_at": iso(row["assessed_at"]),
        "kind": row["kind"],
        "fit_for_questioning": row["fit_for_questioning"],
        "can_speak": row["can_speak"],
        "can_write": row["can_write"],
        "health_category": row["health_category"],
    }


def judge_fitness(detainee_id: int, session: Row, assessments: list[Row], capture: Row | None) -> Result:
    """Was he medically able to be questioned in the way this session questioned him?"""
    subject = subject_of(Interrogation, session["id"])
    at = session["started_at"]
    fitness = _latest_finding(assessments, at, "fit_for_questioning")
    speech = _latest_finding(assessments, at, "can_speak")
    writing = _latest_finding(assessments, at, "can_write")
    wounded_at_capture = bool(capture and capture["wounded_at_capture"])
    seriously_wounded = any(
        a["assessed_at"] <= at and a["health_category"] == HealthCategory.SERIOUSLY_WOUNDED for a in assessments
    )
    oral_answers = session["mode"] == InterrogationMode.ORAL and not session["answers_in_writing"]
    evidence: dict[str, Any] = {
        "session_started_at": iso(at),
        "mode": session["mode"],
        "answers_in_writing": session["answers_in_writing"],
        "wounded_at_capture": capture["wounded_at_capture"] if capture else None,
        "seriously_wounded_before_session": seriously_wounded,
        "fitness_assessment": _assessment_evidence(fitness),
        "speech_assessment": _assessment_evidence(speech),
        "writing_assessment": _assessment_evidence(writing),
    }
    common = {"evidence": evidence, "subject": subject}

    problems: list[str] = []
    if fitness is not None and fitness["fit_for_questioning"] is False:
        problems.append(
            f"he was questioned on {at:%Y-%m-%d} although the medical assessment of "
            f"{fitness['assessed_at']:%Y-%m-%d} found him unfit for questioning"
        )
    if oral_answers and speech is not None and speech["can_speak"] is False:
        problems.append(
            f"he was expected to answer aloud although the assessment of {speech['assessed_at']:%Y-%m-%d} found he "
            "cannot speak (he should have been allowed to answer in writing, or handed to the medical service)"
        )
    if session["answers_in_writing"] and writing is not None and writing["can_write"] is False:
        problems.append(
            f"he had to answer in writing although the assessment of {writing['assessed_at']:%Y-%m-%d} found he "
            "cannot write"
        )
    if problems:
        message = "; ".join(problems)
        return Result.violation(
            detainee_id,
            f"{message[0].upper()}{message[1:]}. A prisoner whose condition prevents him from stating his identity "
            "is handed to the medical service; questioning must not exploit his condition.",
            **common,
        )
    if fitness is None and (wounded_at_capture or seriously_wounded):
        why = "wounded at capture" if wounded_at_capture else "recorded as seriously wounded"
        return Result.insufficient(
            detainee_id,
            f"He was {why}, but no assessment of his fitness for questioning before the session of {at:%Y-%m-%d} is "
            "recorded, so it cannot be said whether he was able to be questioned.",
            missing=["a fitness-for-questioning assessment before the session"],
            **common,
        )
    if fitness is None and speech is None and writing is None:
        return Result.compliant(detainee_id, "No sign of injury or illness recorded before the session.", **common)
    return Result.compliant(detainee_id, "Questioned in a way his recorded medical condition allowed.", **common)


@register(
    id="GC3-17-UNABLE",
    version=1,
    title="Questioning of a prisoner unable to answer because of his condition",
    article="GCIII Art. 17(5), with 17(4)",
    paragraphs=("17(5)", "17(4)"),
    description=(
        "For each questioning session, the latest medical findings before it are compared with how he was "
        "questioned: found unfit for questioning, made to answer aloud when he cannot speak, or in writing when he "
        "cannot write, is a violation. A prisoner wounded at capture or seriously wounded without any fitness "
        "assessment before the session is insufficient data. A prisoner who cannot speak but was assessed fit and "
        "answered in writing is compliant."
    ),
    rationale=(
        "Art. 17(5): prisoners who owing to their physical or mental condition are unable to state their identity "
        "are handed over to the medical service, and their identity is established by other means 'subject to the "
        "provisions of the preceding paragraph', i.e. without coercion (17(4)). Questioning a man his doctors found "
        "unfit, or demanding answers in a form his injuries prevent, uses his condition against him."
    ),
    remediation=(
        "Stop questioning until the medical service finds him fit; record a fitness-for-questioning assessment "
        "(including whether he can speak and write) before any session with a wounded or sick prisoner, and adapt "
        "the form of the session to it (written answers for a man who cannot speak)."
    ),
    severity=Severity.HIGH,
    tags=("questioning", "medical", "art17"),
    references=(
        "GCIII Art. 17(4) and 17(5), text checked in the ICRC IHL database (Commentary of 2020, Article 17, 'Text of "
        "the provision', paragraph numbers (1)-(6)) and the Law-Ref copy of Art. 17.",
        "The founding case (../shared/reference/news-article.txt): a soldier with a jaw injury who answered in "
        "writing.",
    ),
)
def unable_to_answer(ctx: ChunkContext) -> Iterator[Result]:
    interrogations, assessments, captures = ctx.interrogations, ctx.medical_assessments, ctx.capture
    for detainee_id in ctx.detainee_ids:
        sessions = interrogations.get(detainee_id)
        if not sessions:
            yield Result.not_applicable(detainee_id, "No questioning session recorded.")
            continue
        for session in sessions:
            yield judge_fitness(detainee_id, session, assessments[detainee_id], captures.get(detainee_id))


# --- GC3-17-IDCARD ----------------------------------------------------------------------------------------------


def _document_evidence(row: Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "kind": row["kind"],
        "issuing_state": row["issuing_state"],
        "number": row["number"],
        "name_on_document": row["name_on_document"],
        "suspected_false": row["suspected_false"],
        "in_another_persons_name": row["in_another_persons_name"],
        "seized": row["seized"],
        "seized_at": iso(row["seized_at"]),
        "seizure_ordered_by": row["seizure_ordered_by"],
        "seizure_receipt_number": row["seizure_receipt_number"],
        "returned_at": iso(row["returned_at"]),
    }


def _withheld(row: Row) -> bool:
    return bool(row["seized"]) and row["returned_at"] is None


def judge_document(detainee_id: int, row: Row, declared_name: str) -> Result:
    """Decide one identity document found on him."""
    subject = subject_of(IdentityDocument, row["id"])
    evidence = {**_document_evidence(row), "declared_name": declared_name}
    common = {"evidence": evidence, "subject": subject}
    label = DocumentKind(row["kind"]).label if row["kind"] in DocumentKind.values else row["kind"]
    is_card = row["kind"] in IDENTITY_CARD_KINDS
    seized = ""
    if _withheld(row):
        by = f" on the order of {row['seizure_ordered_by']}" if row["seizure_ordered_by"] else ""
        seized = f" It was taken from him on {row['seized_at']:%Y-%m-%d}{by} and has not been returned."

    doubts = []
    if row["in_another_persons_name"]:
        doubts.append(f"is in another person's name ('{row['name_on_document'] or 'name not recorded'}')")
    if row["suspected_false"]:
        doubts.append("is suspected to be false")
    if doubts:
        keep = (
            " Art. 17(3) protects the identity card his own forces issued to him: if this card proves to be that "
            "card, it must be given back."
            if seized and is_card
            else ""
        )
        return Result.warning(
            detainee_id,
            f"His {label} {' and '.join(doubts)}. This is a doubt about his identity, to be resolved by establishing "
            "who he is; it is not a question of his prisoner-of-war status, which does not depend on his papers."
            f"{seized}{keep}",
            **common,
        )
    if is_card and seized:
        return Result.violation(
            detainee_id,
            f"His {label} was taken away from him.{seized} Art. 17(3): the identity card must be shown on demand "
            "but may in no case be taken away.",
            **common,
        )
    if is_card and not row["name_on_document"]:
        return Result.insufficient(
            detainee_id,
            f"The name written on his {label} is not recorded, so it cannot be compared with the name he gives.",
            missing=["the name written on the document"],
            **common,
        )
    return Result.compliant(detainee_id, f"{label}: no identity concern recorded.", **common)


@register(
    id="GC3-17-IDCARD",
    version=1,
    title="The identity card stays with the prisoner; identity doubts are flagged",
    article="GCIII Art. 17(3), with Art. 18(2)",
    paragraphs=("17(3)", "18(2)"),
    description=(
        "An identity card (Art. 17(3) card or military identity card) of his own taken from him and not returned is "
        "a violation. A document in another person's name or suspected to be false is a warning (an identity doubt, "
        "not a status question). A held prisoner with no identity document in his possession is a warning: the "
        "detaining power must supply one (Art. 18(2)). An identity card whose name is not recorded is insufficient "
        "data."
    ),
    rationale=(
        "Art. 17(3): the identity card 'shall be shown by the prisoner of war upon demand, but may in no case be "
        "taken away from him'. Art. 18(2): 'At no time should prisoners of war be without identity documents. The "
        "Detaining Power shall supply such documents to prisoners of war who possess none.' The 17(3) card shows "
        "'the owner's' name: a card bearing another man's name may not be his identity card at all, so seizing it "
        "is a warning, not a violation, until it is established whether it is the card his forces issued to him. "
        "Either way it leaves his identity in doubt and, if it was his only document, leaves him without one."
    ),
    remediation=(
        "Return his own identity card (inspect or copy it instead). Where a document is in another name or false, "
        "establish his identity by other means (Art. 17(5): all possible means, without coercion) and record the "
        "name he gives. Supply an identity document to any prisoner who holds none."
    ),
    severity=Severity.MEDIUM,
    tags=("identity", "documents", "art17", "art18"),
    references=(
        "GCIII Art. 17(3), text checked in the ICRC IHL database (Commentary of 2020, Article 17, 'Text of the "
        "provision') and the Law-Ref copy of Art. 17.",
        "GCIII Art. 18, second paragraph ('At no time should prisoners of war be without identity documents...'), "
        "text checked in a stored copy of the Convention (lawin.org, Geneva Convention (III), Article 18).",
        "A military identity card in his own name is treated as the 17(3) card his forces furnished him: Art. 18(1) "
        "lets the captor take 'military documents', but 17(3) says the identity card may 'in no case' be taken away, "
        "the more specific rule (this rule's reading; the Commentary's text on the point was not read).",
        "The founding case: a Russian military ID in another man's name; the other soldier carried no document.",
    ),
)
def identity_card(ctx: ChunkContext) -> Iterator[Result]:
    documents, detainees = ctx.documents, ctx.detainees
    for detainee_id in ctx.detainee_ids:
        row = detainees.get(detainee_id)
        declared = f"{row['family_name']} {row['given_names']}".strip() if row else ""
        papers = documents[detainee_id]
        for document in papers:
            yield judge_document(detainee_id, document, declared)
        held_by_him = [d for d in papers if not _withheld(d)]
        if ctx.held(detainee_id) and not held_by_him:
            what = (
                "Every identity document found on him was taken and not returned, so he now holds none"
                if papers
                else "No identity document is recorded for him: as far as the record shows, he holds none"
            )
            yield Result.warning(
                detainee_id,
                f"{what}. Art. 18(2): at no time should a prisoner of war be without identity "
                "documents, and the detaining power shall supply such documents to prisoners who possess none.",
                evidence={"documents": [_document_evidence(d) for d in papers]},
                discriminator="without-document",
            )
        elif not papers:
            yield Result.not_applicable(detainee_id, "No identity document recorded and no longer held.")


# --- GC3-17-QUESTIONING -----------------------------------------------------------------------------------------


def judge_questioning(detainee_id: int, session: Row) -> Result:
    """Decide how one session treated his refusals and whether coercion is alleged."""
    subject = subject_of(Interrogation, session["id"])
    at = session["started_at"]
    evidence = {
        "started_at": iso(at),
        "conducted_by": session["conducted_by"],
        "conducting_authority": session["conducting_authority"],
        "declined_beyond_identity": session["declined_beyond_identity"],
        "refused_identity_items": session["refused_identity_items"],
        "coercion_alleged": session["coercion_alleged"],
        "sanction_after_refusal": session["sanction_after_refusal"],
        "complaints": session["complaints"],
    }
    common = {"evidence": evidence, "subject": subject}
    complaint = f" Complaint recorded: '{session['complaints']}'." if session["complaints"] else ""
    only_identity_refused = session["refused_identity_items"] and not session["declined_beyond_identity"]

    if session["sanction_after_refusal"] and not only_identity_refused:
        return Result.violation(
            detainee_id,
            f"After he refused to answer questions on {at:%Y-%m-%d} he was threatened, insulted or disadvantaged. "
            "A prisoner owes only his name, rank, date of birth and serial number; refusing anything more may bring "
            f"no unpleasant or disadvantageous treatment of any kind (Art. 17(4)).{complaint}",
            **common,
        )
    if session["sanction_after_refusal"]:
        return Result.warning(
            detainee_id,
            f"He refused even his name, rank, date of birth or serial number on {at:%Y-%m-%d} and was then sanctioned. "
            "Art. 17(2) allows only a restriction of the privileges of his rank or status for that refusal; threats, "
            f"insults or other disadvantage remain forbidden (Art. 17(4)). Check what the sanction was.{complaint}",
            **common,
        )
    if session["coercion_alleged"]:
        return Result.warning(
            detainee_id,
            f"Coercion is alleged in the questioning of {at:%Y-%m-%d}. No physical or mental torture or any other "
            "form of coercion may be used to obtain information (Art. 17(4)); the allegation is not yet a proven "
            f"breach and must be investigated.{complaint}",
            **common,
        )
    if session["complaints"]:
        return Result.insufficient(
            detainee_id,
            f"A complaint is recorded for the questioning of {at:%Y-%m-%d}, but not whether it alleges coercion or a "
            f"sanction after a refusal to answer.{complaint}",
            missing=["whether the complaint alleges coercion", "whether he was sanctioned after refusing to answer"],
            **common,
        )
    if session["refused_identity_items"]:
        return Result.compliant(
            detainee_id,
            "He refused to give his identity items; that is his own infringement of Art. 17(1), which may restrict "
            "the privileges of his rank (Art. 17(2)), not a breach by the detaining power.",
            **common,
        )
    if session["declined_beyond_identity"]:
        return Result.compliant(
            detainee_id,
            "He declined to answer beyond his identity items, as is his right; no sanction recorded.",
            **common,
        )
    return Result.compliant(detainee_id, "No coercion, refusal or sanction recorded.", **common)


@register(
    id="GC3-17-QUESTIONING",
    version=1,
    title="No coercion in questioning; no sanction for refusing to answer",
    article="GCIII Art. 17(1), (2), (4)",
    paragraphs=("17(1)", "17(2)", "17(4)"),
    description=(
        "Per questioning session: a threat, insult or disadvantage after he refused to answer beyond the identity "
        "items is a violation; a sanction after he refused the identity items themselves is a warning (only a "
        "restriction of rank privileges is allowed); an allegation of coercion is a warning requiring investigation; "
        "a complaint that is not classified is insufficient data."
    ),
    rationale=(
        "Art. 17(1) limits what a prisoner owes to surname, first names, rank, date of birth and serial number; 17(4) "
        "forbids torture or any other form of coercion to obtain information of any kind, and any threat, insult or "
        "unpleasant or disadvantageous treatment of prisoners who refuse to answer. A recorded sanction after a "
        "refusal is therefore a breach; an allegation of coercion is serious but not yet proven, so it is flagged for "
        "investigation. Refusing the identity items is the prisoner's own infringement (17(2)), not a breach."
    ),
    remediation=(
        "Investigate every allegation of coercion and record the outcome; end any sanction imposed for refusing to "
        "answer; brief interrogators that only the Art. 17(1) items are owed."
    ),
    severity=Severity.CRITICAL,
    tags=("questioning", "coercion", "art17"),
    references=(
        "GCIII Art. 17(1), (2) and (4), text checked in the ICRC IHL database (Commentary of 2020, Article 17, 'Text "
        "of the provision') and the Law-Ref copy of Art. 17.",
        "../shared/LAW.md GC3-17-QUESTIONING.",
    ),
)
def questioning_conduct(ctx: ChunkContext) -> Iterator[Result]:
    interrogations = ctx.interrogations
    for detainee_id in ctx.detainee_ids:
        sessions = interrogations.get(detainee_id)
        if not sessions:
            yield Result.not_applicable(detainee_id, "No questioning session recorded.")
            continue
        for session in sessions:
            yield judge_questioning(detainee_id, session)
