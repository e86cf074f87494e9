"""GC3-18-EFFECTS: a document taken from a prisoner needs an officer's order and a receipt (GCIII Art. 18(4)-(5))."""

from __future__ import annotations

import pytest

from compliance.choices import Outcome, Severity
from compliance.engine import evaluate_rules
from compliance.registry import Result
from powcases.choices import DocumentKind
from tests.factories import DetaineeFactory, IdentityDocumentFactory, days_ago

pytestmark = pytest.mark.django_db

RULE = "GC3-18-EFFECTS"


def evaluate(detainee) -> list[Result]:
    return evaluate_rules([detainee.pk], [RULE])[RULE]


def seized(**fields):
    detainee = DetaineeFactory()
    defaults = {
        "kind": DocumentKind.PASSPORT,
        "seized": True,
        "seized_at": days_ago(5),
        "seizure_ordered_by": "Capt. Bondarenko",
        "seizure_receipt_number": "R-2025-118",
    }
    document = IdentityDocumentFactory(detainee=detainee, **{**defaults, **fields})
    return detainee, document


def test_passport_taken_without_a_receipt_is_a_violation():
    detainee, document = seized(seizure_receipt_number="")

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert "His passport was taken on" in result.message
    assert "with no receipt number" in result.message
    assert result.subject == ("powcases.identitydocument", document.pk)


def test_seizure_without_the_ordering_officer_is_a_violation():
    detainee, _ = seized(seizure_ordered_by="")

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert "no record of the officer who ordered it" in result.message


def test_military_document_without_a_receipt_is_a_low_warning():
    detainee, _ = seized(kind=DocumentKind.MILITARY_ID, seizure_receipt_number="")

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert result.severity == Severity.LOW
    assert "Military documents may be taken" in result.message


def test_receipt_within_the_first_48_hours_is_not_yet_due():
    detainee, _ = seized(seizure_receipt_number="", seized_at=days_ago(1))

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT
    assert "due by" in result.message


def test_receipted_seizure_on_an_officers_order_is_compliant():
    detainee, _ = seized()

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT


def test_returned_document_is_compliant():
    detainee, _ = seized(seizure_receipt_number="", returned_at=days_ago(1))

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT


def test_undated_seizure_without_receipt_is_insufficient_data():
    detainee, _ = seized(seizure_receipt_number="", seized_at=None)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.INSUFFICIENT_DATA
    assert result.evidence["missing"] == ["date of seizure"]


def test_the_art17_identity_card_is_left_to_the_art17_rule():
    detainee, _ = seized(kind=DocumentKind.IDENTITY_CARD_ART17, seizure_receipt_number="")

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.NOT_APPLICABLE


def test_no_seized_document_is_not_applicable():
    detainee = DetaineeFactory()
    IdentityDocumentFactory(detainee=detainee)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.NOT_APPLICABLE
