"""GCIII Article 18: property of prisoners of war, applied to identity documents taken from them.

Art. 18(4): sums of money "may not be taken away from them except by order of an officer, and after the amount and
particulars of the owner have been recorded in a special register and an itemized receipt has been given, legibly
inscribed with the name, rank and unit of the person issuing the said receipt". Art. 18(5): articles of value may be
withdrawn "only for reasons of security; when such articles are withdrawn, the procedure laid down for sums of money
impounded shall apply". Art. 18(2): "At no time should prisoners of war be without identity documents."

This rule checks the paper trail only (who ordered the seizure, the receipt). Taking away the Art. 17(3) identity card
itself is judged by GC3-17-IDCARD, so those cards are left out here to avoid reporting one act twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from powcases.choices import DocumentKind
from powcases.models import IdentityDocument

from ..choices import Severity
from ..context import ChunkContext, Row
from ..registry import Result, register, subject_of
from ._common import iso, policy

# Military documents may be taken (Art. 18(1) excepts them from personal effects): a missing receipt is then a
# traceability warning; a personal document is withdrawn under the Art. 18(5) procedure, so it is a violation.
MILITARY_DOCUMENTS = (DocumentKind.MILITARY_ID, DocumentKind.IDENTITY_DISC)
LEFT_TO_ART17 = (DocumentKind.IDENTITY_CARD_ART17,)
KIND_LABELS = {value: label.lower() for value, label in DocumentKind.choices}


def _document_evidence(document: Row) -> dict[str, Any]:
    return {
        "document": document["id"],
        "kind": document["kind"],
        "number": document["number"],
        "seized_at": iso(document["seized_at"]),
        "seizure_ordered_by": document["seizure_ordered_by"],
        "seizure_receipt_number": document["seizure_receipt_number"],
        "returned_at": iso(document["returned_at"]),
    }


def judge_seizure(detainee_id: int, document: Row, now: dt.datetime, hours: int) -> Result:
    """Decide one seized document: was the seizure ordered by a named officer and receipted?"""
    kind = KIND_LABELS.get(document["kind"], "document")
    evidence = _document_evidence(document)
    common = {"evidence": evidence, "subject": subject_of(IdentityDocument, document["id"])}
    if document["returned_at"] is not None:
        return Result.compliant(detainee_id, f"His {kind} was returned.", **common)
    missing = []
    if not document["seizure_receipt_number"].strip():
        missing.append("no receipt number")
    if not document["seizure_ordered_by"].strip():
        missing.append("no record of the officer who ordered it")
    if not missing:
        return Result.compliant(
            detainee_id, f"His {kind} was taken against a receipt, on an officer's order.", **common
        )
    if document["seized_at"] is None:
        return Result.insufficient(
            detainee_id,
            f"His {kind} was seized with {' and '.join(missing)}, but the date of seizure is not recorded.",
            missing=["date of seizure"],
            **common,
        )
    due = document["seized_at"] + dt.timedelta(hours=hours)
    evidence.update(due_at=iso(due), period_hours=hours)
    if now <= due:
        return Result.compliant(detainee_id, f"Receipt for his {kind} due by {due:%Y-%m-%d %H:%M}.", **common)
    text = (
        f"His {kind} was taken on {document['seized_at']:%Y-%m-%d} with {' and '.join(missing)}. Art. 18(4)-(5) "
        "require an officer's order, an entry in a special register and an itemised receipt naming the issuer's "
        "name, rank and unit."
    )
    if document["kind"] in MILITARY_DOCUMENTS:
        return Result.warning(
            detainee_id,
            f"{text} Military documents may be taken (Art. 18(1)), but without a receipt it cannot be traced.",
            severity=Severity.LOW,
            **common,
        )
    return Result.violation(detainee_id, text, **common)


@register(
    id="GC3-18-EFFECTS",
    version=1,
    title="Seized documents: officer's order and receipt",
    article="GCIII Art. 18(1),(4),(5)",
    paragraphs=("18(1)", "18(4)", "18(5)"),
    description=(
        "A personal document taken from a prisoner and not returned must be receipted and its seizure ordered by a "
        "named officer; missing either after the policy period is a violation (a warning for military documents, "
        "which may be taken). The Art. 17(3) identity card is left to GC3-17-IDCARD."
    ),
    rationale=(
        "Art. 18(4)-(5): money and articles of value may be taken only on an officer's order, recorded in a special "
        "register, against an itemised receipt legibly naming the issuer's name, rank and unit; Art. 18(1) lets the "
        "captor take military documents."
    ),
    remediation=(
        "Issue an itemised receipt (issuer's name, rank and unit), enter the item in the register with the ordering "
        "officer, or return the document."
    ),
    severity=Severity.MEDIUM,
    tags=("property", "documents", "receipt", "art18"),
    references=(
        "GCIII Art. 18(1)-(6), text checked in lawin.org (Geneva Convention III, Article 18), the French text "
        "(inview.nl) and the German text (gesetzefinden.at); 1960 Commentary on Art. 18 (icrc.org) on impounding "
        "against a receipt.",
        "The 48-hour period is policy (settings.COMPLIANCE_POLICY['EFFECTS_RECEIPT_HOURS']).",
    ),
    time_based=True,
)
def seized_documents(ctx: ChunkContext) -> Iterator[Result]:
    hours = policy("EFFECTS_RECEIPT_HOURS")
    documents = ctx.documents
    for detainee_id in ctx.detainee_ids:
        seized = [d for d in documents[detainee_id] if d["seized"] and d["kind"] not in LEFT_TO_ART17]
        if not seized:
            yield Result.not_applicable(detainee_id, "No document taken from him is recorded.")
            continue
        for document in seized:
            yield judge_seizure(detainee_id, document, ctx.now, hours)
